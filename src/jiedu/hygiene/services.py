"""Recording and correcting hygiene inspections, and publishing a period's board. Every write is audited.

A published board freezes its period: its entries are copied at publication, and no inspection
dated inside the period may be recorded or corrected afterwards, so the ledger and what was
announced never disagree.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.hygiene import domain, selectors
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection
from jiedu.organisation import roles
from jiedu.organisation.scoping import require


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a score between 0 and 100."), field="score") from None
    if not score.is_finite() or not Decimal("0") <= score <= domain.MAX_SCORE:
        raise DomainError(_("Enter a score between 0 and 100."), field="score")
    if score != score.quantize(domain.ONE_DECIMAL):
        raise DomainError(_("Enter the score with at most one decimal."), field="score")
    return score


def _not_frozen(facility_id: int, day: datetime.date, field: str) -> None:
    board = selectors.board_covering(facility_id, day)
    if board is not None:
        raise DomainError(
            _("The board of %(start)s to %(end)s is published: its inspections can no longer change.")
            % {"start": board.period_start.isoformat(), "end": board.period_end.isoformat()},
            field=field,
        )


@transaction.atomic
def record_inspection(
    *, actor, facility, department, inspected_on: datetime.date, score, problems: str = ""
) -> HygieneInspection:
    """One inspection of one of the facility's departments a day, scored 0–100, not in the future."""
    require(actor, roles.RECORD_HYGIENE, facility)
    if department.facility_id != facility.pk:
        raise DomainError(_("Choose a department of this facility."), field="department")
    score = _score(score)
    if inspected_on > timezone.localdate():
        raise DomainError(_("The date lies in the future."), field="inspected_on")
    if HygieneInspection.objects.filter(department=department, inspected_on=inspected_on).exists():
        raise DomainError(_("This department has already been inspected on this day."), field="inspected_on")
    _not_frozen(facility.pk, inspected_on, "inspected_on")
    inspection = HygieneInspection(
        facility=facility, department=department, inspected_on=inspected_on, score=score,
        problems=problems.strip(), inspector=actor,
    )  # fmt: skip
    validated_save(inspection)
    audit.record(
        actor=actor, action="hygiene.inspection_recorded", facility_id=facility.pk, target=inspection,
        changed_fields=["department", "inspected_on", "score"] + (["problems"] if inspection.problems else []),
    )  # fmt: skip
    return inspection


@transaction.atomic
def correct_inspection(
    *, actor, inspection: HygieneInspection, score=None, problems: str | None = None,
    expected_version: int | None = None,
):  # fmt: skip
    """Change the score or the problems noted, while no published board covers the inspection's day.

    ``expected_version``: the version the change was based on (``common.services.save_versioned``).
    """
    require(actor, roles.RECORD_HYGIENE, inspection.facility_id)
    inspection = HygieneInspection.objects.select_for_update().get(pk=inspection.pk)
    refuse_stale(inspection, expected_version)
    _not_frozen(inspection.facility_id, inspection.inspected_on, "score")
    changes = {}
    if score is not None:
        changes["score"] = _score(score)
    if problems is not None:
        changes["problems"] = problems.strip()
    changed = apply_changes(inspection, changes)
    if not changed:
        raise DomainError(_("Nothing was changed."))
    save_versioned(inspection, expected_version=expected_version, update_fields=changed)
    audit.record(
        actor=actor, action="hygiene.inspection_corrected", facility_id=inspection.facility_id, target=inspection,
        changed_fields=changed,
    )  # fmt: skip
    return inspection


def _check_period(period_start: datetime.date, period_end: datetime.date) -> None:
    if period_end < period_start:
        raise DomainError(_("The end lies before the start."), field="period_end")
    if period_end > timezone.localdate():
        raise DomainError(_("The period has not ended yet."), field="period_end")


def _check_thresholds(thresholds: domain.Thresholds) -> None:
    for name, value in (("honour_threshold", thresholds.honour), ("exposure_threshold", thresholds.exposure)):
        if not Decimal("0") <= value <= domain.MAX_SCORE:
            raise DomainError(_("Enter a score between 0 and 100."), field=name)
    if not thresholds.is_valid:
        raise DomainError(_("The exposure line must lie below the honour line."), field="exposure_threshold")


@transaction.atomic
def publish_board(
    *, actor, facility, period_start: datetime.date, period_end: datetime.date,
    thresholds: domain.Thresholds = domain.DEFAULT_THRESHOLDS, note: str = "",
) -> HygieneBoard:  # fmt: skip
    """Publish the honour roll and exposure board of a period: entries are computed now and frozen.

    A department not inspected in the period is not listed; a period is published once.
    """
    require(actor, roles.RECORD_HYGIENE, facility)
    _check_period(period_start, period_end)
    _check_thresholds(thresholds)
    if HygieneBoard.objects.filter(
        facility=facility, period_start=period_start, period_end=period_end
    ).exists():
        raise DomainError(_("A board for this period is already published."), field="period_start")
    marks = selectors.marks(facility.pk, period_start, period_end)
    if not marks:
        raise DomainError(_("No department was inspected in this period."), field="period_start")
    # The announcement is written once, in the region's language, whatever the publisher's settings.
    with translation.override(settings.LANGUAGE_CODE):
        listings = domain.board(marks, thresholds)
    board = HygieneBoard(
        facility=facility, period_start=period_start, period_end=period_end, honour_threshold=thresholds.honour,
        exposure_threshold=thresholds.exposure, published_at=timezone.now(), published_by=actor, note=note.strip(),
    )  # fmt: skip
    validated_save(board)
    HygieneBoardEntry.objects.bulk_create(
        HygieneBoardEntry(
            facility=facility,
            board=board,
            department_id=listing.department_id,
            listed_on=listing.board,
            average_score=listing.average,
            inspections=listing.inspections,
            reason=listing.reason,
        )  # fmt: skip
        for listing in listings
    )
    audit.record(
        actor=actor, action="hygiene.board_published", facility_id=facility.pk, target=board,
        changed_fields=["period_start", "period_end", "honour_threshold", "exposure_threshold", "entries"]
        + (["note"] if board.note else []),
    )  # fmt: skip
    return board
