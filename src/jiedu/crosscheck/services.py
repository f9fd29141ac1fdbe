"""Saving a cross-check run: the dry run again, then the run and its findings in one transaction."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.crosscheck import domain, selectors
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun
from jiedu.organisation import roles
from jiedu.organisation.scoping import require

ALREADY_SAVED = gettext_lazy("These two files have already been saved for this facility and day.")
COLOUR_LABELS = {"green": "绿码", "yellow": "黄码", "red": "红码"}


def finding_detail(finding: domain.Finding) -> str:
    """The stored text of a finding: name, row and places; phone numbers never appear."""
    if finding.kind == domain.LOCATION_MISMATCH:
        text = _("%(name)s: checked in at %(place)s, health code located at %(location)s")
    elif finding.kind == domain.CODE_NOT_GREEN:
        text = _("%(name)s: health code %(colour)s")
    elif finding.row is not None:
        text = _("Row %(row)s: %(name)s")
    else:
        text = "%(name)s"
    values = {
        "name": finding.name, "row": finding.row, "place": finding.place or "—",
        "location": finding.location or "—", "colour": COLOUR_LABELS.get(finding.colour, finding.colour),
    }  # fmt: skip
    return (text % values)[:300]


@transaction.atomic
def save_run(*, actor, facility, day: datetime.date, prepared: selectors.Prepared) -> CrossCheckRun:
    """Store the run and all its findings, or nothing; the same two files count once per day."""
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    duplicate = CrossCheckRun.objects.filter(
        facility=facility, day=day,
        dingtalk_sha256=prepared.dingtalk_sha256, healthcode_sha256=prepared.healthcode_sha256,
    )  # fmt: skip
    if duplicate.exists():
        raise DomainError(ALREADY_SAVED, field="day")
    report = selectors.compare(facility.pk, prepared)
    try:
        with transaction.atomic():
            run = CrossCheckRun.objects.create(
                facility=facility, day=day, uploaded_by=actor,
                dingtalk_file_name=prepared.dingtalk_name, dingtalk_sha256=prepared.dingtalk_sha256,
                healthcode_file_name=prepared.healthcode_name, healthcode_sha256=prepared.healthcode_sha256,
                dingtalk_rows=len(prepared.dingtalk), healthcode_rows=len(prepared.healthcode),
                findings_count=len(report.findings),
            )  # fmt: skip
    except IntegrityError:  # saved by someone else between the check and the insert
        raise DomainError(ALREADY_SAVED, field="day") from None
    CrossCheckFinding.objects.bulk_create(
        CrossCheckFinding(
            facility=facility, run=run, kind=finding.kind, staff_id=finding.staff_id, row=finding.row,
            detail=finding_detail(finding),
        )
        for finding in report.findings
    )  # fmt: skip
    audit.record(
        actor=actor, action="crosscheck.run_saved", facility_id=facility.pk, target=run,
        changed_fields=["day", "dingtalk_sha256", "healthcode_sha256", "findings"],
    )  # fmt: skip
    return run
