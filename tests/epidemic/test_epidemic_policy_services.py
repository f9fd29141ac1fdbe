"""Setting the policy: who may, from when, and how it is recorded."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.epidemic import selectors, services
from jiedu.epidemic.models import EpidemicPolicy
from jiedu.organisation.roles import Role

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def test_a_supervisor_sets_the_region_default_and_it_applies_from_its_date(member, facility_a):
    supervisor = member(Role.BUREAU_SUPERVISOR)
    services.set_policy(actor=supervisor, effective_from=TOMORROW, fever_threshold_c=Decimal("37.5"))
    assert selectors.policy_for(facility_a.pk, TOMORROW).fever_threshold_c == Decimal("37.5")
    assert selectors.policy_for(facility_a.pk, timezone.localdate()).fever_threshold_c == Decimal("37.3")
    event = AuditEvent.objects.get(action="policy.set")
    assert event.facility_id is None and "fever_threshold_c" in event.changed_fields


def test_a_facility_leader_overrides_only_their_own_facility(member, facility_a, facility_b):
    leader = member(Role.FACILITY_LEADER, facility_a)
    services.set_policy(actor=leader, facility=facility_a, effective_from=TOMORROW, ventilations_per_day=6)
    assert selectors.policy_for(facility_a.pk, TOMORROW).ventilations_per_day == 6
    assert selectors.policy_for(facility_b.pk, TOMORROW).ventilations_per_day == 5
    with pytest.raises(AccessDenied):
        services.set_policy(actor=leader, facility=facility_b, effective_from=TOMORROW, ventilations_per_day=6)
    with pytest.raises(AccessDenied):
        services.set_policy(actor=leader, effective_from=TOMORROW, ventilations_per_day=6)  # the region


@pytest.mark.parametrize("role", [Role.FACILITY_OFFICER, Role.MEDICAL_STAFF, Role.GATE_OFFICER, Role.PROSECUTOR])
def test_roles_without_management_cannot_change_the_policy(member, facility_a, role):
    with pytest.raises(AccessDenied):
        services.set_policy(actor=member(role, facility_a), facility=facility_a, effective_from=TOMORROW, ventilations_per_day=6)


def test_the_past_cannot_be_rewritten(member, facility_a):
    leader = member(Role.FACILITY_LEADER, facility_a)
    with pytest.raises(DomainError) as caught:
        services.set_policy(
            actor=leader, facility=facility_a, effective_from=timezone.localdate() - datetime.timedelta(days=1),
            ventilations_per_day=6,
        )  # fmt: skip
    assert caught.value.field == "effective_from"
    assert not EpidemicPolicy.objects.exists()


def test_an_empty_change_and_a_second_row_for_the_same_date_are_refused(member, facility_a):
    leader = member(Role.FACILITY_LEADER, facility_a)
    with pytest.raises(DomainError):
        services.set_policy(actor=leader, facility=facility_a, effective_from=TOMORROW)
    services.set_policy(actor=leader, facility=facility_a, effective_from=TOMORROW, ventilations_per_day=6)
    with pytest.raises(DomainError):
        services.set_policy(actor=leader, facility=facility_a, effective_from=TOMORROW, disinfections_per_day=4)


def test_the_policy_page_shows_todays_rules_and_records_a_change(member, facility_a):
    leader = member(Role.FACILITY_LEADER, facility_a)
    client = Client()
    client.force_login(leader)
    page = client.get("/epidemic/policies/")
    assert page.status_code == 200 and facility_a.short_name in page.content.decode()
    response = client.post(
        "/epidemic/policies/",
        {"facility": facility_a.pk, "effective_from": TOMORROW.isoformat(), "disinfections_per_day": 4, "closed_management": "unknown"},
    )
    assert response.status_code == 302
    assert EpidemicPolicy.objects.get().disinfections_per_day == 4


def test_the_policy_page_refuses_a_past_date_next_to_the_field(member, facility_a):
    client = Client()
    client.force_login(member(Role.FACILITY_LEADER, facility_a))
    response = client.post(
        "/epidemic/policies/", {"facility": facility_a.pk, "effective_from": "2020-01-01", "ventilations_per_day": 4}
    )
    assert response.status_code == 400
    assert 'id="id_effective_from-error"' in response.content.decode()


def test_the_api_appends_policies_and_refuses_edits(member, facility_a):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    created = client.post(
        "/api/v1/epidemic-policies/",
        {"facility": facility_a.pk, "effective_from": TOMORROW.isoformat(), "ventilations_per_day": 6},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert client.patch(f"/api/v1/epidemic-policies/{created.json()['id']}/", {"ventilations_per_day": 1}, format="json").status_code == 405
    assert client.post(
        "/api/v1/epidemic-policies/", {"facility": facility_a.pk, "effective_from": "2020-01-01", "ventilations_per_day": 6}, format="json"
    ).status_code == 400
