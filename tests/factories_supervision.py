"""Factories for campaigns, teams, inspections, results and video sessions, and a small catalogue.

``InspectionFactory(facility=f)`` makes a planned standardisation inspection of ``f`` by an on-site
team, in a bureau campaign that includes ``f``; ``CampaignFactory(facility=f)`` a facility's own
self-inspection campaign. The catalogue factories are prefixed (the standards app owns its own).
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, UserFactory
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team, VideoSession

CAMPAIGN_START = datetime.date(2026, 3, 1)
CAMPAIGN_END = datetime.date(2026, 11, 30)
SESSION_START = datetime.datetime(2026, 3, 10, 1, tzinfo=datetime.UTC)  # 09:00 in Asia/Shanghai


class SupervisionCatalogueFactory(DjangoModelFactory):
    class Meta:
        model = CatalogueVersion

    name = factory.Sequence(lambda n: f"规范化建设标准{n}")
    version = "2022版"
    status = CatalogueVersion.Status.PUBLISHED
    effective_from = datetime.date(2022, 1, 1)
    published_at = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    created_by = factory.SubFactory(UserFactory)


class SupervisionAreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    catalogue = factory.SubFactory(SupervisionCatalogueFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"方面{n}")
    position = factory.Sequence(lambda n: n)


class SupervisionStandardFactory(DjangoModelFactory):
    class Meta:
        model = Standard

    catalogue = factory.SubFactory(SupervisionCatalogueFactory)
    area = factory.SubFactory(SupervisionAreaFactory, catalogue=factory.SelfAttribute("..catalogue"))
    code = factory.Sequence(lambda n: f"S{n}")
    title = factory.Sequence(lambda n: f"建立健全管理台账{n}")
    requirement = "台账齐全，记录规范。"
    check_method = "查阅台账。"
    max_points = Decimal("10.0")
    scoring_rule = "未建立台账扣2分，记录不全每处扣0.5分，扣完为止。"
    position = factory.Sequence(lambda n: n)


class CampaignFactory(DjangoModelFactory):
    """A bureau standardisation campaign (``facilities=[...]``), or with ``facility`` a facility's own self-inspection."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    facility = None
    name = factory.Sequence(lambda n: f"规范化督导第{n + 1}轮")
    kind = factory.LazyAttribute(
        lambda o: Campaign.Kind.SELF_INSPECTION if o.facility else Campaign.Kind.STANDARDISATION
    )
    catalogue = factory.SubFactory(SupervisionCatalogueFactory)
    starts_on = CAMPAIGN_START
    ends_on = CAMPAIGN_END
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if create:
            self.facilities.set(extracted if extracted is not None else ([self.facility] if self.facility else []))


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}现场督导组")
    kind = Team.Kind.ON_SITE
    leader = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    campaign = factory.SubFactory(CampaignFactory)
    team = factory.LazyAttribute(
        lambda o: None if o.campaign.kind == Campaign.Kind.SELF_INSPECTION else TeamFactory(campaign=o.campaign)
    )
    starts_on = datetime.date(2026, 3, 10)
    ends_on = datetime.date(2026, 3, 11)
    by_site_check = True
    by_ledger_review = True
    by_video_patrol = True
    by_talks = True
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def in_scope(self, create, extracted, **kwargs):
        if create:
            self.campaign.facilities.add(self.facility_id)


class InspectionResultFactory(DjangoModelFactory):
    class Meta:
        model = InspectionResult

    facility = factory.SubFactory(FacilityFactory)
    inspection = factory.SubFactory(InspectionFactory, facility=factory.SelfAttribute("..facility"))
    standard = factory.SubFactory(
        SupervisionStandardFactory, catalogue=factory.SelfAttribute("..inspection.campaign.catalogue")
    )
    verdict = InspectionResult.Verdict.MET
    points = factory.LazyAttribute(lambda o: o.standard.max_points)
    recorded_by = factory.SubFactory(UserFactory)


class VideoSessionFactory(DjangoModelFactory):
    class Meta:
        model = VideoSession

    facility = factory.SubFactory(FacilityFactory)
    inspection = factory.SubFactory(InspectionFactory, facility=factory.SelfAttribute("..facility"))
    areas_watched = "二大队宿舍、医疗区"
    cameras = "二大队宿舍走廊-03、医疗区走廊"
    started_at = SESSION_START
    ended_at = SESSION_START + datetime.timedelta(hours=1)
    inspector = factory.SubFactory(UserFactory)
