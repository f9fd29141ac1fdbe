"""The overseas ledger API: per-category 400 field errors, statuses appended, numbers masked."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories import StaffFactory
from factories_overseas import FACTS, OverseasStatusFactory
from jiedu.organisation.roles import Role
from jiedu.overseas import domain
from jiedu.overseas.models import OverseasEntry, OverseasStatus

ENTRIES = "/api/v1/overseas-entries/"
STATUSES = "/api/v1/overseas-statuses/"
ID_NUMBER = "E12345678"


@pytest.fixture
def api(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_OFFICER, facility_a))
    return client


def today():
    return timezone.localdate()


def facts(category):
    values = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in FACTS[category].items()}
    if category == "returned":
        values["return_date"] = today().isoformat()
    if category == "planning":
        values["reported_on"] = today().isoformat()
        values["planned_return_date"] = (today() + datetime.timedelta(days=7)).isoformat()
    return values


def new_entry(staff, category="abroad", **overrides):
    payload = {
        "staff": staff.pk, "relation": "parent", "person_name": "赵母", "id_number": ID_NUMBER,
        "category": category, "effective_date": today().isoformat(), **facts(category),
    }  # fmt: skip
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


@pytest.mark.parametrize("category", domain.CATEGORIES)
def test_an_entry_is_created_with_its_category_in_force_and_a_masked_number(api, facility_a, category):
    response = api.post(ENTRIES, new_entry(StaffFactory(facility=facility_a), category), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["current_category"] == category and body["facility"] == facility_a.pk
    assert body["id_number_masked"] == "*********" and "id_number" not in body
    assert ID_NUMBER not in response.content.decode()
    listed = api.get(ENTRIES).content.decode()
    assert ID_NUMBER not in listed and api.get(f"{ENTRIES}{body['id']}/").json()["name"] == "赵母"


@pytest.mark.parametrize(
    "category,field", [(c, f) for c, fields in domain.REQUIRED_FIELDS.items() for f in fields]
)
def test_each_missing_fact_of_a_category_answers_400_naming_it(api, facility_a, category, field):
    response = api.post(ENTRIES, new_entry(StaffFactory(facility=facility_a), category, **{field: None}), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not OverseasEntry.objects.exists()


def test_bad_types_answer_400(api, facility_a):
    payload = new_entry(StaffFactory(facility=facility_a), "returned", return_date="yesterday")
    response = api.post(ENTRIES, payload, format="json")
    assert response.status_code == 400 and "return_date" in response.json()


def test_staff_of_another_facility_answers_400(api, facility_b):
    response = api.post(ENTRIES, new_entry(StaffFactory(facility=facility_b)), format="json")
    assert response.status_code == 400 and "staff" in response.json()


def test_a_status_is_appended_and_becomes_the_category_in_force(api, facility_a):
    entry = OverseasStatusFactory(facility=facility_a, effective_date=today() - datetime.timedelta(days=3)).entry
    payload = {"entry": entry.pk, "category": "planning", "effective_date": today().isoformat(), **facts("planning")}
    response = api.post(STATUSES, payload, format="json")
    assert response.status_code == 201, response.json()
    assert OverseasStatus.objects.filter(entry=entry).count() == 2
    assert api.get(ENTRIES, {"category": "planning"}).json()["count"] == 1
    assert len(api.get(STATUSES, {"entry": entry.pk}).json()["results"]) == 2


def test_a_refused_transition_answers_400_on_the_category(api, facility_a):
    entry = OverseasStatusFactory(
        facility=facility_a, category="returned", residence_abroad="", reason_abroad="", contact_method="",
        return_date=today(), current_residence="呼和浩特", return_route="CA934", fever_or_cough=False,
        recent_medical_control="无", effective_date=today(),
    ).entry  # fmt: skip
    payload = {"entry": entry.pk, "category": "planning", "effective_date": today().isoformat(), **facts("planning")}
    response = api.post(STATUSES, payload, format="json")
    assert response.status_code == 400 and list(response.json()) == ["category"]


def test_statuses_are_never_edited(api, facility_a):
    status = OverseasStatusFactory(facility=facility_a)
    assert api.patch(f"{STATUSES}{status.pk}/", {"notes": "x"}, format="json").status_code == 405
