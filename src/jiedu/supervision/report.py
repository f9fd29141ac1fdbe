"""What the per-inspection report (督导检查报告) says, gathered once for the PDF and the Word file.

The findings listed are those the reader may see (``Finding.objects.visible_to``); everything
else belongs to the inspection the reader already found with ``get_visible_or_404``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiedu.supervision import selectors
from jiedu.supervision.models import Inspection


@dataclass
class InspectionReport:
    inspection: Inspection
    people: list
    methods: list[str]
    scores: selectors.ScoreSheet
    shortfalls: list
    sessions: list
    findings: list
    printed_by: str
    printed_at: datetime.datetime

    @property
    def title(self) -> str:
        return _("Supervision inspection report")


def inspection_report(user, inspection: Inspection) -> InspectionReport:
    sessions = list(
        inspection.video_sessions.select_related("inspector").prefetch_related("screenshots").order_by("started_at")
    )
    return InspectionReport(
        inspection=inspection,
        people=selectors.people_of(inspection.team),
        methods=selectors.method_labels(inspection),
        scores=selectors.inspection_scores(inspection, with_standards=False),
        shortfalls=selectors.shortfalls(inspection),
        sessions=sessions,
        findings=list(selectors.inspection_findings(user, inspection)),
        printed_by=str(user),
        printed_at=timezone.now(),
    )


def day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def percent(score) -> str:
    return f"{score.percent}%" if score.percent is not None else "—"


def fact_rows(report: InspectionReport) -> list[list[str]]:
    """Label/value pairs, two per line, for the head of the report."""
    inspection = report.inspection
    team = inspection.team
    leader = str(team.leader) if team else ""
    members = "、".join(str(p) for p in report.people[1:]) if team else ""
    status = inspection.get_status_display()
    if inspection.completed_at:
        status = f"{status} {moment(inspection.completed_at)}"
    return [
        [_("Campaign"), inspection.campaign.name, _("Facility"), inspection.facility.name],
        [_("Team"), team.name if team else _("Self-inspection"), _("Team leader"), leader],
        [pgettext("supervision team", "Members"), members, _("Dates"), f"{day(inspection.starts_on)} – {day(inspection.ends_on)}"],
        [_("Methods"), "、".join(report.methods), _("Status"), str(status)],
    ]


def area_rows(report: InspectionReport) -> list[list[str]]:
    rows = [[pgettext("standards", "Area"), _("Standards judged"), _("Earned"), _("Applicable maximum"), _("Score")]]
    for sheet in report.scores.areas:
        score = sheet.score
        rows.append([str(sheet.area), str(score.judged), str(score.earned), str(score.applicable_max), percent(score)])
    total = report.scores.total
    rows.append([_("Total"), str(total.judged), str(total.earned), str(total.applicable_max), percent(total)])
    return rows


def shortfall_rows(report: InspectionReport) -> list[list[str]]:
    rows = [[_("Code"), _("Standard"), _("Verdict"), _("Points"), _("Note")]]
    for result in report.shortfalls:
        standard = result.standard
        rows.append([
            standard.code, standard.title, str(result.get_verdict_display()),
            f"{result.points} / {standard.max_points}", result.note,
        ])  # fmt: skip
    return rows


def session_rows(report: InspectionReport) -> list[list[str]]:
    rows = [[_("Areas watched"), _("Cameras"), _("Time"), pgettext("supervision", "Inspector"), _("Signed off"), _("Screenshots")]]
    for session in report.sessions:
        rows.append([
            session.areas_watched, session.cameras, f"{moment(session.started_at)} – {moment(session.ended_at)[-5:]}",
            str(session.inspector), moment(session.signed_off_at) or _("Not signed off"),
            str(len(session.screenshots.all())),
        ])  # fmt: skip
    return rows


def finding_rows(report: InspectionReport) -> list[list[str]]:
    rows = [[_("Problem"), _("Standard"), _("Severity"), _("Responsible unit"), _("Deadline"), _("Status")]]
    for finding in report.findings:
        rows.append([
            finding.title, finding.standard.code if finding.standard else "", str(finding.get_severity_display()),
            finding.responsible_department.name, day(finding.deadline), str(finding.get_status_display()),
        ])  # fmt: skip
    return rows


def signature_labels() -> list[tuple[str, str]]:
    return [
        (_("Team leader"), _("Inspected facility's leader")),
        (_("Recorded by"), _("Date")),
    ]


def filename(report: InspectionReport, extension: str) -> str:
    inspection = report.inspection
    return f"{inspection.facility.short_name}-{inspection.campaign.name}-{day(inspection.starts_on)}{extension}"
