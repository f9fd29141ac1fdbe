"""Assessment pages: the bureau's ranking with its chart data, a facility's own score, the lines, the
scheme form and the two-sheet export."""

import datetime
import json
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from factories import PASSWORD
from factories_assessment import (
    assessment_campaign,
    assessment_catalogue,
    assessment_finding,
    assessment_inspection,
)
from jiedu.assessment.models import TargetScheme
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
YEAR = 2022


def login(member, role, facility=None):
    user = member(role, facility)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def scored(facility_a, facility_b):
    """甲所 fully met with one overdue finding; 乙所 half met; both inspected in 2022."""
    catalogue, (s1, s2) = assessment_catalogue(standards=(10, 10))
    campaign = assessment_campaign(facilities=[facility_a, facility_b], catalogue=catalogue, year=YEAR)
    assessment_inspection(
        campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 5, 1), results=[(s1, "10"), (s2, "10")]
    )
    assessment_inspection(
        campaign=campaign, facility=facility_b, on=datetime.date(YEAR, 6, 1), results=[(s1, "5"), (s2, "5")]
    )
    finding = assessment_finding(facility=facility_a, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 11, 1),
                                 severity="major", title="监控死角未整改")  # fmt: skip
    return finding


def figures(page, facility):
    row = re.search(rf'<tr data-facility="{facility.pk}"[^>]*>(.*?)</tr>', page, re.S).group(0)
    return dict(re.findall(r'data-figure="([a-z]+)">([^<]*)<', row)), row


def test_the_bureau_sees_the_ranking_and_the_chart_data(member, facility_a, facility_b, scored):
    page = login(member, Role.BUREAU_LEADER).get(reverse("assessment:year"), {"year": YEAR}).content.decode()
    a, row_a = figures(page, facility_a)
    b, row_b = figures(page, facility_b)
    assert (a["inspection"], a["rectification"], a["total"], a["overdue"]) == ("70.00", "27.00", "97.00", "1")
    assert (b["total"], b["found"], b["rate"]) == ("65.00", "0", "—")
    assert 'data-rank="1"' in row_a and 'data-rank="2"' in row_b
    chart = json.loads(
        re.search(r'<script id="assessment-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert chart["categories"] == [facility_a.short_name, facility_b.short_name] and chart["inspection"] == [
        70.0,
        35.0,
    ]
    assert "assessment.js" in page and "<script>" not in page


def test_a_facility_user_sees_only_its_own_score_and_no_rank(member, facility_a, facility_b, scored):
    page = (
        login(member, Role.FACILITY_OFFICER, facility_b)
        .get(reverse("assessment:year"), {"year": YEAR})
        .content.decode()
    )
    assert f'data-facility="{facility_b.pk}"' in page and f'data-facility="{facility_a.pk}"' not in page
    assert "data-rank" not in page


def test_the_breakdown_lists_every_line_and_they_add_up(member, facility_a, scored):
    client = login(member, Role.FACILITY_LEADER, facility_a)
    page = client.get(reverse("assessment:facility", args=[facility_a.pk]), {"year": YEAR}).content.decode()
    points = [Decimal(p) for p in re.findall(r'data-points="([-0-9.]+)"', page)]
    assert points == [Decimal("70.00"), Decimal("30.0"), Decimal("-3.0")]
    assert f'data-finding="{scored.pk}"' in page and "监控死角未整改" in page
    assert 'data-figure="lines-total">97.00<' in page


def test_another_facilitys_breakdown_is_404(member, facility_a, facility_b, scored):
    client = login(member, Role.FACILITY_LEADER, facility_a)
    assert client.get(reverse("assessment:facility", args=[facility_b.pk])).status_code == 404


def test_a_facility_not_inspected_is_flagged(member, facility_a):
    page = (
        login(member, Role.FACILITY_LEADER, facility_a)
        .get(reverse("assessment:year"), {"year": YEAR})
        .content.decode()
    )
    assert 'data-flag="not-inspected"' in page


def test_the_scheme_form_is_the_bureau_supervisors_and_changes_the_scores(member, facility_a, scored):
    assert (
        login(member, Role.FACILITY_LEADER, facility_a).get(reverse("assessment:scheme")).status_code == 403
    )
    client = login(member, Role.BUREAU_SUPERVISOR)
    url = f"{reverse('assessment:scheme')}?year={YEAR}"
    data = {"full_marks": "100", "inspection_points": "60", "open_general": "0.5", "open_serious": "1",
            "open_major": "4", "overdue": "1", "late_rectified": "0.2"}  # fmt: skip
    saved = TargetScheme.objects.filter(year=YEAR).first()
    data["expected_version"] = saved.version if saved else 0  # 0: the page showed no scheme for the year
    bad = client.post(url, {**data, "inspection_points": "101"})
    assert bad.status_code == 400 and b'id="id_inspection_points-error"' in bad.content
    assert client.post(url, data).status_code == 302
    assert TargetScheme.objects.get(year=YEAR).open_major == Decimal("4")
    page = client.get(reverse("assessment:year"), {"year": YEAR}).content.decode()
    assert figures(page, facility_a)[0]["total"] == "95.00"  # 60 + 40 − (4 + 1)


def test_the_export_has_the_ranking_and_a_sheet_of_lines(member, facility_a, facility_b, scored):
    response = login(member, Role.BUREAU_LEADER).get(reverse("assessment:export"), {"year": YEAR})
    book = load_workbook(BytesIO(response.content))
    ranking, lines = book.worksheets
    rows = list(ranking.iter_rows(values_only=True))[2:]
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (1, facility_a.short_name, 97),
        (2, facility_b.short_name, 65),
    ]
    line_rows = list(lines.iter_rows(values_only=True))[1:]
    assert (facility_a.short_name, -3, scored.pk) in [(r[0], r[2], r[4]) for r in line_rows]
    assert sum(r[2] for r in line_rows if r[0] == facility_a.short_name) == pytest.approx(97)
