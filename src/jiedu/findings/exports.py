"""Findings and rectification rates as spreadsheet rows, Chinese headers.

Staff appear by name only (no ID or phone numbers), so nothing needs masking. Overdue is judged on
the export day; rates are derived from the rows, never stored.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.findings import domain
from jiedu.findings.models import Finding

HEADERS = (
    _("No."), _("Facility"), _("Campaign"), _("Team"), _("Origin"), _("Found by"), _("Standard"), pgettext_lazy("standards", "Area"),
    _("Severity"), pgettext_lazy("finding", "Problem"), _("Description"), _("Responsible unit"),
    _("Responsible person"), _("Found on"), _("Rectification deadline"), _("Status"), _("Overdue"),
    _("Days overdue"), _("Rectification submitted at"), _("Rectified on"), _("Verified at"), _("Closed at"),
    _("Times reopened"), _("Reason for withdrawal"),
)  # fmt: skip

RATE_HEADERS = (
    _("Grouping"), _("Group"), _("Found"), _("Rectified"), _("Rectification rate (%)"), _("Rectified on time"),
    _("On-time rate (%)"), _("Overdue"),
)  # fmt: skip


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def export_row(finding: Finding, as_of: datetime.date) -> list:
    overdue = domain.is_overdue(finding.status, finding.deadline, as_of)
    standard = finding.standard
    team = finding.inspection.team if finding.inspection_id and finding.inspection.team_id else None
    return [
        finding.pk, finding.facility.short_name, finding.campaign.name if finding.campaign_id else "",
        team.name if team else "", str(finding.get_origin_display()),
        str(finding.get_method_display()) if finding.method else "",
        f"{standard.code} {standard.title}" if standard else "", standard.area.name if standard else "",
        str(finding.get_severity_display()), finding.title, finding.description,
        finding.responsible_department.name, finding.responsible_staff.name, finding.found_on, finding.deadline,
        str(finding.get_status_display()), _yes_no(overdue), (as_of - finding.deadline).days if overdue else "",
        finding.submitted_at, finding.rectified_on, finding.verified_at, finding.closed_at, finding.reopen_count,
        finding.withdrawn_reason,
    ]  # fmt: skip


def _number(rate):
    return float(rate) if rate is not None else ""


def rate_rows(tables) -> list[list]:
    """One block per grouping (facility, area, team, month), each ending with its total."""
    names = {"facility": _("Facility"), "area": pgettext_lazy("standards", "Area"), "team": _("Team"), "month": _("Month")}
    rows = []
    for table in tables:
        grouping = str(names[table.by])
        for row in [*table.rows, None]:
            figures = table.total if row is None else row.rates
            label = str(_("Total")) if row is None else row.label
            rows.append([
                grouping, label, figures.found, figures.rectified, _number(figures.rectification_rate),
                figures.on_time, _number(figures.on_time_rate), figures.overdue,
            ])  # fmt: skip
    return rows
