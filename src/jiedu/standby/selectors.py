"""Reading standby shifts, their rosters with each member's clearance, and the test ledger."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from jiedu.standby import domain
from jiedu.standby.models import NotClearedReason, NucleicAcidTest, StandbyMember, StandbyPolicy, StandbyShift


def _rows(facility_ids) -> list[domain.PolicyRow]:
    stored = StandbyPolicy.objects.filter(Q(facility__isnull=True) | Q(facility_id__in=facility_ids))
    return [
        domain.PolicyRow(r.facility_id, r.effective_from, r.standby_days, r.required_negative_tests)
        for r in stored
    ]


def rules_for(facility_id: int, day: datetime.date) -> domain.StandbyRules:
    return domain.rules_in_force(_rows([facility_id]), facility_id=facility_id, day=day)


def current_tests(staff_ids, since: datetime.datetime | None = None):
    """Tests not superseded by a correction (a correction row replaces the row it corrects)."""
    tests = NucleicAcidTest.objects.filter(staff_id__in=staff_ids, correction__isnull=True)
    if since is not None:
        tests = tests.filter(sample_taken_at__gte=since)
    return tests


def clearance(member: StandbyMember, tests, at: datetime.datetime) -> domain.Clearance:
    shift = member.shift
    return domain.duty_clearance(
        standby_start=shift.standby_start,
        duty_due=shift.duty_due,
        duty_at=at,
        tests=[domain.Sample(t.sample_taken_at, t.result) for t in tests if t.staff_id == member.staff_id],
        required=shift.required_negative_tests,
    )


def member_clearance(member: StandbyMember, at: datetime.datetime | None = None) -> domain.Clearance:
    at = at or timezone.now()
    since = member.shift.standby_start - domain.SAMPLE_WINDOW
    return clearance(member, current_tests([member.staff_id], since), at)


def member_clearances(members, at: datetime.datetime | None = None) -> dict[int, domain.Clearance]:
    """``member_clearance`` of each member by id, with one query for the tests of them all."""
    members = list(members)
    if not members:
        return {}
    at = at or timezone.now()
    since = {m.pk: m.shift.standby_start - domain.SAMPLE_WINDOW for m in members}
    tests = list(current_tests({m.staff_id for m in members}, min(since.values())))
    return {
        m.pk: clearance(m, [t for t in tests if t.sample_taken_at >= since[m.pk]], m.duty_started_at or at)
        for m in members
    }


@dataclass(frozen=True)
class RosterLine:
    member: StandbyMember
    clearance: domain.Clearance
    tests: list

    @property
    def reason_labels(self) -> list[tuple[str, str]]:
        labels = dict(NotClearedReason.choices)
        return [(code, str(labels[code])) for code in self.clearance.reasons]


def roster(shift: StandbyShift, at: datetime.datetime | None = None) -> list[RosterLine]:
    """Every member of the shift, whether cleared for duty now (or when duty started), and why not."""
    at = at or timezone.now()
    members = list(shift.members.select_related("staff", "staff__department", "shift"))
    since = shift.standby_start - domain.SAMPLE_WINDOW
    tests = list(current_tests([m.staff_id for m in members], since).order_by("sample_taken_at"))
    lines = []
    for member in members:
        moment = member.duty_started_at or at
        own = [t for t in tests if t.staff_id == member.staff_id and t.sample_taken_at <= moment]
        lines.append(RosterLine(member, clearance(member, own, moment), own))
    return lines


def shifts(user, *, facility_ids=None):
    rows = StandbyShift.objects.visible_to(user).select_related("facility", "zone")
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=facility_ids)
    return rows


def test_ledger(user, *, facility_ids=None, result: str = "", since: datetime.date | None = None):
    rows = NucleicAcidTest.objects.visible_to(user).select_related(
        "facility", "staff", "recorded_by", "correction"
    )
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=facility_ids)
    if result:
        rows = rows.filter(result=result)
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        rows = rows.filter(sample_taken_at__gte=start)
    return rows
