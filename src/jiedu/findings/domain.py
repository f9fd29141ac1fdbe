"""The life of a finding (问题隐患) as pure functions: which step is possible, who may take it, when.

open → rectifying → submitted (note + evidence) → verified → closed, with:

- reject: verification failed, back to rectifying (counts as reopened);
- reopen: a verified or closed finding found again, back to rectifying (counts as reopened);
- extend: a later deadline, with a reason, while the finding is open or being rectified;
- withdraw: recorded in error, with a reason, only before verification; it then counts nowhere;
- a finding rectified on the spot (立行立改) may be submitted straight from open.

Independent verification: the verifier is never the responsible person's login nor the person who
submitted the rectification. A finding found by an inspection is verified (and closed, reopened,
extended, withdrawn) by the bureau; a self-identified one may also be by the facility leadership.

``apply(state, move)`` is the one place a step changes a finding: services load a ``State`` from the
row, apply the move and write the changed fields back; the property tests drive the same function.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

OPEN = "open"
RECTIFYING = "rectifying"
SUBMITTED = "submitted"
VERIFIED = "verified"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
STATUSES = (OPEN, RECTIFYING, SUBMITTED, VERIFIED, CLOSED, WITHDRAWN)

INSPECTION = "inspection"
SELF_IDENTIFIED = "self_identified"

RECORD = "record"
START = "start"
SUBMIT = "submit"
VERIFY = "verify"
REJECT = "reject"
CLOSE = "close"
REOPEN = "reopen"
EXTEND = "extend"
WITHDRAW = "withdraw"
ACTIONS = (RECORD, START, SUBMIT, VERIFY, REJECT, CLOSE, REOPEN, EXTEND, WITHDRAW)

# action → {status before: status after}; a pair not listed is a forbidden move.
TRANSITIONS: dict[str, dict[str | None, str]] = {
    RECORD: {None: OPEN},
    START: {OPEN: RECTIFYING},
    SUBMIT: {OPEN: SUBMITTED, RECTIFYING: SUBMITTED},
    VERIFY: {SUBMITTED: VERIFIED},
    REJECT: {SUBMITTED: RECTIFYING},
    CLOSE: {VERIFIED: CLOSED},
    REOPEN: {VERIFIED: RECTIFYING, CLOSED: RECTIFYING},
    EXTEND: {OPEN: OPEN, RECTIFYING: RECTIFYING},
    WITHDRAW: {OPEN: WITHDRAWN, RECTIFYING: WITHDRAWN, SUBMITTED: WITHDRAWN},
}

# Steps taken on the verifier's side: independence and (for inspection findings) the bureau apply.
VERIFIER_SIDE = frozenset({VERIFY, REJECT, CLOSE})
# Steps that decide about the finding itself: the bureau for inspection findings.
DECIDER_SIDE = frozenset({REOPEN, EXTEND, WITHDRAW})

# Rule codes (services turn them into sentences; ``FIELDS`` says which input each concerns).
FORBIDDEN_MOVE = "forbidden_move"
VERIFIER_IS_RESPONSIBLE = "verifier_is_responsible"
VERIFIER_IS_SUBMITTER = "verifier_is_submitter"
BUREAU_REQUIRED = "bureau_required"
NOTE_REQUIRED = "note_required"
EVIDENCE_REQUIRED = "evidence_required"
REASON_REQUIRED = "reason_required"
DEADLINE_BEFORE_FOUND = "deadline_before_found"
EXTENSION_NOT_LATER = "extension_not_later"
FOUND_IN_FUTURE = "found_in_future"
FOUND_OUTSIDE_CAMPAIGN = "found_outside_campaign"
FOUND_BEFORE_INSPECTION = "found_before_inspection"
AT_IN_FUTURE = "at_in_future"
AT_BEFORE_PREVIOUS = "at_before_previous"
AT_BEFORE_FOUND = "at_before_found"

FIELDS = {
    FORBIDDEN_MOVE: None,
    VERIFIER_IS_RESPONSIBLE: "verified_by",
    VERIFIER_IS_SUBMITTER: "verified_by",
    BUREAU_REQUIRED: None,
    NOTE_REQUIRED: "note",
    EVIDENCE_REQUIRED: "files",
    REASON_REQUIRED: "reason",
    DEADLINE_BEFORE_FOUND: "deadline",
    EXTENSION_NOT_LATER: "new_deadline",
    FOUND_IN_FUTURE: "found_on",
    FOUND_OUTSIDE_CAMPAIGN: "found_on",
    FOUND_BEFORE_INSPECTION: "found_on",
    AT_IN_FUTURE: "at",
    AT_BEFORE_PREVIOUS: "at",
    AT_BEFORE_FOUND: "at",
}

CLOCK_SKEW = datetime.timedelta(minutes=5)


class RuleBroken(ValueError):
    """A step the rules refuse; ``code`` is one of the codes above."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.field = FIELDS.get(code)


def transition(status: str | None, action: str) -> str:
    """The status after ``action``; RuleBroken(FORBIDDEN_MOVE) when the table has no such move."""
    after = TRANSITIONS.get(action, {}).get(status)
    if after is None:
        raise RuleBroken(FORBIDDEN_MOVE)
    return after


def possible_actions(status: str) -> tuple[str, ...]:
    return tuple(action for action in ACTIONS if status in TRANSITIONS[action])


def is_rectified(status: str) -> bool:
    return status in (VERIFIED, CLOSED)


# --- Who ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who takes a step, as the rules need it: the login, and whether the bureau (region-wide) acts."""

    user_id: int
    is_bureau: bool = False


def check_authority(*, origin: str, actor: Actor) -> None:
    """Inspection findings are the bureau's to verify, close, reopen, extend and withdraw."""
    if origin == INSPECTION and not actor.is_bureau:
        raise RuleBroken(BUREAU_REQUIRED)


def check_verifier(
    *, origin: str, actor: Actor, responsible_user_id: int | None, submitter_id: int | None
) -> None:
    """Independent verification: neither the responsible person nor the submitter; the bureau for inspections."""
    if responsible_user_id is not None and actor.user_id == responsible_user_id:
        raise RuleBroken(VERIFIER_IS_RESPONSIBLE)
    if submitter_id is not None and actor.user_id == submitter_id:
        raise RuleBroken(VERIFIER_IS_SUBMITTER)
    check_authority(origin=origin, actor=actor)


# --- What and when ------------------------------------------------------------------------------


def check_deadline(found_on: datetime.date, deadline: datetime.date) -> None:
    if deadline < found_on:
        raise RuleBroken(DEADLINE_BEFORE_FOUND)


def check_found_on(
    found_on: datetime.date,
    *,
    today: datetime.date,
    period: tuple[datetime.date, datetime.date] | None = None,
    inspection_start: datetime.date | None = None,
) -> None:
    """Found in the past, inside the campaign's period, not before the inspection began."""
    if found_on > today:
        raise RuleBroken(FOUND_IN_FUTURE)
    if period is not None and not period[0] <= found_on <= period[1]:
        raise RuleBroken(FOUND_OUTSIDE_CAMPAIGN)
    if inspection_start is not None and found_on < inspection_start:
        raise RuleBroken(FOUND_BEFORE_INSPECTION)


def check_moment(
    at: datetime.datetime, *, now: datetime.datetime, previous: datetime.datetime | None
) -> None:
    """A step entered afterwards is dated when it happened: never in the future, never before the last step."""
    if at > now + CLOCK_SKEW:
        raise RuleBroken(AT_IN_FUTURE)
    if previous is not None and at < previous:
        raise RuleBroken(AT_BEFORE_PREVIOUS)


def check_submission(note: str, evidence_count: int) -> None:
    if not note.strip():
        raise RuleBroken(NOTE_REQUIRED)
    if evidence_count < 1:
        raise RuleBroken(EVIDENCE_REQUIRED)


def check_extension(current: datetime.date, new: datetime.date, reason: str) -> None:
    if new <= current:
        raise RuleBroken(EXTENSION_NOT_LATER)
    if not reason.strip():
        raise RuleBroken(REASON_REQUIRED)


# --- One step -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """What the rules read and write on a finding (a row's fields, without the database)."""

    status: str
    origin: str
    found_on: datetime.date
    deadline: datetime.date
    responsible_user_id: int | None = None
    last_at: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    submitted_by: int | None = None
    submitted_on: datetime.date | None = None  # the submission's local day
    verified_at: datetime.datetime | None = None
    verified_by: int | None = None
    rectified_on: datetime.date | None = None
    closed_at: datetime.datetime | None = None
    reopen_count: int = 0
    withdrawn_reason: str = ""


@dataclass(frozen=True)
class Move:
    action: str
    actor: Actor
    at: datetime.datetime
    local_day: datetime.date  # ``at`` as a date where the facility is (the rectification date)
    note: str = ""
    evidence_count: int = 0
    new_deadline: datetime.date | None = None


def apply(state: State, move: Move, *, now: datetime.datetime) -> State:
    """The finding after ``move``; RuleBroken (state unchanged) when any rule refuses it."""
    after = transition(state.status, move.action)
    check_moment(move.at, now=now, previous=state.last_at)
    origin, actor = state.origin, move.actor
    if move.action in VERIFIER_SIDE:
        check_verifier(
            origin=origin,
            actor=actor,
            responsible_user_id=state.responsible_user_id,
            submitter_id=state.submitted_by,
        )
    elif move.action in DECIDER_SIDE:
        check_authority(origin=origin, actor=actor)
    changes: dict = {"status": after, "last_at": move.at}
    if move.action == SUBMIT:
        check_submission(move.note, move.evidence_count)
        changes |= {"submitted_at": move.at, "submitted_by": actor.user_id, "submitted_on": move.local_day}
    elif move.action == VERIFY:
        # The rectification date is the day of the accepted submission, not of the verification.
        changes |= {"verified_at": move.at, "verified_by": actor.user_id, "rectified_on": state.submitted_on}
    elif move.action == REJECT:
        if not move.note.strip():
            raise RuleBroken(NOTE_REQUIRED)
        changes |= {
            "submitted_at": None, "submitted_by": None, "submitted_on": None, "reopen_count": state.reopen_count + 1,
        }  # fmt: skip
    elif move.action == CLOSE:
        changes |= {"closed_at": move.at}
    elif move.action == REOPEN:
        if not move.note.strip():
            raise RuleBroken(REASON_REQUIRED)
        changes |= {
            "submitted_at": None, "submitted_by": None, "submitted_on": None, "verified_at": None, "verified_by": None,
            "rectified_on": None, "closed_at": None, "reopen_count": state.reopen_count + 1,
        }  # fmt: skip
    elif move.action == EXTEND:
        check_extension(state.deadline, move.new_deadline or state.deadline, move.note)
        changes |= {"deadline": move.new_deadline}
    elif move.action == WITHDRAW:
        if not move.note.strip():
            raise RuleBroken(REASON_REQUIRED)
        changes |= {"withdrawn_reason": move.note.strip()}
    return replace(state, **changes)


def methods_used(
    *, site_check: bool, ledger_review: bool, video_patrol: bool, talks: bool
) -> tuple[str, ...]:
    """The finding methods an inspection used (现场检查、查阅台账、视频巡查、个别谈话), as method codes."""
    flags = (("site_check", site_check), ("ledger_review", ledger_review), ("video_patrol", video_patrol),
             ("talk", talks))  # fmt: skip
    return tuple(code for code, used in flags if used)


def is_overdue(status: str, deadline: datetime.date, as_of: datetime.date) -> bool:
    """Past the deadline, neither rectified nor withdrawn (the same rule as ``rates.is_overdue``)."""
    return status not in (VERIFIED, CLOSED, WITHDRAWN) and as_of > deadline
