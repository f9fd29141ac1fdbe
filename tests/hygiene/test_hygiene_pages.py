"""Hygiene pages: the ledger with its record form and filters, corrections, the board preview,
publication, the published board side by side, and the Excel exports."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories import PASSWORD, DepartmentFactory
from factories_hygiene import HygieneInspectionFactory
from jiedu.hygiene import services
from jiedu.hygiene.models import HygieneBoard, HygieneInspection
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def last_month():
    end = today().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def login(member, role, facility=None):
    user = member(role, facility)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.user = user
    return client


@pytest.fixture
def leader(member, facility_a):
    return login(member, Role.FACILITY_LEADER, facility_a)


@pytest.fixture
def officer(member, facility_a):
    return login(member, Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def month(facility_a):
    """Last month: 一大队 on the honour roll, 二大队 exposed for a failed inspection."""
    start, end = last_month()
    good = DepartmentFactory(facility=facility_a, name="一大队")
    poor = DepartmentFactory(facility=facility_a, name="二大队")
    for i, (a, b) in enumerate([("97", "95"), ("98", "55")]):
        day = start + datetime.timedelta(days=3 + 7 * i)
        HygieneInspectionFactory(facility=facility_a, department=good, inspected_on=day, score=Decimal(a))
        HygieneInspectionFactory(facility=facility_a, department=poor, inspected_on=day, score=Decimal(b))
    return start, end, good, poor


def test_the_ledger_lists_own_inspections_and_marks_failed_scores(leader, facility_a, facility_b):
    failed = HygieneInspectionFactory(facility=facility_a, score=Decimal("55"))
    HygieneInspectionFactory(facility=facility_b, department__name="乙所一大队")
    page = leader.get(reverse("hygiene:inspections")).content.decode()
    assert f'data-inspection-id="{failed.pk}" class="hygiene-failed"' in page
    assert "乙所一大队" not in page
    assert 'id="hygiene-record-form"' in page


def test_an_officer_reads_the_ledger_without_a_record_form_and_cannot_post(officer, facility_a):
    HygieneInspectionFactory(facility=facility_a)
    page = officer.get(reverse("hygiene:inspections")).content.decode()
    assert "data-inspection-id" in page and 'id="hygiene-record-form"' not in page
    assert officer.post(reverse("hygiene:inspections"), {}).status_code == 403


def test_recording_from_the_ledger_and_a_field_error_next_to_the_score(leader, facility_a):
    department = DepartmentFactory(facility=facility_a, name="三大队")
    url = reverse("hygiene:inspections")
    data = {"department": department.pk, "inspected_on": today().isoformat(), "score": "93.5", "problems": ""}
    assert leader.post(url, data).status_code == 302
    again = leader.post(url, data)
    assert again.status_code == 400 and b'id="id_inspected_on-error"' in again.content
    future = {**data, "inspected_on": (today() + datetime.timedelta(days=1)).isoformat()}
    assert b'id="id_inspected_on-error"' in leader.post(url, future).content
    assert HygieneInspection.objects.count() == 1


def test_filters_narrow_the_ledger_and_htmx_gets_only_the_table(leader, facility_a):
    low = HygieneInspectionFactory(facility=facility_a, score=Decimal("70"))
    high = HygieneInspectionFactory(facility=facility_a, score=Decimal("96"))
    response = leader.get(reverse("hygiene:inspections"), {"below": 75}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'data-inspection-id="{low.pk}"' in body and f'data-inspection-id="{high.pk}"' not in body
    assert body.lstrip().startswith('<div id="hygiene-ledger">')


def test_correcting_an_inspection_and_the_frozen_message_after_publication(leader, facility_a, month):
    start, end, good, poor = month
    recent = HygieneInspectionFactory(
        facility=facility_a, department=good, inspected_on=today(), score=Decimal("80")
    )
    url = reverse("hygiene:inspection_edit", args=[recent.pk])
    read = {"expected_version": recent.version}
    assert leader.post(url, {"score": "101", "problems": "", **read}).status_code == 400
    assert leader.post(url, {"score": "85", "problems": "地面有水渍", **read}).status_code == 302
    recent.refresh_from_db()
    assert recent.score == Decimal("85")
    services.publish_board(actor=leader.user, facility=facility_a, period_start=start, period_end=end)
    old = HygieneInspection.objects.filter(department=poor).first()
    page = leader.get(reverse("hygiene:inspection_edit", args=[old.pk])).content.decode()
    assert 'id="hygiene-frozen"' in page and 'id="hygiene-correct-form"' not in page
    response = leader.post(
        reverse("hygiene:inspection_edit", args=[old.pk]),
        {"score": "99", "problems": "", "expected_version": old.version},
    )
    assert response.status_code == 400
    old.refresh_from_db()
    assert old.score == Decimal("55")


def test_preview_shows_both_lists_and_publishing_freezes_them(leader, facility_a, month):
    start, end, good, poor = month
    query = {"facility": facility_a.pk, "period_start": start.isoformat(), "period_end": end.isoformat(),
             "honour_threshold": "95", "exposure_threshold": "75"}  # fmt: skip
    preview = leader.get(reverse("hygiene:board_preview"), query).content.decode()
    honour, exposure = preview.split('id="hygiene-exposure"')
    assert f'data-department="{good.pk}"' in honour.split('id="hygiene-honour"')[1]
    assert f'data-department="{poor.pk}"' in exposure
    assert 'id="hygiene-publish-form"' in preview and not HygieneBoard.objects.exists()
    response = leader.post(reverse("hygiene:board_preview"), {**query, "note": "予以通报"})
    board = HygieneBoard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "hygiene:board_detail", args=[board.pk]
    )
    page = leader.get(response["Location"]).content.decode()
    assert 'id="hygiene-honour"' in page and 'id="hygiene-exposure"' in page and "予以通报" in page
    again = leader.post(reverse("hygiene:board_preview"), {**query, "note": ""})
    assert again.status_code == 400 and b'id="id_period_start-error"' in again.content
    listed = leader.get(reverse("hygiene:boards")).content.decode()
    assert f'data-board-id="{board.pk}"' in listed


def test_an_officer_may_not_preview_or_publish(officer, facility_a, month):
    assert officer.get(reverse("hygiene:board_preview")).status_code == 403
    assert 'id="hygiene-board-form"' not in officer.get(reverse("hygiene:boards")).content.decode()


def test_another_facilitys_board_is_404(leader, member, facility_b):
    start, end = last_month()
    department = DepartmentFactory(facility=facility_b)
    HygieneInspectionFactory(
        facility=facility_b, department=department, inspected_on=start, score=Decimal("99")
    )
    bureau = member(Role.BUREAU_SUPERVISOR)
    board = services.publish_board(actor=bureau, facility=facility_b, period_start=start, period_end=end)
    assert leader.get(reverse("hygiene:board_detail", args=[board.pk])).status_code == 404
    assert leader.get(reverse("hygiene:board_export", args=[board.pk])).status_code == 404


def sheet_rows(response):
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return [row for row in sheet.iter_rows(values_only=True)]


def test_the_ledger_export_follows_the_filters(leader, facility_a):
    low = HygieneInspectionFactory(facility=facility_a, score=Decimal("70"), department__name="二大队")
    HygieneInspectionFactory(facility=facility_a, score=Decimal("96"), department__name="一大队")
    rows = sheet_rows(leader.get(reverse("hygiene:export"), {"below": 75}))
    assert len(rows) == 3 and rows[2][0] == low.pk and rows[2][2] == "二大队" and rows[2][4] == 70


def test_the_board_export_lists_both_boards(leader, facility_a, month):
    start, end, good, poor = month
    board = services.publish_board(actor=leader.user, facility=facility_a, period_start=start, period_end=end)
    rows = sheet_rows(leader.get(reverse("hygiene:board_export", args=[board.pk])))
    body = rows[2:]
    assert [(r[1], r[2]) for r in body] == [(1, "一大队"), (1, "二大队")]
    assert body[0][3] == 97.5 and body[1][4] == 2
