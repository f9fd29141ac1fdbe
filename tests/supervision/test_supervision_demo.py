"""Demo history: teams led by the leadership, campaigns A, B and C with their inspections, once."""

import datetime
from decimal import Decimal

import pytest

from jiedu.demo.seeding import seed_region, system_user
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision import demo
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team, VideoSession

TODAY = datetime.date(2026, 7, 15)


def _catalogue(system):
    """The standards demo's natural key with 14 areas and 100 standards (standards' own demo writes the text)."""
    version = CatalogueVersion.objects.create(
        name="戒毒场所规范化建设标准", version="2022版", status="published", effective_from=datetime.date(2022, 1, 1),
        published_at=datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC), created_by=system,
    )  # fmt: skip
    for a in range(14):
        area = Area.objects.create(catalogue=version, code=f"{a + 1:02d}", name=f"方面{a + 1}", position=a)
        for s in range(8 if a < 2 else 7):
            Standard.objects.create(
                catalogue=version, area=area, code=f"{a + 1}.{s + 1}", title=f"标准{a + 1}.{s + 1}", requirement="要求",
                check_method="查阅台账", max_points=Decimal("10"), scoring_rule="扣完为止", position=s,
            )  # fmt: skip
    assert version.standards.count() == 100
    return version


@pytest.mark.django_db
def test_without_the_catalogue_nothing_is_written():
    seed_region(today=TODAY, facilities=2)

    assert demo.seed_history(system=system_user(), today=TODAY, days=14) == 0
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_demo_history_seeds_teams_campaigns_and_inspections_once():
    seed_region(today=TODAY, facilities=3)
    system = system_user()
    _catalogue(system)

    written = demo.seed_history(system=system, today=TODAY, days=14)

    facilities = list(Facility.objects.order_by("code"))
    a = Campaign.objects.get(name=demo.CAMPAIGN_A)
    assert (a.kind, a.starts_on, a.ends_on, a.facilities.count()) == (
        "standardisation", datetime.date(2022, 3, 1), datetime.date(2022, 11, 30), 3
    )
    teams = {t.name: t for t in Team.objects.filter(campaign=a)}
    assert set(teams) == {"第一现场督导组", "第二现场督导组", "第三现场督导组", "视频监控督导组"}
    assert teams["第一现场督导组"].leader.username == "bureau_leader"
    for team in teams.values():
        assert Membership.objects.filter(user=team.leader, role=Role.BUREAU_LEADER, facility__isnull=True).exists()
        assert 2 <= team.members.count() <= 3
    assert teams["视频监控督导组"].leader.username == "bureau_deputy_3"
    assert not teams["视频监控督导组"].leader.has_usable_password()
    on_site = Inspection.objects.filter(campaign=a, team__kind="on_site")
    assert on_site.count() == 3 and set(on_site.values_list("status", flat=True)) == {"completed"}
    assert InspectionResult.objects.filter(inspection__in=on_site).count() == 300
    verdicts = set(InspectionResult.objects.filter(inspection__in=on_site).values_list("verdict", flat=True))
    assert {"met", "partly", "not_met"} <= verdicts
    video = Inspection.objects.filter(campaign=a, team__kind="video")
    assert video.count() == 3 and all(i.by_video_patrol and not i.by_site_check for i in video)
    sessions = VideoSession.objects.filter(inspection__in=video)
    assert 3 <= sessions.count() <= 6 and not sessions.filter(signed_off_at__isnull=True).exists()
    assert all(s.screenshots.filter(kind="image").count() == 1 for s in sessions)
    assert all(s.inspector_id in set(teams["视频监控督导组"].members.values_list("pk", flat=True)) for s in sessions)

    b = Campaign.objects.get(name=demo.CAMPAIGN_B)
    assert (b.kind, b.basis) == ("self_inspection", "十一个严禁")
    assert sorted(Inspection.objects.filter(campaign=b, team__isnull=True).values_list("facility__code", flat=True)) == [
        f.code for f in facilities
    ]
    assert set(Inspection.objects.filter(campaign=b).values_list("status", flat=True)) == {"completed"}

    c = Campaign.objects.get(name="2026年规范化建设督导")
    assert (c.starts_on, c.ends_on) == (datetime.date(2026, 3, 1), datetime.date(2026, 11, 30))
    c_inspections = Inspection.objects.filter(campaign=c)
    assert c_inspections.filter(status="in_progress").count() == 1
    assert c_inspections.filter(status="completed", starts_on__lt=TODAY.replace(day=1)).exists()
    assert not c_inspections.filter(status="completed", starts_on__gte=TODAY.replace(day=1)).exists()

    assert written > 600
    assert demo.seed_history(system=system, today=TODAY, days=14) == 0


def test_campaign_c_has_begun_by_today():
    assert demo.campaign_c_period(datetime.date(2027, 1, 20)) == (datetime.date(2027, 1, 20), datetime.date(2027, 11, 30))
    assert demo.campaign_c_period(datetime.date(2027, 6, 1))[0] == datetime.date(2027, 3, 1)
