"""Demo history of temperature rounds: the day before yesterday, yesterday and today up to now,
for every facility (≈960 residents × 12 rounds a day, so only these days).

Each zone's round starts 5-40 minutes into its slot and is imported in one statement through
``import_historical_round`` (audited once per round). A resident is not measured in 2.5% of the
rounds, and each day one zone's round comes late (one facility a day, in turn) so that its slot
is missed: about 3% of the slots in all. Residents who have left since were on the rounds until
they left (in the return guidance zone, as they no longer have a zone of their own).

Three fevers in the region: one isolated at once, one dismissed after a normal re-check, one
left open for the medical officer (呼和浩特所, whose demo login is ``hohhot_medical``).

A facility-day that already has readings is left alone, and nothing is dated after now.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiedu.common.errors import DomainError
from jiedu.common.localtime import local_day_bounds
from jiedu.demo.history import day_rng
from jiedu.demo.region import BAOTOU, FACILITIES, HOHHOT
from jiedu.epidemic.selectors import PolicyBook
from jiedu.health import services
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.organisation.models import FOUR_ZONE_MODEL, Facility, Membership, Zone, ZoneType
from jiedu.organisation.roles import Role
from jiedu.people.models import Resident

DAYS = 3  # today and the two days before
MISS_RATE = 0.025  # with the one late zone round a day, about 3% of the slots are missed
SECONDS_PER_RESIDENT = 25
ISOLATE, DISMISS, LEAVE_OPEN = "isolate", "dismiss", "open"
# (facility code, days ago, the hour of the round, temperature, outcome)
FEVERS = (
    (FACILITIES[0].code, 2, 10, Decimal("38.4"), ISOLATE),  # the first facility: also in one-facility demos
    (BAOTOU, 1, 14, Decimal("37.8"), DISMISS),
    (HOHHOT, 0, None, Decimal("37.9"), LEAVE_OPEN),  # None: the latest round surely done today
)


def seed_history(*, system, today: datetime.date, days: int) -> int:
    now = timezone.now()
    facilities = list(Facility.objects.visible_to(system).order_by("code"))
    book = PolicyBook(f.pk for f in facilities)
    written = 0
    for index, facility in enumerate(facilities):
        actor = _recorder(facility) or system
        for back in range(DAYS - 1, -1, -1):
            day = today - datetime.timedelta(days=back)
            fever = next((f for f in FEVERS if f[0] == facility.code and f[1] == back), None)
            late_round = index == day.toordinal() % len(facilities)  # one facility a day, in turn
            with transaction.atomic():
                written += _seed_day(actor, facility, day, now, book, fever, late_round)
    return written


def _recorder(facility):
    membership = (
        Membership.objects.filter(facility=facility, role=Role.MEDICAL_STAFF, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _seed_day(actor, facility, day, now, book, fever, late_round: bool) -> int:
    start, end = local_day_bounds(day)
    if TemperatureReading.objects.filter(
        facility=facility, measured_at__gte=start, measured_at__lt=end
    ).exists():
        return 0
    policy = book.policy(facility.pk, day)
    step = datetime.timedelta(minutes=policy.temperature_interval_minutes)
    slots = []
    t = start
    while t < min(end, now):
        slots.append(t)
        t += step
    zones = _zones_with_residents(facility, start, end)
    if not slots or not zones:
        return 0
    rng = day_rng(facility.code, day, "health")
    late = None
    if late_round and len(slots) > 1:
        late = (rng.choice(sorted(zones, key=lambda z: z.pk)), rng.randrange(len(slots) - 1))
    fever_at = _fever_slot(fever, slots, step)
    written = 0
    for zone, residents in sorted(zones.items(), key=lambda item: item[0].pk):
        for k, slot in enumerate(slots):
            began = slot + datetime.timedelta(minutes=rng.randint(5, 40))
            if late == (zone, k):
                began += step  # the round of this slot is done in the next one: this slot is missed
            rows = []
            for i, resident in enumerate(residents):
                at = began + datetime.timedelta(seconds=i * SECONDS_PER_RESIDENT)
                if _held(resident, at) and at < now and rng.random() >= MISS_RATE:
                    rows.append((resident, _normal(rng, policy.fever_threshold_c), at))
            if not rows:
                continue
            held_now = [i for i, row in enumerate(rows) if row[0].status == Resident.Status.IN_CUSTODY]
            if fever is not None and k == fever_at and zone.zone_type in FOUR_ZONE_MODEL and held_now:
                resident, _, at = rows[held_now[0]]
                rows[held_now[0]] = (
                    resident,
                    max(fever[3], Decimal(policy.fever_threshold_c) + Decimal("0.3")),
                    at,
                )
                fever_at = None  # one fever
            result = services.import_historical_round(actor=actor, zone=zone, rows=rows)
            written += len(result.readings) + len(result.alerts)
            for alert in result.alerts:
                written += _follow_up(actor, alert, fever[4] if fever else LEAVE_OPEN, now)
    return written


def _zones_with_residents(facility, start, end) -> dict:
    """Who was on the rounds that day, by zone. Residents who have left since have no zone any
    more: they are counted in the return guidance zone, where residents spend their last weeks."""
    residents = (
        Resident.objects.filter(facility=facility, admitted_at__lt=end)
        .filter(Q(left_at__isnull=True) | Q(left_at__gt=start))
        .exclude(status=Resident.Status.OUTSIDE_MEDICAL)
        .select_related("current_zone")
        .order_by("file_number")
    )
    last_zone = Zone.objects.filter(
        facility=facility, zone_type=ZoneType.RETURN_GUIDANCE, is_active=True
    ).first()
    zones: dict = {}
    for resident in residents:
        zone = resident.current_zone or (last_zone if resident.left_at else None)
        if zone is not None:
            zones.setdefault(zone, []).append(resident)
    return zones


def _held(resident, at) -> bool:
    return resident.admitted_at <= at and (resident.left_at is None or at < resident.left_at)


def _fever_slot(fever, slots, step) -> int | None:
    if fever is None:
        return None
    hour = fever[2]
    if hour is None:  # the slot before the current one: its round is surely done by now
        return max(0, len(slots) - 2)
    index = int(datetime.timedelta(hours=hour) / step)
    return index if index < len(slots) else None


def _normal(rng, threshold) -> Decimal:
    value = Decimal(str(round(rng.gauss(36.5, 0.25), 1)))
    return min(max(value, Decimal("35.8")), Decimal(threshold) - Decimal("0.2"))


def _follow_up(actor, alert: FeverAlert, outcome: str, now) -> int:
    """Isolate at once (if a fever room is free), or re-check and dismiss, or leave open."""
    if outcome == ISOLATE:
        at = alert.raised_at + datetime.timedelta(minutes=25)
        if at > now:
            return 0
        try:
            with transaction.atomic():
                services.accept_isolation(actor=actor, alert=alert, at=at)
        except DomainError:
            return 0  # no free fever room in this facility: the alert stays open
        return 1
    if outcome == DISMISS and alert.recheck_due_at + datetime.timedelta(minutes=5) <= now:
        services.record_reading(
            actor=actor,
            resident=alert.resident,
            temperature_c=Decimal("36.8"),
            measured_at=alert.recheck_due_at,
        )
        services.dismiss_alert(
            actor=actor,
            alert=alert,
            reason="复测体温正常，排除发热",
            at=alert.recheck_due_at + datetime.timedelta(minutes=5),
        )
        return 2
    return 0
