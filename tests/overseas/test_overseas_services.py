"""Writing the ledger through the services: required facts per category, history on transitions,
permissions, audit, and the identity number encrypted at rest."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from factories import FacilityFactory, MembershipFactory, StaffFactory, UserFactory
from factories_overseas import FACTS, OverseasStatusFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.overseas import domain, selectors, services
from jiedu.overseas.models import OverseasEntry, OverseasStatus

DAY = datetime.timedelta(days=1)
ID_NUMBER = "150102199001011234"


def today():
    return timezone.localdate()


def facts(category, **overrides):
    values = dict(FACTS[category])
    if category == "returned":
        values["return_date"] = today() - 3 * DAY
    if category == "planning":
        values["reported_on"] = today() - DAY
        values["planned_return_date"] = today() + 20 * DAY
    values.update(overrides)
    return values


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def staff(facility_a):
    return StaffFactory(facility=facility_a)


def new_entry(officer, staff, category="abroad", *, effective_date=None, person_name="王小明", id_number="", **overrides):
    return services.create_entry(
        actor=officer, facility=staff.facility, staff=staff, relation="child", person_name=person_name,
        id_number=id_number, category=category, effective_date=effective_date or today(),
        **facts(category, **overrides),
    )  # fmt: skip


@pytest.mark.parametrize("category", domain.CATEGORIES)
def test_an_entry_is_created_with_its_first_status_and_audited_by_field_names(officer, staff, category):
    entry = new_entry(officer, staff, category)
    status = entry.statuses.get()
    assert status.category == category and status.recorded_by == officer and status.facility_id == staff.facility_id
    event = AuditEvent.objects.get(action="overseas.entry_created")
    assert event.target_id == str(entry.pk)
    assert set(domain.REQUIRED_FIELDS[category]) <= set(event.changed_fields)
    assert "王小明" not in str(event.__dict__)


@pytest.mark.parametrize(
    "category,field", [(c, f) for c, fields in domain.REQUIRED_FIELDS.items() for f in fields]
)
def test_each_missing_required_fact_is_a_field_error_and_nothing_is_saved(officer, staff, category, field):
    with pytest.raises(DomainError) as error:
        new_entry(officer, staff, category, **{field: None})
    assert error.value.field == field and error.value.code == "required"
    assert not OverseasEntry.objects.exists() and not AuditEvent.objects.exists()


def test_other_categories_facts_are_dropped_not_kept(officer, staff):
    entry = services.create_entry(
        actor=officer, facility=staff.facility, staff=staff, relation="self", person_name="ignored",
        category="abroad", effective_date=today(), **facts("abroad"), return_route="CA934", fever_or_cough=True,
    )  # fmt: skip
    status = entry.statuses.get()
    assert status.return_route == "" and status.fever_or_cough is None
    assert entry.person_name == "" and entry.display_name == staff.name


def test_history_is_kept_on_the_way_home_and_abroad_again(officer, staff):
    entry = new_entry(officer, staff, "abroad", effective_date=today() - 60 * DAY)
    services.record_status(
        actor=officer, entry=entry, category="planning", effective_date=today() - 30 * DAY,
        **facts("planning", reported_on=today() - 31 * DAY, planned_return_date=today() - 5 * DAY),
    )  # fmt: skip
    services.record_status(actor=officer, entry=entry, category="returned", effective_date=today() - 3 * DAY, **facts("returned"))
    services.record_status(actor=officer, entry=entry, category="abroad", effective_date=today(), **facts("abroad"))
    assert [s.category for s in selectors.history(entry)] == ["abroad", "returned", "planning", "abroad"]
    assert selectors.current_point(entry).category == "abroad"
    assert AuditEvent.objects.filter(action="overseas.status_recorded").count() == 3
    current = selectors.ledger(officer).get(pk=entry.pk)
    assert current.current_category == "abroad" and current.current_since == today()


def test_someone_back_home_is_registered_abroad_before_planning_a_return(officer, staff):
    entry = new_entry(officer, staff, "returned", effective_date=today() - 2 * DAY)
    with pytest.raises(DomainError) as error:
        services.record_status(actor=officer, entry=entry, category="planning", effective_date=today(), **facts("planning"))
    assert error.value.field == "category"
    assert entry.statuses.count() == 1


@pytest.mark.parametrize("offset,field", [(1, "effective_date"), (-40, "effective_date")])
def test_a_status_cannot_take_effect_in_the_future_or_before_the_current_one(officer, staff, offset, field):
    entry = new_entry(officer, staff, "abroad", effective_date=today() - 30 * DAY)
    with pytest.raises(DomainError) as error:
        services.record_status(
            actor=officer, entry=entry, category="abroad", effective_date=today() + offset * DAY, **facts("abroad")
        )
    assert error.value.field == field


def test_a_return_after_the_effective_date_is_refused(officer, staff):
    with pytest.raises(DomainError) as error:
        new_entry(officer, staff, "returned", effective_date=today() - 5 * DAY, return_date=today() - DAY)
    assert error.value.field == "return_date"


def test_relatives_need_a_name_and_a_staff_member_is_in_the_ledger_once(officer, staff):
    with pytest.raises(DomainError) as error:
        new_entry(officer, staff, person_name=" ")
    assert error.value.field == "person_name"
    themself = {"actor": officer, "facility": staff.facility, "staff": staff, "relation": "self"}
    services.create_entry(**themself, category="abroad", effective_date=today(), **facts("abroad"))
    with pytest.raises(DomainError) as error:
        services.create_entry(**themself, category="abroad", effective_date=today(), **facts("abroad"))
    assert error.value.field == "staff"


def test_staff_of_another_facility_is_refused(officer, facility_a, facility_b):
    with pytest.raises(DomainError) as error:
        services.create_entry(
            actor=officer, facility=facility_a, staff=StaffFactory(facility=facility_b), relation="child",
            person_name="王小明", category="abroad", effective_date=today(), **facts("abroad"),
        )  # fmt: skip
    assert error.value.field == "staff"


@pytest.mark.parametrize("role,at_facility", [(Role.BUREAU_LEADER, False), (Role.GATE_OFFICER, True)])
def test_only_who_manages_staff_health_writes_the_ledger(member, facility_a, staff, role, at_facility):
    user = member(role, facility_a if at_facility else None)
    with pytest.raises(AccessDenied):
        new_entry(user, staff)
    entry = OverseasStatusFactory(facility=facility_a).entry
    with pytest.raises(AccessDenied):
        services.record_status(actor=user, entry=entry, category="abroad", effective_date=today(), **facts("abroad"))


def test_the_identity_number_is_encrypted_in_the_database_and_masked_when_shown(officer, staff):
    entry = new_entry(officer, staff, id_number=" 1501 0219 9001 011234 ")
    entry.refresh_from_db()
    assert entry.id_number == ID_NUMBER and entry.masked_id_number == "150102********1234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM overseas_overseasentry WHERE id = %s", [entry.pk])
        (raw,) = cursor.fetchone()
    assert raw and ID_NUMBER not in raw and "19900101" not in raw


def test_a_malformed_identity_number_is_a_field_error(officer, staff):
    with pytest.raises(DomainError) as error:
        new_entry(officer, staff, id_number="12-34")
    assert error.value.field == "id_number"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "category,field,empty",
    [("returned", "current_residence", ""), ("returned", "fever_or_cough", None), ("planning", "reported_on", None),
     ("abroad", "contact_method", "")],
)  # fmt: skip
def test_the_database_refuses_a_status_missing_its_categorys_facts(facility_a, category, field, empty):
    entry = OverseasStatusFactory(facility=facility_a).entry
    row = OverseasStatus(
        facility=facility_a, entry=entry, category=category, effective_date=today(), recorded_by=UserFactory(),
        **facts(category, **{field: empty}),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.django_db
def test_the_database_refuses_another_categorys_facts_on_a_status(facility_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OverseasStatusFactory(facility=facility_a, return_route="CA934")


class TestRandomFieldSubsets(TestCase):
    """Whatever subset of facts is given, the service accepts exactly the complete ones."""

    @classmethod
    def setUpTestData(cls):
        facility = FacilityFactory()
        cls.officer = UserFactory()
        MembershipFactory(user=cls.officer, facility=facility, role=Role.FACILITY_OFFICER)
        cls.staff = StaffFactory(facility=facility)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(category=st.sampled_from(domain.CATEGORIES), data=st.data())
    def test_the_first_missing_fact_is_named(self, category, data):
        required = domain.REQUIRED_FIELDS[category]
        given_fields = data.draw(st.sets(st.sampled_from(required)))
        values = {name: value for name, value in facts(category).items() if name in given_fields}
        missing = [name for name in required if name not in given_fields]
        try:
            entry = services.create_entry(
                actor=self.officer, facility=self.staff.facility, staff=self.staff, relation="sibling",
                person_name="王二", category=category, effective_date=today(), **values,
            )  # fmt: skip
        except DomainError as error:
            assert missing and error.field == missing[0]
        else:
            assert not missing and entry.statuses.get().category == category
