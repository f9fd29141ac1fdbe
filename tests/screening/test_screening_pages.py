"""The rounds list, a round's coverage with who is missing, the clerk's bulk entry and the register export."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from factories import PASSWORD, StaffFactory
from factories_screening import CommitmentFactory, ScreeningRoundFactory
from jiedu.organisation.roles import Role
from jiedu.screening.exports import HEADERS
from jiedu.screening.models import Commitment, ScreeningRound


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def officer(member, facility_a):
    return _client(member(Role.FACILITY_OFFICER, facility_a))


def test_the_rounds_list_shows_a_coverage_bar_per_own_facility(officer, facility_a, facility_b):
    region = ScreeningRoundFactory(facility=None, facilities=[facility_a, facility_b], kind="commitment")
    CommitmentFactory(facility=facility_a, round=region)
    StaffFactory(facility=facility_a)

    body = officer.get("/screening/").content.decode()

    assert f'data-round-id="{region.pk}"' in body
    assert f'data-facility-id="{facility_a.pk}"' in body and f'data-facility-id="{facility_b.pk}"' not in body
    assert 'data-kind="commitments" data-done="1" data-in-scope="2"' in body


def test_a_region_wide_round_shows_only_own_facility_rows(officer, facility_a, facility_b):
    region = ScreeningRoundFactory(facility=None, facilities=[facility_a, facility_b])
    own = StaffFactory(facility=facility_a, name="甲所民警")
    StaffFactory(facility=facility_b, name="乙所民警")

    body = officer.get(f"/screening/{region.pk}/").content.decode()

    assert own.name in body and "乙所民警" not in body


def test_another_facilitys_round_answers_404(officer, facility_b):
    assert officer.get(f"/screening/{ScreeningRoundFactory(facility=facility_b).pk}/").status_code == 404


def test_the_clerk_records_ticked_letters_at_once(officer, facility_a):
    campaign = ScreeningRoundFactory(facility=facility_a, kind="commitment")
    first, second, third = StaffFactory.create_batch(3, facility=facility_a)

    response = officer.post(
        f"/screening/{campaign.pk}/",
        {"staff_members": [first.pk, second.pk], "signed_on": "2026-10-03", "paper_filed_at": "政治处"},
    )

    assert response.status_code == 302
    assert set(Commitment.objects.values_list("staff_id", flat=True)) == {first.pk, second.pk}
    body = officer.get(f"/screening/{campaign.pk}/").content.decode()
    assert f'data-staff-id="{third.pk}"' in body and f'data-staff-id="{first.pk}"' not in body


def test_a_bad_bulk_entry_shows_the_error_and_saves_nothing(officer, facility_a):
    campaign = ScreeningRoundFactory(facility=facility_a, kind="commitment")
    staff = StaffFactory(facility=facility_a)

    response = officer.post(f"/screening/{campaign.pk}/", {"staff_members": [staff.pk], "signed_on": "2026-09-01"})

    assert response.status_code == 400 and Commitment.objects.count() == 0
    assert 'id="bulk-commitments"' in response.content.decode()


def test_a_reader_without_the_staff_health_role_is_refused(member, facility_a):
    assert _client(member(Role.GATE_OFFICER, facility_a)).get("/screening/").status_code == 403


def test_the_register_export_has_a_row_per_staff_in_scope(officer, facility_a):
    screening_round = ScreeningRoundFactory(facility=facility_a)
    signed = CommitmentFactory(facility=facility_a, round=screening_round, paper_filed_at="档案柜")
    StaffFactory(facility=facility_a)

    response = officer.get("/screening/export/", {"round": screening_round.pk})

    rows = list(load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if row and row[0] == str(HEADERS[0]))
    data = [row for row in rows[header_row + 1 :] if row and row[0]]
    assert len(rows[header_row]) >= len(HEADERS) and len(data) == 2
    assert any(signed.staff.name in row and "档案柜" in row for row in data)


def test_a_facility_leader_creates_a_round_for_own_departments(member, facility_a):
    from factories import DepartmentFactory

    leader = _client(member(Role.FACILITY_LEADER, facility_a))
    brigade = DepartmentFactory(facility=facility_a)

    form_page = leader.get("/screening/new/").content.decode()
    response = leader.post(
        "/screening/new/",
        {"name": "十一月排查", "kind": "screening", "starts_on": "2026-11-01", "ends_on": "2026-11-10",
         "facility": facility_a.pk, "departments": [brigade.pk]},
    )  # fmt: skip

    assert 'name="facilities"' not in form_page
    created = ScreeningRound.objects.get()
    assert response.status_code == 302 and created.facility == facility_a
    assert list(created.departments.all()) == [brigade]


def test_the_bureau_creates_a_region_wide_round(member, facility_a, facility_b):
    supervisor = _client(member(Role.BUREAU_SUPERVISOR))

    response = supervisor.post(
        "/screening/new/",
        {"name": "全区排查", "kind": "screening", "starts_on": "2026-11-01", "ends_on": "2026-11-10",
         "facilities": [facility_a.pk, facility_b.pk]},
    )  # fmt: skip

    created = ScreeningRound.objects.get()
    assert response.status_code == 302 and created.facility is None and created.facilities.count() == 2


def test_a_round_ending_before_it_starts_shows_the_error_beside_the_field(member, facility_a):
    leader = _client(member(Role.FACILITY_LEADER, facility_a))

    response = leader.post(
        "/screening/new/",
        {"name": "排查", "kind": "screening", "starts_on": "2026-11-10", "ends_on": "2026-11-01",
         "facility": facility_a.pk},
    )  # fmt: skip

    assert response.status_code == 400 and 'id="id_ends_on-error"' in response.content.decode()
    assert not ScreeningRound.objects.exists()


def test_a_gate_officer_may_not_create_rounds(member, facility_a):
    assert _client(member(Role.GATE_OFFICER, facility_a)).get("/screening/new/").status_code == 403


def test_a_staff_member_fills_in_their_own_form(facility_a):
    from django.utils import timezone

    from factories import UserFactory

    user = UserFactory()
    staff = StaffFactory(facility=facility_a, user=user)
    today = timezone.localdate()
    running = ScreeningRoundFactory(facility=facility_a, starts_on=today, ends_on=today)
    client = _client(user)

    refused = client.post("/screening/mine/", {"round": running.pk, "symptoms": "on"})
    accepted = client.post("/screening/mine/", {"round": running.pk, "symptoms": "on", "symptom_details": "咳嗽"})

    assert refused.status_code == 400 and 'id="id_symptom_details-error"' in refused.content.decode()
    assert accepted.status_code == 302
    assert running.forms.get().staff == staff and running.forms.get().submitted_by == user
    assert 'id="nothing-open"' in client.get("/screening/mine/").content.decode()


def test_a_login_without_a_staff_record_has_no_own_form(member, facility_a):
    assert _client(member(Role.FACILITY_OFFICER, facility_a)).get("/screening/mine/").status_code == 404
