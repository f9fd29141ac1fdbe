"""Reading: campaign progress, team workload and scores by area, narrowed to what the user may see."""

import datetime
from decimal import Decimal

from factories import DepartmentFactory, StaffFactory
from factories_supervision import InspectionFactory
from jiedu.findings.models import Finding
from jiedu.organisation.roles import Role
from jiedu.supervision import selectors, services


def _complete(actor, inspection, standard):
    services.record_result(actor=actor, inspection=inspection, standard=standard, verdict="met")
    return services.complete_inspection(actor=actor, inspection=inspection)


def test_progress_counts_facilities_with_a_completed_inspection(supervisor, campaign, inspection, team, standards, facility_b):
    InspectionFactory(campaign=campaign, team=team, facility=facility_b)

    before = selectors.campaign_progress(supervisor, campaign)
    _complete(supervisor, inspection, standards[0])
    after = selectors.campaign_progress(supervisor, campaign)

    assert (before.in_scope, before.inspected) == (2, 0)
    assert (after.inspected, after.percent) == (1, 50)
    assert after.by_status == {"planned": 1, "in_progress": 0, "completed": 1}


def test_a_facility_user_sees_only_its_own_row(member, campaign, inspection, facility_a, facility_b, team):
    InspectionFactory(campaign=campaign, team=team, facility=facility_b)

    progress = selectors.campaign_progress(member(Role.FACILITY_OFFICER, facility_a), campaign)

    assert [row.facility for row in progress.rows] == [facility_a]
    assert sum(progress.by_status.values()) == 1


def test_workload_counts_inspections_days_results_and_findings(supervisor, campaign, inspection, team, standards, member):
    other_team = services.add_team(
        actor=supervisor, campaign=campaign, name="第二现场督导组", kind="on_site", leader=member(Role.BUREAU_LEADER),
        members=[supervisor],
    )  # fmt: skip
    services.record_results(
        actor=supervisor, inspection=inspection, entries=[{"standard": s, "verdict": "met"} for s in standards]
    )
    staff = StaffFactory(facility=inspection.facility, department=DepartmentFactory(facility=inspection.facility))
    for title, status in (("问题一", "open"), ("问题二", "withdrawn")):
        Finding.objects.create(
            facility=inspection.facility, campaign=campaign, inspection=inspection, origin="inspection", title=title,
            responsible_department=staff.department, responsible_staff=staff, found_on=datetime.date(2026, 4, 1),
            deadline=datetime.date(2026, 5, 1), recorded_by=supervisor, status=status,
            withdrawn_reason="录入错误" if status == "withdrawn" else "",
        )  # fmt: skip

    loads = {load.team.pk: load for load in selectors.team_workload(supervisor, campaign)}

    mine = loads[team.pk]
    assert (mine.inspections, mine.facility_days, mine.results, mine.findings, len(mine.facilities)) == (1, 2, 4, 1, 1)
    assert (loads[other_team.pk].inspections, loads[other_team.pk].findings) == (0, 0)


def test_scores_by_area_list_every_area_and_every_standard(supervisor, inspection, standards):
    services.record_results(
        actor=supervisor, inspection=inspection,
        entries=[{"standard": standards[0], "verdict": "not_met", "points": Decimal("4")},
                 {"standard": standards[1], "verdict": "not_applicable"}],
    )  # fmt: skip

    sheet = selectors.inspection_scores(inspection)

    assert [s.area.name for s in sheet.areas] == ["基本模式", "教育矫正"]
    first = sheet.areas[0]
    assert (first.score.earned, first.score.applicable_max, first.judged) == (Decimal("4"), Decimal("10"), 2)
    assert sheet.areas[1].judged == 0 and len(sheet.areas[1].lines) == 2
    assert (sheet.total.earned, sheet.total.percent) == (Decimal("4"), Decimal("40.0"))
    assert [r.standard for r in selectors.shortfalls(inspection)] == [standards[0]]


def test_a_self_inspection_without_catalogue_has_no_areas(supervisor, self_campaign, facility_a):
    inspection = InspectionFactory(campaign=self_campaign, facility=facility_a)
    assert inspection.team is None
    assert selectors.inspection_scores(inspection).areas == []
