"""Compliance as read from the database: local days, the policy and key areas of the day, corrections."""

import datetime

import pytest
from django.utils import timezone

from factories import FacilityFactory
from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from factories_epidemic import EpidemicPolicyFactory
from jiedu.environment import selectors
from jiedu.organisation.roles import Role

DAY = datetime.date(2026, 6, 10)


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _record(area, day, hour, kind="ventilation", **extra):
    if kind == "disinfection":
        extra.setdefault("agent", "含氯消毒剂")
        extra.setdefault("concentration", "500 mg/L")
    return EnvironmentRecordFactory(
        facility=area.facility, area=area, kind=kind, performed_at=_at(day, hour), **extra
    )


@pytest.fixture
def viewer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def region_policy(db):
    """The region's 5 ventilations and 3 disinfections, since long before."""
    return EpidemicPolicyFactory(
        facility=None,
        effective_from=datetime.date(2025, 1, 1),
        ventilations_per_day=5,
        disinfections_per_day=3,
    )


def test_a_past_day_is_judged_by_the_policy_then_in_force(viewer, facility_a, region_policy):
    # given a facility that asked for only 2 ventilations a day from DAY on
    EpidemicPolicyFactory(facility=facility_a, effective_from=DAY, ventilations_per_day=2)
    area = KeyAreaFactory(facility=facility_a)
    for day in (DAY - datetime.timedelta(days=1), DAY):
        _record(area, day, 9)
        _record(area, day, 15)
    # when the day before and the day itself are reported
    before = selectors.day_report(viewer, facility_a, DAY - datetime.timedelta(days=1))
    on = selectors.day_report(viewer, facility_a, DAY)
    # then each is judged by its own requirement
    assert before.requirement.ventilation == 5 and before.compliance.ventilation.rate == 2 / 5
    assert on.requirement.ventilation == 2 and on.compliance.ventilation.rate == 1
    assert on.requirement.disinfection == 3  # the region's value still applies to what was not overridden


def test_a_past_day_counts_the_areas_that_were_key_that_day(viewer, facility_a, region_policy):
    # given one area key until DAY (exclusive) and one key from DAY on
    old = KeyAreaFactory(
        facility=facility_a, name="旧会见室", key_since=datetime.date(2026, 1, 1), key_until=DAY
    )
    new = KeyAreaFactory(facility=facility_a, name="新会见室", key_since=DAY)
    # then the day before counts only the old one, DAY only the new one
    assert [
        s.area for s in selectors.day_report(viewer, facility_a, DAY - datetime.timedelta(days=1)).areas
    ] == [old]
    assert [s.area for s in selectors.day_report(viewer, facility_a, DAY).areas] == [new]


def test_a_day_is_the_local_day(viewer, facility_a, region_policy):
    area = KeyAreaFactory(facility=facility_a)
    _record(area, DAY, 0, note="00:00 本地")
    _record(area, DAY - datetime.timedelta(days=1), 23, note="前一天 23:00")
    EnvironmentRecordFactory(facility=facility_a, area=area, performed_at=_at(DAY, 23, 59))
    report = selectors.day_report(viewer, facility_a, DAY)
    assert report.areas[0].day.ventilation.done == 2


def test_corrected_and_retracted_records_count_once_or_not_at_all(viewer, facility_a, region_policy):
    area = KeyAreaFactory(facility=facility_a)
    first = _record(area, DAY, 8)
    _record(area, DAY, 10, corrects=first)  # replaces the 08:00 one
    mistaken = _record(area, DAY, 12)
    _record(area, DAY, 12, corrects=mistaken, is_retraction=True)
    report = selectors.day_report(viewer, facility_a, DAY)
    assert report.areas[0].day.ventilation.done == 1


def test_an_area_behind_schedule_at_a_given_moment(viewer, facility_a, region_policy):
    aired = KeyAreaFactory(facility=facility_a, name="食堂")
    late = KeyAreaFactory(facility=facility_a, name="医务室")
    for hour in (8, 10, 12):
        _record(aired, DAY, hour)
    _record(aired, DAY, 9, kind="disinfection")
    _record(late, DAY, 9, kind="disinfection")
    report = selectors.day_report(
        viewer, facility_a, DAY, now=_at(DAY, 13)
    )  # 2 ventilations, 1 disinfection due
    by_name = {s.area.name: s for s in report.areas}
    assert not by_name["食堂"].is_behind
    assert set(by_name["医务室"].behind) == {"ventilation"}
    assert by_name["医务室"].behind["ventilation"].expected == 2
    assert report.behind_count == 1


def test_the_board_knows_the_last_agent_and_the_latest_record(viewer, facility_a, region_policy):
    area = KeyAreaFactory(facility=facility_a, key_since=timezone.localdate() - datetime.timedelta(days=10))
    other = KeyAreaFactory(facility=facility_a, key_since=timezone.localdate() - datetime.timedelta(days=10))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _record(area, yesterday, 9, kind="disinfection", agent="过氧乙酸", concentration="0.2%")
    _record(other, yesterday, 8, kind="disinfection", agent="84消毒液", concentration="500 mg/L")
    now = timezone.now()
    latest = EnvironmentRecordFactory(
        facility=facility_a, area=area, performed_at=now - datetime.timedelta(minutes=1)
    )
    board = selectors.today_board(viewer, facility_a, now=now)
    by_area = {s.area.pk: s for s in board.areas}
    assert (by_area[area.pk].last_agent, by_area[area.pk].last_concentration) == ("过氧乙酸", "0.2%")
    assert by_area[area.pk].latest == latest and by_area[other.pk].latest is None
    assert by_area[other.pk].last_agent == "84消毒液"


def test_a_new_area_takes_the_facilitys_last_agent(viewer, facility_a, region_policy):
    old = KeyAreaFactory(facility=facility_a, key_since=timezone.localdate() - datetime.timedelta(days=5))
    _record(
        old,
        timezone.localdate() - datetime.timedelta(days=1),
        9,
        kind="disinfection",
        agent="75%酒精",
        concentration="75%",
    )
    KeyAreaFactory(facility=facility_a, key_since=timezone.localdate())
    board = selectors.today_board(viewer, facility_a)
    assert {s.last_agent for s in board.areas} == {"75%酒精"}


def test_the_trend_uses_each_days_areas_and_policy(viewer, facility_a, region_policy):
    EpidemicPolicyFactory(
        facility=facility_a, effective_from=DAY, ventilations_per_day=1, disinfections_per_day=1
    )
    area = KeyAreaFactory(facility=facility_a, key_since=DAY - datetime.timedelta(days=1))
    _record(area, DAY - datetime.timedelta(days=1), 9)
    _record(area, DAY, 9)
    trend = selectors.compliance_trend(viewer, facility_a, last_day=DAY, days=3)
    assert [point["day"] for point in trend] == [DAY - datetime.timedelta(days=d) for d in (2, 1, 0)]
    assert trend[0]["ventilation"].required == 0  # no key area yet
    assert trend[1]["ventilation"].rate == 1 / 5 and trend[1]["disinfection"].rate == 0
    assert trend[2]["ventilation"].rate == 1 and trend[2]["disinfection"].rate == 0


def test_compliance_by_facility_for_a_bureau_user_in_two_queries(
    member, region_policy, django_assert_num_queries
):
    bureau = member(Role.BUREAU_LEADER)
    facilities = [FacilityFactory() for _ in range(4)]
    for facility in facilities:
        for name in ("食堂", "医务室"):
            area = KeyAreaFactory(facility=facility, name=name)
            for hour in (8, 10, 12, 15, 18):
                _record(area, DAY, hour)
    missing = KeyAreaFactory(facility=facilities[0], name="会见室")  # never aired
    _record(missing, DAY, 9, kind="disinfection")
    bureau.refresh_from_db()
    selectors.compliance_by_facility(bureau, DAY)  # memberships are cached on the user by the first call
    with django_assert_num_queries(3):  # facilities, key areas with their counts, policy rows
        result = selectors.compliance_by_facility(bureau, DAY, now=_at(DAY + datetime.timedelta(days=1), 8))
    assert set(result) == {f.pk for f in facilities}
    assert result[facilities[0].pk] == {"ventilation": 10 / 15, "disinfection": 1 / 9, "overdue_areas": 3}
    assert result[facilities[1].pk] == {"ventilation": 1.0, "disinfection": 0.0, "overdue_areas": 2}


def test_compliance_by_facility_shows_only_the_users_facilities(
    viewer, facility_a, facility_b, region_policy
):
    KeyAreaFactory(facility=facility_b)
    result = selectors.compliance_by_facility(viewer, DAY)
    assert set(result) == {facility_a.pk}
    assert result[facility_a.pk] == {"ventilation": 1.0, "disinfection": 1.0, "overdue_areas": 0}


def test_during_the_day_only_rounds_due_so_far_make_an_area_overdue(viewer, facility_a, region_policy):
    area = KeyAreaFactory(facility=facility_a)
    _record(area, DAY, 8)
    assert selectors.compliance_by_facility(viewer, DAY, now=_at(DAY, 9))[facility_a.pk]["overdue_areas"] == 0
    assert (
        selectors.compliance_by_facility(viewer, DAY, now=_at(DAY, 13))[facility_a.pk]["overdue_areas"] == 1
    )


def test_the_ledger_filters_and_stays_in_scope(viewer, facility_a, facility_b, region_policy):
    mine = KeyAreaFactory(facility=facility_a)
    _record(mine, DAY, 9)
    _record(mine, DAY + datetime.timedelta(days=1), 9, kind="disinfection")
    _record(KeyAreaFactory(facility=facility_b), DAY, 9)
    assert selectors.ledger(viewer).count() == 2
    assert selectors.ledger(viewer, kind="disinfection").count() == 1
    assert selectors.ledger(viewer, date_from=DAY, date_to=DAY).count() == 1
