"""Factories for findings, their events and rectification measures, and builders for the world they live in.

Campaigns, teams, inspections and catalogues belong to other apps: the plain ``make_*`` builders
below create just what a findings test needs (they are not factory classes, so the scoping contract
test keeps using those apps' own factories). Dates are relative to today: a campaign that began 200
days ago and ends in 100 days, an inspection 30 days ago; a factory finding is due in 20 days.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from factories import DepartmentFactory, FacilityFactory, StaffFactory, UserFactory
from jiedu.findings.models import Finding, FindingEvent, RectificationMeasure
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision.models import Campaign, Inspection, Team


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


class FindingFactory(DjangoModelFactory):
    """A self-identified finding of ``facility``, found 10 days ago, due in 20 days, open."""

    class Meta:
        model = Finding

    facility = factory.SubFactory(FacilityFactory)
    origin = Finding.Origin.SELF_IDENTIFIED
    severity = Finding.Severity.GENERAL
    title = factory.Sequence(lambda n: f"值班记录不全{n}")
    responsible_department = factory.SubFactory(
        DepartmentFactory, facility=factory.SelfAttribute("..facility")
    )
    responsible_staff = factory.SubFactory(
        StaffFactory, facility=factory.SelfAttribute("..facility"),
        department=factory.SelfAttribute("..responsible_department"),
    )  # fmt: skip
    responsible_user = factory.LazyAttribute(lambda o: o.responsible_staff.user)
    found_on = factory.LazyFunction(lambda: days(-10))
    deadline = factory.LazyFunction(lambda: days(20))
    recorded_by = factory.SubFactory(UserFactory)


class FindingEventFactory(DjangoModelFactory):
    class Meta:
        model = FindingEvent

    facility = factory.SubFactory(FacilityFactory)
    finding = factory.SubFactory(FindingFactory, facility=factory.SelfAttribute("..facility"))
    kind = FindingEvent.Kind.RECORDED
    actor = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)


class RectificationMeasureFactory(DjangoModelFactory):
    class Meta:
        model = RectificationMeasure
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    title = factory.Sequence(lambda n: f"建立值班记录日查制度{n}")
    responsible_department = factory.SubFactory(
        DepartmentFactory, facility=factory.SelfAttribute("..facility")
    )
    due_on = factory.LazyFunction(lambda: days(30))
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def findings(self, create, extracted, **kwargs):
        if create:
            self.findings.set(
                extracted if extracted is not None else [FindingFactory(facility=self.facility)]
            )


# --- The world of other apps, just enough of it -----------------------------------------------------------


def make_catalogue(
    *, areas: int = 2, standards_per_area: int = 2, name: str = "规范化建设标准"
) -> CatalogueVersion:
    author = UserFactory()
    catalogue = CatalogueVersion.objects.create(
        name=name, version=f"v{CatalogueVersion.objects.count() + 1}", status=CatalogueVersion.Status.PUBLISHED,
        effective_from=days(-365), published_at=timezone.now(), published_by=author, created_by=author,
    )  # fmt: skip
    for a in range(1, areas + 1):
        area = Area.objects.create(catalogue=catalogue, code=f"{a:02d}", name=f"方面{a}", position=a)
        for s in range(1, standards_per_area + 1):
            Standard.objects.create(
                catalogue=catalogue, area=area, code=f"{a:02d}.{s:02d}", title=f"标准{a}-{s}", requirement="要求",
                check_method="查阅台账", max_points=Decimal("5"), scoring_rule="缺一项扣1分", position=s,
            )  # fmt: skip
    return catalogue


def make_campaign(*, facilities, catalogue=None, kind=Campaign.Kind.STANDARDISATION, name=None, starts_on=None,
                  ends_on=None) -> Campaign:  # fmt: skip
    if kind == Campaign.Kind.STANDARDISATION and catalogue is None:
        catalogue = make_catalogue()
    campaign = Campaign.objects.create(
        name=name or f"规范化建设督导{Campaign.objects.count() + 1}", kind=kind, catalogue=catalogue,
        starts_on=starts_on or days(-200), ends_on=ends_on or days(100), created_by=UserFactory(),
    )  # fmt: skip
    campaign.facilities.set(facilities)
    return campaign


def make_team(campaign, *, leader=None, name=None, kind=Team.Kind.ON_SITE) -> Team:
    return Team.objects.create(
        campaign=campaign, name=name or f"第{Team.objects.count() + 1}现场督导组", kind=kind,
        leader=leader or UserFactory(),
    )  # fmt: skip


def make_inspection(*, campaign, facility, team=None, starts_on=None, ends_on=None,
                    methods=("site_check", "ledger_review")) -> Inspection:  # fmt: skip
    starts_on = starts_on or days(-30)
    return Inspection.objects.create(
        campaign=campaign, facility=facility, team=team, starts_on=starts_on, ends_on=ends_on or starts_on,
        by_site_check="site_check" in methods, by_ledger_review="ledger_review" in methods,
        by_video_patrol="video_patrol" in methods, by_talks="talk" in methods,
        status=Inspection.Status.IN_PROGRESS, created_by=UserFactory(),
    )  # fmt: skip


def responsible(facility, *, user=None):
    """A serving member of a new unit of ``facility`` (optionally linked to ``user``'s login)."""
    department = DepartmentFactory(facility=facility)
    return department, StaffFactory(facility=facility, department=department, user=user)
