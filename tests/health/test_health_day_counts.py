"""The database-counted round figures equal the slot-by-slot rules on random days.

``facility_round_tallies`` (the epidemic panel) and ``overdue_today`` (the overdue page) count
in SQL what ``health.domain`` works out resident by resident; here both are compared with the
slot-by-slot path (``rounds_in_window`` over every resident) on random residents, admissions,
leavings, intervals, readings (slot edges and microseconds included) and moments of the day.
Run on SQLite by default and on PostgreSQL with DATABASE_URL set.
"""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import ResidentFactory, UserFactory
from factories_epidemic import EpidemicPolicyFactory
from jiedu.common.localtime import local_day_bounds
from jiedu.health import domain, selectors
from jiedu.health.models import TemperatureReading
from jiedu.people.models import Resident

DAY = datetime.date(2026, 11, 20)
START, END = local_day_bounds(DAY)
# 100 and 150 do not divide a day: its last slot is cut short at midnight.
INTERVALS = [15, 45, 60, 90, 100, 120, 150, 1440]


def _moment(rnd, *, before=180, after=180) -> datetime.datetime:
    """A time around the day: often on a quarter hour (a slot edge), else anywhere to the microsecond."""
    if rnd.random() < 0.4:
        return START + datetime.timedelta(minutes=15 * rnd.randint(-before // 15, (1440 + after) // 15))
    return START + datetime.timedelta(
        microseconds=rnd.randint(-before, 1440 + after) * 60_000_000 + rnd.randint(0, 59_999_999)
    )


def _resident(rnd, facility) -> Resident:
    admitted = _moment(rnd, before=3000) if rnd.random() < 0.3 else START - datetime.timedelta(days=30)
    gone = rnd.random() < 0.25
    left = max(admitted, _moment(rnd)) if gone else None
    status = (
        rnd.choice(["released", "transferred"])
        if gone
        else rnd.choice(["in_custody"] * 5 + ["outside_medical"])
    )
    return ResidentFactory(facility=facility, admitted_at=admitted, left_at=left, status=status)


def _readings(rnd, resident, clerk, now, interval) -> list[TemperatureReading]:
    times = [_moment(rnd) for _ in range(rnd.randint(0, 10))]
    if rnd.random() < 0.3:  # exactly one interval before now: the overdue edge
        times.append(now - datetime.timedelta(minutes=interval))
    return [
        TemperatureReading(
            facility_id=resident.facility_id,
            resident=resident,
            measured_at=at,
            temperature_c=Decimal("36.6"),
            measured_by=clerk,
        )  # fmt: skip
        for at in times
    ]


def _region(rnd, facilities):
    """Residents and readings of each facility under a random interval; returns ``now``."""
    intervals = [rnd.choice(INTERVALS) for _ in facilities]
    now = rnd.choice(
        [
            _moment(rnd, before=0, after=240),
            _moment(rnd, before=0, after=240),
            END + datetime.timedelta(hours=1),  # a past day
            START + datetime.timedelta(minutes=intervals[0]),  # the first interval just passed
        ]
    )
    clerk = UserFactory()
    readings = []
    for facility, interval in zip(facilities, intervals, strict=True):
        EpidemicPolicyFactory(facility=facility, effective_from=DAY, temperature_interval_minutes=interval)
        for _ in range(rnd.randint(0, 12)):
            readings += _readings(rnd, _resident(rnd, facility), clerk, now, interval)
    TemperatureReading.objects.bulk_create(readings)
    return now


def _slot_by_slot(facilities, now):
    ids = [f.pk for f in facilities]
    return selectors.rounds_in_window(ids, START, END, now)


search = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@search
@given(rnd=st.randoms(use_true_random=False))
def test_facility_tallies_equal_the_slot_by_slot_tallies(facility_a, facility_b, rnd):
    facilities = [facility_a, facility_b]
    with transaction.atomic():
        now = _region(rnd, facilities)
        window = _slot_by_slot(facilities, now)
        expected = domain.tally_by(window.rounds.values(), window.facility_of.get)
        counted = selectors.facility_round_tallies(facilities, DAY, now)
        assert counted == {f.pk: expected.get(f.pk, domain.Tally()) for f in facilities}
        transaction.set_rollback(True)


@search
@given(rnd=st.randoms(use_true_random=False))
def test_overdue_and_missed_lists_equal_the_slot_by_slot_lists(facility_a, facility_b, rnd):
    facilities = [facility_a, facility_b]
    with transaction.atomic():
        now = _region(rnd, facilities)
        # The overdue page looks at the day of ``now``; keep it on DAY.
        now = min(now, END - datetime.timedelta(microseconds=1))
        window = _slot_by_slot(facilities, now)
        late, missed = selectors.overdue_today(facilities, now)
        assert {row.resident.pk: row.rounds for row in late} == {
            pk: r for pk, r in window.rounds.items() if r.overdue_since is not None
        }
        assert {row.resident.pk: row.rounds for row in missed} == {
            pk: r for pk, r in window.rounds.items() if r.missed
        }
        transaction.set_rollback(True)


def test_a_day_held_throughout_is_counted_from_its_slots(facility_a):
    """Two residents on two-hour rounds at 09:30: slots 00-02 … 08-10 (4 ended, 1 running)."""
    now = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(9, 30)))
    early, late = ResidentFactory.create_batch(
        2, facility=facility_a, admitted_at=START - datetime.timedelta(days=3)
    )
    clerk = UserFactory()
    for resident, hours in ((early, (1, 1.5, 3, 8.5)), (late, (5,))):
        for hour in hours:
            TemperatureReading.objects.create(
                facility=facility_a, resident=resident, measured_at=START + datetime.timedelta(hours=hour),
                temperature_c=Decimal("36.5"), measured_by=clerk,
            )  # fmt: skip
    tally = selectors.facility_round_tallies([facility_a], DAY, now)[facility_a.pk]
    # early: slots 0, 1 and the running 4 done, 2 and 3 missed; late: slot 2 done, 0, 1, 3 missed.
    assert (tally.residents, tally.done, tally.missed, tally.due, tally.overdue) == (2, 4, 5, 9, 1)
    late_rows, missed_rows = selectors.overdue_today([facility_a], now)
    assert [row.resident for row in late_rows] == [late]
    assert {row.resident for row in missed_rows} == {early, late}


def test_the_counts_cost_the_same_queries_for_few_residents_or_many(facility_a):
    now = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(15)))
    clerk = UserFactory()

    def add(n):
        for resident in ResidentFactory.create_batch(
            n, facility=facility_a, admitted_at=START - datetime.timedelta(days=1)
        ):
            TemperatureReading.objects.create(
                facility=facility_a, resident=resident, measured_at=START + datetime.timedelta(hours=3),
                temperature_c=Decimal("36.5"), measured_by=clerk,
            )  # fmt: skip
        ResidentFactory(
            facility=facility_a, admitted_at=START + datetime.timedelta(hours=7)
        )  # admitted today

    def queries():
        with CaptureQueriesContext(connection) as captured:
            selectors.facility_round_tallies([facility_a], DAY, now)
            selectors.overdue_today([facility_a], now)
        return len(captured)

    add(2)
    few = queries()
    add(10)
    assert queries() == few == 10  # each: the policy, two counting queries, the others and their readings
