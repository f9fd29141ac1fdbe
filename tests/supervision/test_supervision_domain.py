"""Supervision rules without a database: verdicts and points, steps, teams, video sessions, scores."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.supervision import domain

TEN = Decimal("10.0")
points_strategy = st.decimals(min_value=0, max_value=100, places=1)
max_strategy = st.decimals(min_value=Decimal("0.5"), max_value=100, places=1)


def _broken(rule, *args, **kwargs) -> str:
    with pytest.raises(domain.RuleBroken) as caught:
        rule(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize(
    ("verdict", "points", "code"),
    [
        ("met", Decimal("9.5"), domain.MET_NEEDS_MAXIMUM),
        ("partly", Decimal("0"), domain.PARTLY_BETWEEN),
        ("partly", TEN, domain.PARTLY_BETWEEN),
        ("not_met", TEN, domain.NOT_MET_BELOW_MAXIMUM),
        ("not_applicable", Decimal("0"), domain.POINTS_NOT_APPLICABLE),
        ("met", Decimal("10.5"), domain.POINTS_OUT_OF_RANGE),
        ("not_met", Decimal("-1"), domain.POINTS_OUT_OF_RANGE),
        ("partly", Decimal("2.25"), domain.POINTS_PRECISION),
        ("excellent", TEN, domain.UNKNOWN_VERDICT),
    ],
)
def test_points_that_contradict_the_verdict_are_refused(verdict, points, code):
    assert _broken(domain.check_points, verdict, points, TEN) == code


def test_empty_points_are_filled_from_the_verdict_where_they_follow_from_it():
    assert domain.resolve_points("met", None, TEN) == TEN
    assert domain.resolve_points("not_met", None, TEN) == 0
    assert domain.resolve_points("not_applicable", None, TEN) is None
    assert domain.resolve_points("partly", Decimal("6.5"), TEN) == Decimal("6.5")
    assert _broken(domain.resolve_points, "partly", None, TEN) == domain.POINTS_REQUIRED


@given(verdict=st.sampled_from(domain.VERDICTS), points=st.one_of(st.none(), points_strategy), maximum=max_strategy)
def test_accepted_points_always_agree_with_the_verdict(verdict, points, maximum):
    try:
        stored = domain.resolve_points(verdict, points, maximum)
    except domain.RuleBroken:
        return
    if verdict == "met":
        assert stored == maximum
    elif verdict == "partly":
        assert 0 < stored < maximum
    elif verdict == "not_met":
        assert 0 <= stored < maximum
    else:
        assert stored is None


def test_an_inspection_moves_planned_in_progress_completed_and_never_back():
    assert domain.transition("planned", "in_progress") == "in_progress"
    assert domain.transition("in_progress", "completed") == "completed"
    for status, target in [("planned", "completed"), ("completed", "in_progress"), ("in_progress", "planned")]:
        assert _broken(domain.transition, status, target) == domain.FORBIDDEN_MOVE


def test_completion_needs_results_for_standardisation_and_every_session_signed():
    kwargs = {"status": "in_progress", "campaign_kind": "standardisation", "unsigned_sessions": 0}
    assert _broken(domain.check_completion, results=0, **kwargs) == domain.COMPLETED_WITHOUT_RESULTS
    domain.check_completion(results=3, **kwargs)
    domain.check_completion(status="in_progress", campaign_kind="self_inspection", results=0, unsigned_sessions=0)
    assert (
        _broken(domain.check_completion, status="in_progress", campaign_kind="standardisation", results=3, unsigned_sessions=1)
        == domain.UNSIGNED_SESSIONS
    )


PLAN = {
    "campaign_kind": "standardisation",
    "campaign_period": (datetime.date(2026, 3, 1), datetime.date(2026, 11, 30)),
    "team_kind": "on_site",
    "methods": {"site_check"},
    "starts_on": datetime.date(2026, 4, 1),
    "ends_on": datetime.date(2026, 4, 2),
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"methods": set()}, domain.NO_METHOD),
        ({"methods": {"telepathy"}}, domain.UNKNOWN_METHOD),
        ({"team_kind": "video", "methods": {"video_patrol", "talk"}}, domain.VIDEO_TEAM_VIDEO_ONLY),
        ({"team_kind": None}, domain.TEAM_REQUIRED),
        ({"campaign_kind": "self_inspection"}, domain.SELF_INSPECTION_WITHOUT_TEAM),
        ({"ends_on": datetime.date(2026, 3, 31)}, domain.PERIOD_REVERSED),
        ({"starts_on": datetime.date(2026, 2, 27)}, domain.OUTSIDE_CAMPAIGN),
        ({"ends_on": datetime.date(2026, 12, 1)}, domain.OUTSIDE_CAMPAIGN),
    ],
)
def test_plan_rules(change, code):
    assert _broken(domain.check_plan, **{**PLAN, **change}) == code


def test_a_good_plan_and_a_self_inspection_without_team_pass():
    domain.check_plan(**PLAN)
    domain.check_plan(**{**PLAN, "campaign_kind": "self_inspection", "team_kind": None})
    domain.check_plan(**{**PLAN, "team_kind": "video", "methods": {"video_patrol"}})


def test_methods_round_trip_through_the_four_flags():
    flags = domain.method_flags(["talk", "site_check"])
    assert flags == {"by_site_check": True, "by_ledger_review": False, "by_video_patrol": False, "by_talks": True}
    assert domain.methods_of(flags) == ("site_check", "talk")


LEADER = domain.Person(1, frozenset({"bureau_leader"}))
SUPERVISOR = domain.Person(2, frozenset({"bureau_supervisor"}))


@pytest.mark.parametrize(
    ("leader", "members", "leaders", "code"),
    [
        (SUPERVISOR, [domain.Person(3, frozenset({"bureau_supervisor"}))], [], domain.LEADER_NOT_LEADERSHIP),
        (LEADER, [SUPERVISOR], [1], domain.LEADER_LEADS_ANOTHER_TEAM),
        (LEADER, [SUPERVISOR, LEADER], [], domain.LEADER_ALSO_MEMBER),
        (LEADER, [], [], domain.NO_MEMBERS),
        (LEADER, [SUPERVISOR, domain.Person(4, frozenset({"facility_leader"}))], [], domain.MEMBER_NOT_BUREAU),
    ],
)
def test_team_composition_rules(leader, members, leaders, code):
    assert _broken(domain.check_team, leader=leader, members=members, leaders_in_campaign=leaders) == code


def test_a_leader_with_bureau_members_makes_a_team():
    domain.check_team(leader=LEADER, members=[SUPERVISOR], leaders_in_campaign=[7])


NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 4, 1, 1, tzinfo=datetime.UTC)
PERIOD = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 2))


@pytest.mark.parametrize(
    ("ended_at", "days", "code"),
    [
        (START, PERIOD, domain.SESSION_END_NOT_AFTER_START),
        (START + datetime.timedelta(hours=12, minutes=1), PERIOD, domain.SESSION_TOO_LONG),
        (START + datetime.timedelta(hours=1), (datetime.date(2026, 3, 31), PERIOD[0]), domain.SESSION_OUTSIDE_INSPECTION),
    ],
)
def test_video_session_times(ended_at, days, code):
    assert (
        _broken(domain.check_session_times, started_at=START, ended_at=ended_at, now=NOW, local_days=days,
                inspection_period=PERIOD)
        == code
    )  # fmt: skip


def test_a_session_cannot_end_in_the_future_and_twelve_hours_is_allowed():
    late = NOW + datetime.timedelta(hours=1)
    assert (
        _broken(domain.check_session_times, started_at=NOW, ended_at=late, now=NOW, local_days=(NOW.date(),) * 2,
                inspection_period=(NOW.date(), NOW.date()))
        == domain.SESSION_IN_FUTURE
    )  # fmt: skip
    domain.check_session_times(
        started_at=START, ended_at=START + domain.MAX_SESSION, now=NOW, local_days=PERIOD, inspection_period=PERIOD
    )


def test_only_the_inspector_signs_off_once_and_not_before_the_end():
    base = {"inspector_id": 5, "signed_off_at": None, "ended_at": START, "at": NOW, "now": NOW}
    assert _broken(domain.check_sign_off, actor_id=6, **base) == domain.NOT_THE_INSPECTOR
    assert _broken(domain.check_sign_off, actor_id=5, **{**base, "signed_off_at": NOW}) == domain.SESSION_SIGNED_OFF
    assert _broken(domain.check_sign_off, actor_id=5, **{**base, "at": START - datetime.timedelta(minutes=1)}) == (
        domain.SIGN_OFF_BEFORE_END
    )
    domain.check_sign_off(actor_id=5, **base)
    assert _broken(domain.check_session_open, NOW) == domain.SESSION_SIGNED_OFF


def test_scores_by_area_leave_not_applicable_standards_out_of_the_maximum():
    results = [
        domain.ResultFacts(1, "met", TEN, TEN),
        domain.ResultFacts(1, "partly", Decimal("4"), TEN),
        domain.ResultFacts(1, "not_applicable", None, TEN),
        domain.ResultFacts(2, "not_met", Decimal("0"), Decimal("5")),
    ]

    scores = domain.scores_by_area(results)
    total = domain.total(scores.values())

    assert (scores[1].earned, scores[1].applicable_max, scores[1].percent) == (Decimal("14"), Decimal("20"), Decimal("70.0"))
    assert (scores[1].judged, scores[1].short, scores[1].not_applicable) == (3, 1, 1)
    assert (total.earned, total.applicable_max, total.short) == (Decimal("14"), Decimal("25"), 2)
    assert domain.Score().percent is None


result_strategy = st.builds(
    lambda area, verdict, maximum, share: domain.ResultFacts(
        area, verdict,
        None if verdict == "not_applicable" else (maximum if verdict == "met" else (maximum * share).quantize(Decimal("0.1"))),
        maximum,
    ),
    st.integers(1, 4), st.sampled_from(domain.VERDICTS), max_strategy, st.decimals(min_value=0, max_value=Decimal("0.99"), places=2),
)  # fmt: skip


@given(results=st.lists(result_strategy, max_size=40))
def test_area_scores_add_up_to_the_total_and_never_exceed_the_maximum(results):
    scores = domain.scores_by_area(results)
    total = domain.total(scores.values())

    assert total.earned == sum((r.points or 0 for r in results), Decimal("0"))
    assert total.judged == len(results)
    assert all(s.earned <= s.applicable_max for s in scores.values())
    assert total.percent is None or 0 <= total.percent <= 100
