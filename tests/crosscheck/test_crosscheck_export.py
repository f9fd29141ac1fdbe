"""A saved run's findings as a spreadsheet, only for those who may see the run."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from factories import PASSWORD, StaffFactory
from factories_crosscheck import CrossCheckFindingFactory, CrossCheckRunFactory
from jiedu.crosscheck.exports import HEADERS
from jiedu.crosscheck.models import CrossCheckFinding
from jiedu.organisation.roles import Role


def _login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


def test_the_export_lists_every_finding_with_chinese_headers(officer, facility_a):
    run = CrossCheckRunFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)
    finding = CrossCheckFindingFactory(
        facility=facility_a, run=run, staff=staff, kind=CrossCheckFinding.Kind.CODE_NOT_GREEN, detail="黄码"
    )
    CrossCheckFindingFactory(facility=facility_a)  # another run's finding stays out
    response = _login(officer).get(reverse("crosscheck:export_run", args=[run.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if row and row[0] == str(HEADERS[0]))
    assert len(rows[header_row]) >= len(HEADERS)
    body = rows[header_row + 1 :]
    assert [row[0] for row in body] == [finding.pk]
    assert staff.police_number in body[0] and "黄码" in body[0]


def test_the_run_page_links_to_its_export(officer, facility_a):
    run = CrossCheckRunFactory(facility=facility_a)
    page = _login(officer).get(reverse("crosscheck:run_detail", args=[run.pk])).content.decode()
    assert reverse("crosscheck:export_run", args=[run.pk]) in page


def test_another_facilitys_run_is_not_exported(officer, facility_b):
    run = CrossCheckRunFactory(facility=facility_b)
    assert _login(officer).get(reverse("crosscheck:export_run", args=[run.pk])).status_code == 404
