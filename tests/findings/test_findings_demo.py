"""Demo history: campaign A reproduces 221 found / 203 rectified / 91.9% over ten facilities (fewer: their
share), campaign B 20 problems and 15 measures, this year's campaign every state; a second run writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from factories import DepartmentFactory, FacilityFactory, MembershipFactory, StaffFactory, UserFactory
from factories_findings import make_catalogue
from jiedu.demo.seeding import seed_region, system_user
from jiedu.findings import demo, selectors
from jiedu.findings.models import Finding, RectificationMeasure
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.standards.models import Standard
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team

pytestmark = pytest.mark.django_db
D = datetime.date


def _campaign(name, kind, starts_on, ends_on, catalogue, creator):
    campaign = Campaign.objects.create(name=name, kind=kind, catalogue=catalogue, starts_on=starts_on, ends_on=ends_on,
                                       created_by=creator)  # fmt: skip
    campaign.facilities.set(Facility.objects.all())
    return campaign


def _inspection(campaign, facility, team, day, creator, weak=()):
    inspection = Inspection.objects.create(
        campaign=campaign, facility=facility, team=team, starts_on=day, ends_on=day, by_site_check=True,
        by_ledger_review=True, by_video_patrol=team is not None and team.kind == "video", by_talks=team is None,
        status="completed", completed_at=timezone.now(), completed_by=creator, created_by=creator,
    )  # fmt: skip
    for standard in weak:
        InspectionResult.objects.create(facility=facility, inspection=inspection, standard=standard, verdict="partly",
                                        points=Decimal("2"), recorded_by=creator)  # fmt: skip
    return inspection


def supervision_world(today, leaders):
    """What the supervision demo provides: the three campaigns, four teams, inspections at every facility."""
    catalogue = make_catalogue(areas=3, standards_per_area=3, name="戒毒场所规范化建设标准")
    weak = list(Standard.objects.filter(catalogue=catalogue).order_by("code"))[:3]
    creator = leaders[0]
    a = _campaign(demo.CAMPAIGN_A, "standardisation", D(2022, 3, 1), D(2022, 11, 30), catalogue, creator)
    b = _campaign(demo.CAMPAIGN_B, "self_inspection", D(2022, 5, 1), D(2022, 7, 31), None, creator)
    c = _campaign(f"{today.year}年规范化建设督导", "standardisation", D(today.year, 3, 1), D(today.year, 11, 30), catalogue,
                  creator)  # fmt: skip
    for campaign, days in (
        (a, (D(2022, 4, 12), D(2022, 9, 20))),
        (c, (D(today.year, 4, 15), D(today.year, 9, 10))),
    ):
        on_site = Team.objects.create(
            campaign=campaign, name="第一现场督导组", kind="on_site", leader=leaders[0]
        )
        video = Team.objects.create(
            campaign=campaign, name="视频监控督导组", kind="video", leader=leaders[-1]
        )
        for facility in Facility.objects.all():
            _inspection(campaign, facility, on_site, days[0], creator, weak)
            _inspection(campaign, facility, video, days[1], creator)
    for facility in Facility.objects.all():
        _inspection(b, facility, None, D(2022, 5, 20), creator)
    return a, b, c


def test_the_demo_fills_three_campaigns_once_through_the_services():
    today = timezone.localdate()
    seed_region(today=today, facilities=2)
    system = system_user()
    leaders = [m.user for m in Membership.objects.filter(role=Role.BUREAU_LEADER)]
    a, b, c = supervision_world(today, leaders)

    written = demo.seed_history(system=system, today=today, days=21)

    as_of = today
    table_a = selectors.rates_by_facility(system, campaign=a, as_of=as_of)
    assert [(row.rates.found, row.rates.rectified) for row in table_a.rows] == [(26, 24), (24, 22)]
    assert table_a.total.overdue == 4 and table_a.total.on_time >= 0.8 * table_a.total.rectified
    rectified = Finding.objects.filter(campaign=a, status__in=["verified", "closed"])
    assert all(f.verified_by_id != f.responsible_user_id and f.verified_at.year == 2022 for f in rectified)
    assert all(f.verified_by.memberships.filter(facility__isnull=True).exists() for f in rectified)
    assert rectified.filter(status="closed").exists() and rectified.filter(status="verified").exists()
    assert Finding.objects.filter(campaign=a).exclude(severity="general").exists()

    assert Finding.objects.filter(campaign=b, origin="self_identified").count() == 4
    assert RectificationMeasure.objects.filter(campaign=b).count() == 4
    assert selectors.campaign_progress(system, b, as_of).findings.rectified == 4

    statuses = set(Finding.objects.filter(campaign=c).values_list("status", flat=True))
    assert statuses == {"open", "rectifying", "submitted", "verified", "closed", "withdrawn"}
    # The first facility has at least one failed verification and one reopened finding.
    assert Finding.objects.filter(campaign=c, reopen_count__gte=1).count() >= 2
    assert selectors.campaign_progress(system, c, as_of).findings.overdue >= 6
    assert written > 2 * (50 + 4 + 24)
    assert demo.seed_history(system=system, today=today, days=21) == 0


def test_with_ten_facilities_campaign_a_comes_out_as_the_report_prints_it(client):
    today = timezone.localdate()
    bureau_leader = UserFactory(username="bureau_leader")
    MembershipFactory(user=bureau_leader, facility=None, role=Role.BUREAU_LEADER)
    for n in range(10):
        facility = FacilityFactory(code=f"NM{n:02d}")
        department = DepartmentFactory(facility=facility, name="一大队")
        StaffFactory.create_batch(2, facility=facility, department=department)
    catalogue = make_catalogue(areas=2, standards_per_area=2, name="戒毒场所规范化建设标准")
    a = _campaign(
        demo.CAMPAIGN_A, "standardisation", D(2022, 3, 1), D(2022, 11, 30), catalogue, bureau_leader
    )
    team = Team.objects.create(campaign=a, name="第一现场督导组", kind="on_site", leader=bureau_leader)
    for n, facility in enumerate(Facility.objects.order_by("code")):
        _inspection(a, facility, team, D(2022, 3 + n % 8, 10 + n), bureau_leader)

    demo.seed_history(system=system_user(), today=today, days=21)

    total = selectors.rates_by_facility(bureau_leader, campaign=a, as_of=today).total
    assert (total.found, total.rectified, total.rectification_rate) == (221, 203, Decimal("91.9"))
    client.force_login(bureau_leader)
    page = client.get("/findings/rates/", {"campaign": a.pk}).content.decode()
    assert 'data-found="221" data-rectified="203" data-rate="91.9"' in page
