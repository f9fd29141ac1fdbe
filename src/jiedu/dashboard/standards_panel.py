"""The bureau's standardised-management panel: one campaign's progress, rectification rates by
facility (the chart) and by area, the region's overdue findings and the teams' workload.

Every figure is derived from the records at request time by the findings and supervision
selectors; this module only chooses the campaign and shapes the chart data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jiedu.findings import selectors as findings
from jiedu.supervision.models import Campaign

OVERDUE_SHOWN = 15


def default_campaign(user, as_of: datetime.date):
    """The latest started standardisation campaign the user can see, else the latest of any kind."""
    visible = Campaign.objects.visible_to(user).filter(starts_on__lte=as_of).order_by("-starts_on", "-id")
    return visible.filter(kind=Campaign.Kind.STANDARDISATION).first() or visible.first()


def rate_chart(table: findings.RateTable) -> dict:
    """ECharts data: found and rectified bars per group, and the rectification rate as a line (percent)."""
    rows = [row for row in table.rows if row.key is not None]
    return {
        "categories": [row.label for row in rows],
        "found": [row.rates.found for row in rows],
        "rectified": [row.rates.rectified for row in rows],
        "rate": [None if row.rates.rectification_rate is None else float(row.rates.rectification_rate) for row in rows],
    }


@dataclass(frozen=True)
class Panel:
    campaign: Campaign | None
    campaigns: list
    progress: findings.CampaignProgress | None
    by_facility: findings.RateTable | None
    by_area: findings.RateTable | None
    overdue: list
    overdue_total: int
    workload: list
    chart: dict


def standards_panel(user, *, campaign: Campaign | None, as_of: datetime.date, facility_ids=None) -> Panel:
    from jiedu.supervision import selectors as supervision

    campaigns = list(Campaign.objects.visible_to(user).order_by("-starts_on", "-id"))
    overdue = findings.overdue_findings(user, as_of, facility_ids=facility_ids)
    if campaign is None:
        return Panel(None, campaigns, None, None, None, overdue[:OVERDUE_SHOWN], len(overdue), [], {})
    by_facility = findings.rates_by_facility(user, campaign=campaign, as_of=as_of)
    return Panel(
        campaign=campaign,
        campaigns=campaigns,
        progress=findings.campaign_progress(user, campaign, as_of),
        by_facility=by_facility,
        by_area=findings.rates_by_area(user, campaign=campaign, as_of=as_of),
        overdue=overdue[:OVERDUE_SHOWN],
        overdue_total=len(overdue),
        workload=supervision.team_workload(user, campaign),
        chart=rate_chart(by_facility),
    )
