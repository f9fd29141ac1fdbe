"""Which rules were in force: per-setting facility overrides over region defaults, by date."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiedu.epidemic.domain import BUILT_IN, SETTINGS, Policy, PolicyRow, policy_in_force

DAY = datetime.date(2026, 3, 1)
FACILITY = 7


def row(facility_id, days_before, **values):
    return PolicyRow(facility_id=facility_id, effective_from=DAY - datetime.timedelta(days=days_before), values=values)


def test_nothing_stored_means_the_built_in_rules_of_the_seed_reports():
    assert policy_in_force([], facility_id=FACILITY, day=DAY) == Policy(
        temperature_interval_minutes=120, fever_threshold_c=Decimal("37.3"), ventilations_per_day=5,
        disinfections_per_day=3, pre_release_observation_days=14, closed_management=True,
    )  # fmt: skip


def test_a_facility_override_wins_for_its_own_setting_only():
    rows = [row(None, 30, fever_threshold_c=Decimal("37.5"), ventilations_per_day=4), row(FACILITY, 10, ventilations_per_day=6)]
    policy = policy_in_force(rows, facility_id=FACILITY, day=DAY)
    assert policy.ventilations_per_day == 6 and policy.fever_threshold_c == Decimal("37.5")


def test_a_later_region_change_does_not_undo_a_facility_override():
    rows = [row(FACILITY, 20, temperature_interval_minutes=240), row(None, 5, temperature_interval_minutes=60)]
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY).temperature_interval_minutes == 240
    assert policy_in_force(rows, facility_id=FACILITY + 1, day=DAY).temperature_interval_minutes == 60


def test_a_past_day_keeps_the_rules_it_had():
    rows = [row(None, 40, closed_management=True), row(None, 0, closed_management=False)]
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY - datetime.timedelta(days=1)).closed_management is True
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY).closed_management is False


def test_other_facilities_overrides_are_ignored():
    rows = [row(FACILITY + 1, 10, disinfections_per_day=9)]
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY).disinfections_per_day == BUILT_IN.disinfections_per_day


rows_strategy = st.lists(
    st.builds(
        PolicyRow,
        facility_id=st.sampled_from([None, FACILITY, FACILITY + 1]),
        effective_from=st.dates(min_value=DAY - datetime.timedelta(days=60), max_value=DAY + datetime.timedelta(days=60)),
        values=st.fixed_dictionaries({}, optional={"ventilations_per_day": st.integers(0, 24), "closed_management": st.booleans()}),
    ),
    max_size=12,
    unique_by=lambda r: (r.facility_id, r.effective_from),  # the database allows one row per scope and date
)


@given(rows_strategy)
def test_the_answer_does_not_depend_on_row_order(rows):
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY) == policy_in_force(
        list(reversed(rows)), facility_id=FACILITY, day=DAY
    )


@given(rows_strategy)
def test_rows_from_the_future_never_matter(rows):
    past = [r for r in rows if r.effective_from <= DAY]
    assert policy_in_force(rows, facility_id=FACILITY, day=DAY) == policy_in_force(past, facility_id=FACILITY, day=DAY)


@given(rows_strategy)
def test_every_setting_comes_from_a_stored_row_or_the_built_in_default(rows):
    policy = policy_in_force(rows, facility_id=FACILITY, day=DAY)
    for setting in SETTINGS:
        candidates = {getattr(BUILT_IN, setting)} | {
            r.values[setting] for r in rows if setting in r.values and r.facility_id in (None, FACILITY)
        }
        assert getattr(policy, setting) in candidates
