"""The assessment API: schemes by year (the bureau writes), scores read-only with every line."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from factories_assessment import (
    TargetSchemeFactory,
    assessment_campaign,
    assessment_catalogue,
    assessment_finding,
    assessment_inspection,
)
from jiedu.assessment.models import TargetScheme
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
YEAR = 2022
SCHEME = {"full_marks": "100", "inspection_points": "70", "open_general": "0.5", "open_serious": "1",
          "open_major": "2", "overdue": "1", "late_rectified": "0.2"}  # fmt: skip


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_bureau_creates_reads_and_changes_a_scheme(member):
    client = api(member(Role.BUREAU_SUPERVISOR))
    created = client.post("/api/v1/target-schemes/", {"year": YEAR, **SCHEME}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["rectification_points"] == "30.0"
    assert created.json()["version"] == 1
    patched = client.patch(f"/api/v1/target-schemes/{YEAR}/", {"overdue": "1.5", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["overdue"] == "1.5"
    assert patched.json()["version"] == 2
    assert TargetScheme.objects.get(year=YEAR).open_major == Decimal("2")
    bad = client.put(
        f"/api/v1/target-schemes/{YEAR}/", {**SCHEME, "inspection_points": "150", "version": 2}, format="json"
    )
    assert bad.status_code == 400 and "inspection_points" in bad.json()
    assert client.get("/api/v1/target-schemes/2030/").status_code == 404


def test_a_facility_reads_schemes_but_may_not_change_them(member, facility_a):
    TargetSchemeFactory(year=YEAR)
    client = api(member(Role.FACILITY_LEADER, facility_a))
    assert client.get("/api/v1/target-schemes/").json()["count"] == 1
    changed = client.patch(f"/api/v1/target-schemes/{YEAR}/", {"overdue": "0", "version": 1}, format="json")
    assert changed.status_code == 403
    assert client.post("/api/v1/target-schemes/", {"year": 2023, **SCHEME}, format="json").status_code == 403


@pytest.fixture
def scored(facility_a, facility_b):
    catalogue, (s1,) = assessment_catalogue(standards=(10,))
    campaign = assessment_campaign(facilities=[facility_a, facility_b], catalogue=catalogue, year=YEAR)
    assessment_inspection(
        campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 5, 1), results=[(s1, "10")]
    )
    return assessment_finding(facility=facility_a, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 12, 1),
                              severity="serious", title="台账不全")  # fmt: skip


def test_scores_of_a_year_with_lines_and_ranks_for_the_bureau(member, facility_a, facility_b, scored):
    body = api(member(Role.BUREAU_LEADER)).get("/api/v1/target-scores/", {"year": YEAR}).json()
    assert [(s["facility"], s["rank"], s["total"]) for s in body] == [
        (facility_a.pk, 1, "98.00"),
        (facility_b.pk, 2, "30.00"),
    ]
    first = body[0]
    assert (first["findings"], first["overdue"], first["not_inspected"]) == (1, 1, False)
    deduction = next(line for line in first["lines"] if line["finding"] == scored.pk)
    assert (
        deduction["points"] == "-2.00"
        and deduction["part"] == "rectification"
        and "台账不全" in deduction["text"]
    )
    assert sum(Decimal(line["points"]) for line in first["lines"]) == Decimal(first["total"])
    assert body[1]["not_inspected"] is True


def test_a_facility_gets_only_its_own_score_without_rank(member, facility_a, facility_b, scored):
    body = api(member(Role.FACILITY_OFFICER, facility_b)).get("/api/v1/target-scores/", {"year": YEAR}).json()
    assert [(s["facility"], s["rank"]) for s in body] == [(facility_b.pk, None)]


def test_the_year_defaults_to_this_year_and_must_be_a_year(member):
    client = api(member(Role.BUREAU_LEADER))
    assert client.get("/api/v1/target-scores/").status_code == 200
    assert client.get("/api/v1/target-scores/", {"year": "20x2"}).status_code == 400
