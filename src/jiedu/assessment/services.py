"""Setting the year's target-management scheme (the bureau's, region-wide). Audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from jiedu.assessment.models import TargetScheme
from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.organisation import roles
from jiedu.organisation.scoping import require

FIRST_YEAR, LAST_YEAR = 2000, 2100
DEDUCTIONS = ("open_general", "open_serious", "open_major", "overdue", "late_rectified")
MAX_POINTS = Decimal("1000")


def _points(name: str, value) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter points with at most one decimal."), field=name) from None
    if not points.is_finite() or points != points.quantize(Decimal("0.1")):
        raise DomainError(_("Enter points with at most one decimal."), field=name)
    if not Decimal("0") <= points <= MAX_POINTS:
        raise DomainError(_("Enter points between 0 and 1000."), field=name)
    return points


def _checked(given: dict) -> dict:
    values = {name: _points(name, value) for name, value in given.items()}
    if values["full_marks"] <= 0:
        raise DomainError(_("Full marks must be more than 0."), field="full_marks")
    if values["inspection_points"] > values["full_marks"]:
        raise DomainError(_("The inspection part cannot exceed full marks."), field="inspection_points")
    return values


@transaction.atomic
def set_scheme(
    *, actor, year: int, full_marks: Decimal, inspection_points: Decimal, open_general: Decimal,
    open_serious: Decimal, open_major: Decimal, overdue: Decimal, late_rectified: Decimal,
    expected_version: int | None = None,
) -> TargetScheme:  # fmt: skip
    """Create or change the scheme of ``year``; scores follow at once (they are never stored).

    ``expected_version`` is the version the change was based on (``common.services.save_versioned``);
    0 means the caller saw no scheme for the year, so one set meanwhile is not overwritten.
    """
    require(actor, roles.MANAGE_STANDARDS, None)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(_("Enter a year between 2000 and 2100."), field="year")
    scheme = TargetScheme.objects.select_for_update().filter(year=year).first()
    if scheme is not None:
        refuse_stale(scheme, expected_version)
    values = _checked({
        "full_marks": full_marks, "inspection_points": inspection_points, "open_general": open_general,
        "open_serious": open_serious, "open_major": open_major, "overdue": overdue, "late_rectified": late_rectified,
    })  # fmt: skip
    if scheme is None:
        scheme = TargetScheme(year=year, updated_by=actor, **values)
        validated_save(scheme)
        changed = ["year", *values]
    else:
        changed = apply_changes(scheme, values)
        if not changed:
            return scheme
        scheme.updated_by = actor
        save_versioned(scheme, expected_version=expected_version, update_fields=[*changed, "updated_by"])
    audit.record(
        actor=actor, action="assessment.scheme_set", facility_id=None, target=scheme, changed_fields=changed
    )
    return scheme
