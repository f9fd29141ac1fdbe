"""Setting the year's scheme: the bureau's supervisors only, field errors, audited changes, DB constraints."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from factories_assessment import TargetSchemeFactory
from jiedu.assessment import services
from jiedu.assessment.models import TargetScheme
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
D = Decimal
DEFAULTS = {
    "full_marks": D("100"), "inspection_points": D("70"), "open_general": D("0.5"), "open_serious": D("1"),
    "open_major": D("2"), "overdue": D("1"), "late_rectified": D("0.2"),
}  # fmt: skip


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR)


def test_the_bureau_supervisor_sets_and_changes_a_scheme_audited(supervisor):
    scheme = services.set_scheme(actor=supervisor, year=2022, **DEFAULTS)
    assert scheme.rectification_points == D("30") and scheme.updated_by == supervisor
    services.set_scheme(
        actor=supervisor, year=2022, **{**DEFAULTS, "inspection_points": D("60"), "overdue": D("2")}
    )
    scheme.refresh_from_db()
    assert (scheme.inspection_points, scheme.overdue) == (D("60"), D("2"))
    events = list(AuditEvent.objects.filter(action="assessment.scheme_set").order_by("id"))
    assert len(events) == 2 and events[1].changed_fields == ["inspection_points", "overdue"]
    assert events[0].facility_id is None


def test_saving_the_same_values_writes_nothing(supervisor):
    services.set_scheme(actor=supervisor, year=2022, **DEFAULTS)
    services.set_scheme(actor=supervisor, year=2022, **DEFAULTS)
    assert AuditEvent.objects.filter(action="assessment.scheme_set").count() == 1


@pytest.mark.parametrize(
    "role", [Role.BUREAU_LEADER, Role.FACILITY_LEADER, Role.FACILITY_OFFICER, Role.PROSECUTOR]
)
def test_only_those_who_manage_standards_region_wide_set_schemes(member, facility_a, role):
    user = member(role, None if role == Role.BUREAU_LEADER else facility_a)
    with pytest.raises(AccessDenied):
        services.set_scheme(actor=user, year=2022, **DEFAULTS)
    assert not TargetScheme.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inspection_points": D("120")}, "inspection_points"),
        ({"full_marks": D("0")}, "full_marks"),
        ({"open_major": D("-1")}, "open_major"),
        ({"late_rectified": D("0.25")}, "late_rectified"),
        ({"year": 1999}, "year"),
    ],
)
def test_field_errors(supervisor, changes, field):
    values = {"year": 2022, **DEFAULTS, **changes}
    with pytest.raises(DomainError) as caught:
        services.set_scheme(actor=supervisor, **values)
    assert caught.value.field == field
    assert not TargetScheme.objects.exists()


def test_the_database_refuses_an_inspection_share_above_full_marks_and_a_second_scheme_for_a_year():
    TargetSchemeFactory(year=2022)
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetSchemeFactory(year=2023, inspection_points=D("101"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetScheme.objects.create(year=2022, updated_by=TargetScheme.objects.get().updated_by)
