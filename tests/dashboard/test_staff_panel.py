"""The staff panel counts leave reports, standby clearance, the overseas ledger and commitments
from the records of each facility."""

import datetime

from django.test import Client
from django.utils import timezone

from factories import StaffFactory
from factories_overseas import OverseasStatusFactory
from factories_screening import CommitmentFactory, ScreeningRoundFactory
from factories_staffleave import DailyReportFactory, LeavePeriodFactory
from factories_standby import NucleicAcidTestFactory, StandbyMemberFactory, StandbyShiftFactory
from jiedu.dashboard.staff_panel import staff_figures
from jiedu.organisation.roles import Role
from jiedu.people.models import Staff

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 15, 0))
TODAY = NOW.date()


def test_leave_figures_count_who_is_on_leave_and_who_has_not_reported(member, facility_a):
    reported = LeavePeriodFactory(facility=facility_a, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=3))
    LeavePeriodFactory(facility=facility_a, starts_on=TODAY - datetime.timedelta(days=1), ends_on=TODAY)
    LeavePeriodFactory(facility=facility_a, starts_on=TODAY + datetime.timedelta(days=1), ends_on=TODAY + datetime.timedelta(days=2))
    DailyReportFactory(facility=facility_a, period=reported, day=TODAY)
    [row] = staff_figures(member(Role.FACILITY_LEADER, facility_a), now=NOW)
    assert (row.on_leave, row.missing_reports, row.reviews_pending) == (2, 1, 1)


def test_standby_figures_count_shifts_under_way_and_members_cleared_for_duty(member, facility_a):
    shift = StandbyShiftFactory(facility=facility_a, starts_on=TODAY - datetime.timedelta(days=3), standby_days=14)
    StandbyShiftFactory(facility=facility_a, starts_on=TODAY - datetime.timedelta(days=30), standby_days=14)  # over
    waiting = StandbyMemberFactory(facility=facility_a, shift=shift)
    StandbyMemberFactory(facility=facility_a, shift=shift)
    NucleicAcidTestFactory(facility=facility_a, staff=waiting.staff, sample_taken_at=shift.standby_start)
    [row] = staff_figures(member(Role.FACILITY_LEADER, facility_a), now=NOW)
    assert (row.shifts_under_way, row.standby_members) == (1, 2)
    assert row.cleared_for_duty == 0  # duty is days away: nobody may start yet


def test_overseas_and_commitment_figures(member, facility_a):
    OverseasStatusFactory(facility=facility_a)
    round_ = ScreeningRoundFactory(facility=facility_a, starts_on=TODAY - datetime.timedelta(days=2), ends_on=TODAY)
    signed, unsigned = StaffFactory(facility=facility_a), StaffFactory(facility=facility_a)
    CommitmentFactory(facility=facility_a, round=round_, staff=signed)
    [row] = staff_figures(member(Role.FACILITY_LEADER, facility_a), now=NOW)
    assert sum(row.overseas.values()) == 1
    in_scope = Staff.objects.filter(facility=facility_a).count()  # the ledger entry's staff member too
    assert unsigned.status == "on_duty" and in_scope == 3
    assert row.screening_percent == 100 // in_scope


def test_another_facility_is_not_shown_and_the_page_needs_the_role(member, facility_a, facility_b):
    LeavePeriodFactory(facility=facility_b, starts_on=TODAY, ends_on=TODAY)
    leader = member(Role.FACILITY_LEADER, facility_a)
    assert [row.facility for row in staff_figures(leader, now=NOW)] == [facility_a]
    client = Client()
    client.force_login(leader)
    html = client.get("/epidemic/staff-panel/").content.decode()
    assert 'id="staff-panel"' in html and f'data-facility="{facility_b.pk}"' not in html
    gate = Client()
    gate.force_login(member(Role.GATE_OFFICER, facility_a))
    assert gate.get("/epidemic/staff-panel/").status_code == 403
