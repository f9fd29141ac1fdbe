"""Selectors: rates by group agree with a recount of the rows, every group is listed, queries stay constant."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories_findings import FindingFactory, days, make_inspection, make_team
from jiedu.findings import selectors
from jiedu.findings.models import Finding
from jiedu.standards.models import Standard

pytestmark = pytest.mark.django_db


def scatter(world, n, seed):
    """``n`` findings over both facilities, teams and standards, in random states written straight to the table."""
    rng = random.Random(seed)
    second_team = make_team(world.campaign, name=f"视频监控督导组{seed}", kind="video")
    inspections = [world.inspection, make_inspection(campaign=world.campaign, facility=world.b, team=second_team),
                   make_inspection(campaign=world.campaign, facility=world.b)]  # fmt: skip
    standards = list(Standard.objects.filter(catalogue=world.campaign.catalogue)) + [None]
    rows = []
    for _ in range(n):
        inspection = rng.choice(inspections)
        status = rng.choice(["open", "rectifying", "submitted", "verified", "closed", "withdrawn"])
        found = days(-rng.randint(25, 30))
        deadline = found + datetime.timedelta(days=rng.randint(0, 50))
        stamps = {}
        if status in ("submitted", "verified", "closed"):
            stamps |= {"submitted_at": timezone.now(), "submitted_by": world.officer_a}
        if status in ("verified", "closed"):
            stamps |= {"verified_at": timezone.now(), "verified_by": world.supervisor,
                       "rectified_on": found + datetime.timedelta(days=rng.randint(0, 60))}  # fmt: skip
        if status == "closed":
            stamps["closed_at"] = timezone.now()
        rows.append(FindingFactory(
            facility=inspection.facility, campaign=world.campaign, inspection=inspection,
            origin="inspection" if inspection.team_id else "self_identified", standard=rng.choice(standards),
            status=status, found_on=found, deadline=deadline, withdrawn_reason="重复" if status == "withdrawn" else "",
            **stamps,
        ))  # fmt: skip
    return rows


def recount(rows, as_of):
    counted = [f for f in rows if f.status != "withdrawn"]
    rectified = [f for f in counted if f.status in ("verified", "closed")]
    return (
        len(counted), len(rectified), sum(f.rectified_on <= f.deadline for f in rectified),
        sum(f.status not in ("verified", "closed") and f.deadline < as_of for f in counted),
    )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rates_by_every_grouping_agree_with_a_recount_of_the_rows(world, seed):
    rows = scatter(world, 40, seed)
    as_of = timezone.localdate()
    groups = {
        "facility": lambda f: f.facility_id,
        "area": lambda f: f.standard.area_id if f.standard else None,
        "team": lambda f: f.inspection.team_id,
        "month": lambda f: f.found_on.replace(day=1),
    }
    for by, key in groups.items():
        table = selectors.RATE_TABLES[by](world.supervisor, campaign=world.campaign, as_of=as_of)
        assert (
            table.total.found,
            table.total.rectified,
            table.total.on_time,
            table.total.overdue,
        ) == recount(rows, as_of)
        for row in table.rows:
            mine = [f for f in rows if key(f) == row.key]
            assert (row.rates.found, row.rates.rectified, row.rates.on_time, row.rates.overdue) == recount(
                mine, as_of
            )


def test_every_group_is_listed_even_when_empty(world):
    as_of = timezone.localdate()
    assert [row.key for row in selectors.rates_by_facility(world.supervisor, campaign=world.campaign, as_of=as_of).rows] == [
        world.a.pk, world.b.pk,
    ]  # fmt: skip
    assert len(selectors.rates_by_area(world.supervisor, campaign=world.campaign, as_of=as_of).rows) == 2
    assert [row.label for row in selectors.rates_by_team(world.supervisor, campaign=world.campaign, as_of=as_of).rows] == [
        "第一现场督导组",
    ]  # fmt: skip
    months = selectors.rates_by_month(world.supervisor, campaign=world.campaign, as_of=as_of).rows
    assert months[0].key == world.campaign.starts_on.replace(day=1) and months[-1].key == as_of.replace(day=1)
    assert (
        selectors.rates_by_facility(world.officer_a, campaign=world.campaign, as_of=as_of).rows[0].key
        == world.a.pk
    )
    assert len(selectors.rates_by_facility(world.officer_a, campaign=world.campaign, as_of=as_of).rows) == 1


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_findings(world):
    as_of = timezone.localdate()

    def everything():
        for by in selectors.RATE_TABLES.values():
            by(world.supervisor, campaign=world.campaign, as_of=as_of)
        selectors.campaign_progress(world.supervisor, world.campaign, as_of)
        selectors.overdue_findings(world.supervisor, as_of)
        list(selectors.findings(world.supervisor, campaign=world.campaign))

    scatter(world, 3, 7)
    everything()  # the user's memberships are read once per user object
    few = queries(everything)
    scatter(world, 30, 8)
    assert queries(everything) == few


def test_campaign_progress_counts_inspections_findings_and_measures(world):
    rows = scatter(world, 12, 4)
    progress = selectors.campaign_progress(world.supervisor, world.campaign, timezone.localdate())
    assert progress.facilities == 2 and progress.inspections_total == 3 and progress.facilities_inspected == 0
    assert sum(progress.statuses.values()) == len(rows) == Finding.objects.count()
    assert progress.findings.found == sum(f.status != "withdrawn" for f in rows)
