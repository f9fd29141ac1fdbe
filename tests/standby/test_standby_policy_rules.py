"""Standby rules set from a date: who may set them, refused dates, and the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from factories import PASSWORD
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.standby import domain, selectors, services
from jiedu.standby.models import StandbyPolicy

DAY = datetime.timedelta(days=1)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


def test_a_facility_rule_applies_from_its_date_and_is_audited(officer, facility_a):
    tomorrow = timezone.localdate() + DAY
    row = services.set_standby_policy(actor=officer, facility=facility_a, effective_from=tomorrow, standby_days=21)
    assert selectors.rules_for(facility_a.pk, tomorrow).standby_days == 21
    assert selectors.rules_for(facility_a.pk, tomorrow - DAY) == domain.BUILT_IN
    assert row.required_negative_tests == domain.BUILT_IN.required_negative_tests  # left out: kept
    assert AuditEvent.objects.filter(action="standby.policy_set").count() == 1


def test_a_region_rule_needs_a_bureau_wide_role(officer, member):
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(AccessDenied):
        services.set_standby_policy(actor=officer, effective_from=tomorrow, standby_days=10)
    supervisor = member(Role.BUREAU_SUPERVISOR)
    services.set_standby_policy(actor=supervisor, effective_from=tomorrow, required_negative_tests=3)
    assert StandbyPolicy.objects.get(facility=None).required_negative_tests == 3


def test_another_facilitys_rule_is_refused(officer, facility_b):
    with pytest.raises(AccessDenied):
        services.set_standby_policy(
            actor=officer, facility=facility_b, effective_from=timezone.localdate(), standby_days=10
        )


def test_past_dates_duplicates_and_empty_rules_are_refused(officer, facility_a):
    today = timezone.localdate()
    with pytest.raises(DomainError) as past:
        services.set_standby_policy(actor=officer, facility=facility_a, effective_from=today - DAY, standby_days=7)
    assert past.value.field == "effective_from"
    with pytest.raises(DomainError):
        services.set_standby_policy(actor=officer, facility=facility_a, effective_from=today)
    services.set_standby_policy(actor=officer, facility=facility_a, effective_from=today, standby_days=7)
    with pytest.raises(DomainError) as twice:
        services.set_standby_policy(actor=officer, facility=facility_a, effective_from=today, standby_days=8)
    assert twice.value.field == "effective_from"
    assert StandbyPolicy.objects.count() == 1


def test_the_api_creates_a_facility_rule(officer, facility_a):
    payload = {"facility": facility_a.pk, "effective_from": timezone.localdate().isoformat(), "standby_days": 10}
    response = api_for(officer).post("/api/v1/standby-policies/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["standby_days"] == 10


def test_the_api_answers_a_past_date_with_a_field_error(officer, facility_a):
    payload = {"facility": facility_a.pk, "effective_from": "2020-01-01", "standby_days": 10}
    response = api_for(officer).post("/api/v1/standby-policies/", payload, format="json")
    assert response.status_code == 400
    assert "effective_from" in response.json()
    assert not StandbyPolicy.objects.exists()


def test_the_api_refuses_another_facilitys_id(officer, facility_b):
    payload = {"facility": facility_b.pk, "effective_from": timezone.localdate().isoformat(), "standby_days": 10}
    response = api_for(officer).post("/api/v1/standby-policies/", payload, format="json")
    assert response.status_code == 400
    assert "facility" in response.json()


def _login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_manager_adds_a_rule_on_the_shifts_page(officer, facility_a):
    payload = {
        "form": "policy", "policy-facility": facility_a.pk,
        "policy-effective_from": timezone.localdate().isoformat(), "policy-standby_days": "10",
    }  # fmt: skip
    response = _login(officer).post(reverse("standby:shifts"), payload)
    assert response.status_code == 302
    assert StandbyPolicy.objects.get().standby_days == 10


def test_a_past_date_shows_next_to_the_field(officer, facility_a):
    payload = {
        "form": "policy", "policy-facility": facility_a.pk, "policy-effective_from": "2020-01-01",
        "policy-standby_days": "10",
    }  # fmt: skip
    response = _login(officer).post(reverse("standby:shifts"), payload)
    assert response.status_code == 400
    assert 'id="id_policy-effective_from-error"' in response.content.decode()
    assert not StandbyPolicy.objects.exists()
