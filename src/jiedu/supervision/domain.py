"""Supervision rules, pure: verdicts and points, the inspection's steps, who makes up a team,
what a video session may be, and an inspection's score by area.

- A verdict fixes the points: met earns the standard's maximum; partly met earns more than 0 and
  less than the maximum; not met earns less than the maximum (0 unless some credit is given);
  not applicable earns nothing and leaves the standard out of the applicable maximum.
- planned → in progress → completed; results, evidence and video sessions are recorded while the
  inspection is in progress; completing a standardisation inspection needs at least one result and
  every video session signed off.
- A team is led by a member of the bureau's leadership, who leads no other team of the campaign;
  its members hold bureau roles and do not include the leader; a video team only patrols by video.
- A video session ends after it starts, lasts at most 12 hours, lies within the inspection's days
  and not in the future; once its inspector has signed it off, nothing in it changes.

Every refusal is a ``RuleBroken`` with a code (and the input it concerns); services word it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jiedu.organisation.roles import BUREAU_ROLES, Role

MET, PARTLY, NOT_MET, NOT_APPLICABLE = "met", "partly", "not_met", "not_applicable"
VERDICTS = (MET, PARTLY, NOT_MET, NOT_APPLICABLE)

PLANNED, IN_PROGRESS, COMPLETED = "planned", "in_progress", "completed"
TRANSITIONS = {PLANNED: frozenset({IN_PROGRESS}), IN_PROGRESS: frozenset({COMPLETED}), COMPLETED: frozenset()}

STANDARDISATION, SELF_INSPECTION, SPECIAL = "standardisation", "self_inspection", "special"
ON_SITE, VIDEO = "on_site", "video"

# 现场检查、查阅台账、视频巡查、个别谈话: the codes findings use too, and the inspection's flag for each.
SITE_CHECK, LEDGER_REVIEW, VIDEO_PATROL, TALK = "site_check", "ledger_review", "video_patrol", "talk"
METHOD_FIELDS = {
    SITE_CHECK: "by_site_check",
    LEDGER_REVIEW: "by_ledger_review",
    VIDEO_PATROL: "by_video_patrol",
    TALK: "by_talks",
}

MAX_SESSION = datetime.timedelta(hours=12)
CLOCK_SKEW = datetime.timedelta(minutes=5)
ONE_DECIMAL = Decimal("0.1")

# Refusal codes.
UNKNOWN_VERDICT = "unknown_verdict"
POINTS_REQUIRED = "points_required"
POINTS_NOT_APPLICABLE = "points_not_applicable"
POINTS_OUT_OF_RANGE = "points_out_of_range"
POINTS_PRECISION = "points_precision"
MET_NEEDS_MAXIMUM = "met_needs_maximum"
PARTLY_BETWEEN = "partly_between"
NOT_MET_BELOW_MAXIMUM = "not_met_below_maximum"
FORBIDDEN_MOVE = "forbidden_move"
NOT_IN_PROGRESS = "not_in_progress"
COMPLETED_WITHOUT_RESULTS = "completed_without_results"
UNSIGNED_SESSIONS = "unsigned_sessions"
NO_METHOD = "no_method"
UNKNOWN_METHOD = "unknown_method"
VIDEO_TEAM_VIDEO_ONLY = "video_team_video_only"
TEAM_REQUIRED = "team_required"
SELF_INSPECTION_WITHOUT_TEAM = "self_inspection_without_team"
PERIOD_REVERSED = "period_reversed"
OUTSIDE_CAMPAIGN = "outside_campaign"
LEADER_NOT_LEADERSHIP = "leader_not_leadership"
LEADER_LEADS_ANOTHER_TEAM = "leader_leads_another_team"
LEADER_ALSO_MEMBER = "leader_also_member"
NO_MEMBERS = "no_members"
MEMBER_NOT_BUREAU = "member_not_bureau"
SESSION_END_NOT_AFTER_START = "session_end_not_after_start"
SESSION_TOO_LONG = "session_too_long"
SESSION_IN_FUTURE = "session_in_future"
SESSION_OUTSIDE_INSPECTION = "session_outside_inspection"
SESSION_SIGNED_OFF = "session_signed_off"
NOT_THE_INSPECTOR = "not_the_inspector"
NO_VIDEO_PATROL = "no_video_patrol"
SIGN_OFF_BEFORE_END = "sign_off_before_end"
AT_IN_FUTURE = "at_in_future"

FIELDS = {
    UNKNOWN_VERDICT: "verdict",
    POINTS_REQUIRED: "points",
    POINTS_NOT_APPLICABLE: "points",
    POINTS_OUT_OF_RANGE: "points",
    POINTS_PRECISION: "points",
    MET_NEEDS_MAXIMUM: "points",
    PARTLY_BETWEEN: "points",
    NOT_MET_BELOW_MAXIMUM: "points",
    NO_METHOD: "methods",
    UNKNOWN_METHOD: "methods",
    VIDEO_TEAM_VIDEO_ONLY: "methods",
    TEAM_REQUIRED: "team",
    SELF_INSPECTION_WITHOUT_TEAM: "team",
    PERIOD_REVERSED: "ends_on",
    OUTSIDE_CAMPAIGN: "starts_on",
    LEADER_NOT_LEADERSHIP: "leader",
    LEADER_LEADS_ANOTHER_TEAM: "leader",
    LEADER_ALSO_MEMBER: "members",
    NO_MEMBERS: "members",
    MEMBER_NOT_BUREAU: "members",
    SESSION_END_NOT_AFTER_START: "ended_at",
    SESSION_TOO_LONG: "ended_at",
    SESSION_IN_FUTURE: "ended_at",
    SESSION_OUTSIDE_INSPECTION: "started_at",
    NO_VIDEO_PATROL: "inspection",
    SIGN_OFF_BEFORE_END: "at",
    AT_IN_FUTURE: "at",
}


class RuleBroken(ValueError):
    """A step the rules refuse; ``code`` is one of the codes above, ``field`` the input it concerns."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.field = FIELDS.get(code)
        self.params = params


# --- Verdicts and points -------------------------------------------------------------------------


def resolve_points(verdict: str, points: Decimal | None, max_points: Decimal) -> Decimal | None:
    """The points to store for ``verdict``: met without points earns the maximum, not met without
    points earns 0, not applicable earns nothing. Refuses points that contradict the verdict."""
    if verdict not in VERDICTS:
        raise RuleBroken(UNKNOWN_VERDICT)
    if verdict == NOT_APPLICABLE:
        if points is not None:
            raise RuleBroken(POINTS_NOT_APPLICABLE)
        return None
    if points is None:
        if verdict == MET:
            return max_points
        if verdict == NOT_MET:
            return Decimal("0")
        raise RuleBroken(POINTS_REQUIRED, maximum=max_points)
    check_points(verdict, points, max_points)
    return points


def check_points(verdict: str, points: Decimal | None, max_points: Decimal) -> None:
    """The verdict and the points agree (see the module's rules)."""
    if verdict not in VERDICTS:
        raise RuleBroken(UNKNOWN_VERDICT)
    if verdict == NOT_APPLICABLE:
        if points is not None:
            raise RuleBroken(POINTS_NOT_APPLICABLE)
        return
    if points is None:
        raise RuleBroken(POINTS_REQUIRED, maximum=max_points)
    if points < 0 or points > max_points:
        raise RuleBroken(POINTS_OUT_OF_RANGE, maximum=max_points)
    if points != points.quantize(ONE_DECIMAL):
        raise RuleBroken(POINTS_PRECISION)
    if verdict == MET and points != max_points:
        raise RuleBroken(MET_NEEDS_MAXIMUM, maximum=max_points)
    if verdict == PARTLY and not Decimal("0") < points < max_points:
        raise RuleBroken(PARTLY_BETWEEN, maximum=max_points)
    if verdict == NOT_MET and points >= max_points:
        raise RuleBroken(NOT_MET_BELOW_MAXIMUM, maximum=max_points)


# --- The inspection's steps ---------------------------------------------------------------------


def transition(status: str, target: str) -> str:
    if target not in TRANSITIONS.get(status, frozenset()):
        raise RuleBroken(FORBIDDEN_MOVE)
    return target


def check_in_progress(status: str) -> None:
    """Results, evidence and video sessions are recorded while the inspection is in progress."""
    if status != IN_PROGRESS:
        raise RuleBroken(NOT_IN_PROGRESS)


def check_completion(*, status: str, campaign_kind: str, results: int, unsigned_sessions: int) -> None:
    transition(status, COMPLETED)
    if campaign_kind == STANDARDISATION and results == 0:
        raise RuleBroken(COMPLETED_WITHOUT_RESULTS)
    if unsigned_sessions:
        raise RuleBroken(UNSIGNED_SESSIONS, count=unsigned_sessions)


def method_flags(methods: Iterable[str]) -> dict[str, bool]:
    """The inspection's four method flags from method codes."""
    chosen = set(methods)
    unknown = chosen - set(METHOD_FIELDS)
    if unknown:
        raise RuleBroken(UNKNOWN_METHOD)
    return {field: code in chosen for code, field in METHOD_FIELDS.items()}


def methods_of(flags: dict[str, bool]) -> tuple[str, ...]:
    """Method codes, in the order of the paper form, from the four flags."""
    return tuple(code for code, field in METHOD_FIELDS.items() if flags.get(field))


def check_plan(
    *,
    campaign_kind: str,
    campaign_period: tuple[datetime.date, datetime.date],
    team_kind: str | None,
    methods: Iterable[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> None:
    chosen = set(methods)
    method_flags(chosen)
    if not chosen:
        raise RuleBroken(NO_METHOD)
    if campaign_kind == SELF_INSPECTION and team_kind is not None:
        raise RuleBroken(SELF_INSPECTION_WITHOUT_TEAM)
    if campaign_kind != SELF_INSPECTION and team_kind is None:
        raise RuleBroken(TEAM_REQUIRED)
    if team_kind == VIDEO and chosen != {VIDEO_PATROL}:
        raise RuleBroken(VIDEO_TEAM_VIDEO_ONLY)
    if ends_on < starts_on:
        raise RuleBroken(PERIOD_REVERSED)
    first, last = campaign_period
    if starts_on < first or ends_on > last:
        raise RuleBroken(OUTSIDE_CAMPAIGN, first=first, last=last)


# --- Teams ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A user and the roles of their active bureau-wide memberships."""

    user_id: int
    bureau_roles: frozenset[str]


def check_team(*, leader: Person, members: Iterable[Person], leaders_in_campaign: Iterable[int]) -> None:
    members = list(members)
    if Role.BUREAU_LEADER not in leader.bureau_roles:
        raise RuleBroken(LEADER_NOT_LEADERSHIP)
    if leader.user_id in set(leaders_in_campaign):
        raise RuleBroken(LEADER_LEADS_ANOTHER_TEAM)
    if any(m.user_id == leader.user_id for m in members):
        raise RuleBroken(LEADER_ALSO_MEMBER)
    if not members:
        raise RuleBroken(NO_MEMBERS)
    if any(not (m.bureau_roles & BUREAU_ROLES) for m in members):
        raise RuleBroken(MEMBER_NOT_BUREAU)


# --- Video sessions ------------------------------------------------------------------------------


def check_video_patrol(by_video_patrol: bool) -> None:
    if not by_video_patrol:
        raise RuleBroken(NO_VIDEO_PATROL)


def check_session_times(
    *,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    now: datetime.datetime,
    local_days: tuple[datetime.date, datetime.date],
    inspection_period: tuple[datetime.date, datetime.date],
) -> None:
    """``local_days``: the local dates of start and end; the session lies within the inspection's days."""
    if ended_at <= started_at:
        raise RuleBroken(SESSION_END_NOT_AFTER_START)
    if ended_at - started_at > MAX_SESSION:
        raise RuleBroken(SESSION_TOO_LONG)
    if ended_at > now + CLOCK_SKEW:
        raise RuleBroken(SESSION_IN_FUTURE)
    first, last = inspection_period
    if local_days[0] < first or local_days[1] > last:
        raise RuleBroken(SESSION_OUTSIDE_INSPECTION, first=first, last=last)


def check_session_open(signed_off_at: datetime.datetime | None) -> None:
    if signed_off_at is not None:
        raise RuleBroken(SESSION_SIGNED_OFF)


def check_sign_off(
    *,
    actor_id: int,
    inspector_id: int,
    signed_off_at: datetime.datetime | None,
    ended_at: datetime.datetime,
    at: datetime.datetime,
    now: datetime.datetime,
) -> None:
    check_session_open(signed_off_at)
    if actor_id != inspector_id:
        raise RuleBroken(NOT_THE_INSPECTOR)
    if at > now + CLOCK_SKEW:
        raise RuleBroken(AT_IN_FUTURE)
    if at < ended_at:
        raise RuleBroken(SIGN_OFF_BEFORE_END)


# --- Scores --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFacts:
    area_id: int
    verdict: str
    points: Decimal | None
    max_points: Decimal


@dataclass(frozen=True)
class Score:
    earned: Decimal = Decimal("0")
    applicable_max: Decimal = Decimal("0")
    judged: int = 0  # results recorded, not-applicable ones included
    short: int = 0  # partly or not met
    not_applicable: int = 0

    @property
    def percent(self) -> Decimal | None:
        """Earned over the applicable maximum, one decimal; None when nothing applicable was judged."""
        if not self.applicable_max:
            return None
        return (self.earned * 100 / self.applicable_max).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.earned + other.earned,
            self.applicable_max + other.applicable_max,
            self.judged + other.judged,
            self.short + other.short,
            self.not_applicable + other.not_applicable,
        )


def score_of(result: ResultFacts) -> Score:
    if result.verdict == NOT_APPLICABLE:
        return Score(judged=1, not_applicable=1)
    return Score(
        earned=result.points or Decimal("0"),
        applicable_max=result.max_points,
        judged=1,
        short=int(result.verdict in (PARTLY, NOT_MET)),
    )


def scores_by_area(results: Iterable[ResultFacts]) -> dict[int, Score]:
    by_area: dict[int, Score] = {}
    for result in results:
        by_area[result.area_id] = by_area.get(result.area_id, Score()) + score_of(result)
    return by_area


def total(scores: Iterable[Score]) -> Score:
    return sum(scores, Score())
