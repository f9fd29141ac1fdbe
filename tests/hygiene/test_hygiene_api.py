"""The hygiene API: record and correct inspections, preview and publish boards with nested frozen entries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories import DepartmentFactory
from factories_hygiene import HygieneInspectionFactory
from jiedu.hygiene.models import HygieneBoard
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def last_month():
    end = today().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def leader(member, facility_a):
    return api(member(Role.FACILITY_LEADER, facility_a))


def test_recording_listing_and_correcting_an_inspection(leader, facility_a):
    department = DepartmentFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk,
        "department": department.pk,
        "inspected_on": today().isoformat(),
        "score": "88.5",
    }
    created = leader.post("/api/v1/hygiene-inspections/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["score"] == "88.5" and body["department"] == department.pk
    assert leader.get("/api/v1/hygiene-inspections/").json()["count"] == 1
    patched = leader.patch(
        f"/api/v1/hygiene-inspections/{body['id']}/", {"score": "90", "version": body["version"]}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["score"] == "90.0"


def test_a_duplicate_day_and_a_bad_score_are_400_with_the_field(leader, facility_a):
    department = DepartmentFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk,
        "department": department.pk,
        "inspected_on": today().isoformat(),
        "score": "88",
    }
    leader.post("/api/v1/hygiene-inspections/", payload, format="json")
    again = leader.post("/api/v1/hygiene-inspections/", payload, format="json")
    assert again.status_code == 400 and "inspected_on" in again.json()
    bad = leader.post("/api/v1/hygiene-inspections/", {**payload, "score": "120"}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()


def test_an_officer_gets_403(member, facility_a):
    officer = api(member(Role.FACILITY_OFFICER, facility_a))
    department = DepartmentFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk,
        "department": department.pk,
        "inspected_on": today().isoformat(),
        "score": "88",
    }
    assert officer.post("/api/v1/hygiene-inspections/", payload, format="json").status_code == 403


def test_another_facilitys_department_is_400_and_its_inspection_404(leader, facility_a, facility_b):
    foreign = DepartmentFactory(facility=facility_b)
    payload = {
        "facility": facility_a.pk,
        "department": foreign.pk,
        "inspected_on": today().isoformat(),
        "score": "88",
    }
    assert leader.post("/api/v1/hygiene-inspections/", payload, format="json").status_code == 400
    theirs = HygieneInspectionFactory(facility=facility_b)
    assert leader.get(f"/api/v1/hygiene-inspections/{theirs.pk}/").status_code == 404
    assert (
        leader.patch(f"/api/v1/hygiene-inspections/{theirs.pk}/", {"score": "1", "version": 1}, format="json")
        .status_code
        == 404
    )


@pytest.fixture
def month(facility_a):
    start, end = last_month()
    good = DepartmentFactory(facility=facility_a, name="一大队")
    poor = DepartmentFactory(facility=facility_a, name="二大队")
    HygieneInspectionFactory(facility=facility_a, department=good, inspected_on=start, score=Decimal("98"))
    HygieneInspectionFactory(facility=facility_a, department=poor, inspected_on=start, score=Decimal("65"))
    return start, end, good, poor


def test_preview_then_publish_then_read_the_frozen_entries(leader, facility_a, month):
    start, end, good, poor = month
    period = {"facility": facility_a.pk, "period_start": start.isoformat(), "period_end": end.isoformat()}
    preview = leader.get("/api/v1/hygiene-boards/preview/", period)
    assert preview.status_code == 200, preview.json()
    assert [(e["department"], e["listed_on"]) for e in preview.json()["entries"]] == [
        (good.pk, "honour"), (poor.pk, "exposure"),
    ]  # fmt: skip
    assert not HygieneBoard.objects.exists()
    published = leader.post("/api/v1/hygiene-boards/publish/", {**period, "note": "通报"}, format="json")
    assert published.status_code == 201, published.json()
    board = published.json()
    assert board["honour_threshold"] == "95.0" and board["note"] == "通报"
    assert {(e["department_name"], e["listed_on"], e["average_score"]) for e in board["entries"]} == {
        ("一大队", "honour", "98.0"), ("二大队", "exposure", "65.0"),
    }  # fmt: skip
    assert leader.get(f"/api/v1/hygiene-boards/{board['id']}/").json()["entries"] == board["entries"]
    twice = leader.post("/api/v1/hygiene-boards/publish/", period, format="json")
    assert twice.status_code == 400 and "period_start" in twice.json()


def test_publishing_with_crossed_lines_is_a_400(leader, facility_a, month):
    start, end, _good, _poor = month
    payload = {"facility": facility_a.pk, "period_start": start.isoformat(), "period_end": end.isoformat(),
               "honour_threshold": "70", "exposure_threshold": "80"}  # fmt: skip
    response = leader.post("/api/v1/hygiene-boards/publish/", payload, format="json")
    assert response.status_code == 400 and "exposure_threshold" in response.json()
    assert not HygieneBoard.objects.exists()


def test_boards_are_not_created_or_edited_directly(leader, facility_a, month):
    start, end, _good, _poor = month
    payload = {"facility": facility_a.pk, "period_start": start.isoformat(), "period_end": end.isoformat()}
    assert leader.post("/api/v1/hygiene-boards/", payload, format="json").status_code == 405
    board = leader.post("/api/v1/hygiene-boards/publish/", payload, format="json").json()
    assert (
        leader.patch(f"/api/v1/hygiene-boards/{board['id']}/", {"note": "x"}, format="json").status_code
        == 405
    )


def test_another_facility_cannot_be_previewed_or_published(leader, facility_b):
    start, end = last_month()
    period = {"facility": facility_b.pk, "period_start": start.isoformat(), "period_end": end.isoformat()}
    assert leader.get("/api/v1/hygiene-boards/preview/", period).status_code == 400
    assert leader.post("/api/v1/hygiene-boards/publish/", period, format="json").status_code == 400
