"""Standby pages: the roster shows who is cleared and why not; start duty only when cleared; the ledger exports."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories import PASSWORD, ZoneFactory
from factories_standby import NucleicAcidTestFactory, StandbyMemberFactory, StandbyShiftFactory
from jiedu.organisation.roles import Role
from jiedu.standby.exports import HEADERS
from jiedu.standby.models import NucleicAcidTest, StandbyShift

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def medic(member, facility_a):
    client = Client()
    assert client.login(username=member(Role.MEDICAL_STAFF, facility_a).username, password=PASSWORD)
    return client


@pytest.fixture
def due_shift(facility_a):
    """A shift due for duty today: one member cleared, one without the second test."""
    shift = StandbyShiftFactory(facility=facility_a, starts_on=timezone.localdate() - datetime.timedelta(days=14))
    cleared = StandbyMemberFactory(facility=facility_a, shift=shift)
    waiting = StandbyMemberFactory(facility=facility_a, shift=shift)
    for member in (cleared, waiting):
        NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=shift.standby_start - HOUR)
    NucleicAcidTestFactory(facility=facility_a, staff=cleared.staff, sample_taken_at=timezone.now() - HOUR)
    return shift, cleared, waiting


def test_the_roster_shows_cleared_and_not_cleared_with_reasons(medic, due_shift):
    shift, cleared, waiting = due_shift
    page = medic.get(reverse("standby:shift_detail", args=[shift.pk])).content.decode()
    assert f'data-member-id="{cleared.pk}" data-cleared="yes"' in page
    assert f'data-member-id="{waiting.pk}" data-cleared="no"' in page
    assert 'data-reason="no_test_before_duty"' in page
    assert page.count("start-duty\" disabled") == 1


def test_start_duty_from_the_page(medic, due_shift):
    shift, cleared, waiting = due_shift
    medic.post(reverse("standby:start_duty", args=[cleared.pk]))
    response = medic.post(reverse("standby:start_duty", args=[waiting.pk]), follow=True)
    cleared.refresh_from_db()
    waiting.refresh_from_db()
    assert cleared.duty_started_at is not None and waiting.duty_started_at is None
    assert response.status_code == 200 and b'class="error"' in response.content


def test_creating_a_shift_from_the_list(medic, facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="standby_isolation", name="隔离备勤区")
    response = medic.post(reverse("standby:shifts"), {"zone": zone.pk, "starts_on": "2026-11-01"})
    shift = StandbyShift.objects.get()
    assert response.status_code == 302 and shift.standby_days == 14
    assert f'data-shift-id="{shift.pk}"' in medic.get(reverse("standby:shifts")).content.decode()


def test_entering_a_test_on_the_roster_and_a_field_error(medic, due_shift):
    shift, _cleared, waiting = due_shift
    url = reverse("standby:shift_detail", args=[shift.pk])
    good = {
        "form": "test", "test-staff": waiting.staff.pk, "test-test_kind": "pcr", "test-result": "negative",
        "test-laboratory": "盟疾控中心", "test-sample_taken_at": (timezone.localtime() - HOUR).strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    assert medic.post(url, good).status_code == 302
    future = {**good, "test-sample_taken_at": (timezone.localtime() + 3 * HOUR).strftime("%Y-%m-%dT%H:%M")}
    response = medic.post(url, future)
    assert response.status_code == 400 and b"id_test-sample_taken_at-error" in response.content
    assert NucleicAcidTest.objects.filter(staff=waiting.staff).count() == 2
    assert 'data-member-id="%d" data-cleared="yes"' % waiting.pk in medic.get(url).content.decode()


def test_the_test_ledger_exports_every_test(medic, due_shift):
    response = medic.get(reverse("standby:export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows[1]) == len(HEADERS)
    assert len(rows) == 2 + 3
    assert medic.get(reverse("standby:tests")).status_code == 200


def test_a_gate_officer_sees_no_standby_page(member, facility_a):
    client = Client()
    client.login(username=member(Role.GATE_OFFICER, facility_a).username, password=PASSWORD)
    assert client.get(reverse("standby:shifts")).status_code == 403
