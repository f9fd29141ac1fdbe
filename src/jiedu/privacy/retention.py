"""Retention rules (PIPL Art. 19, 47; GB/T 35273 §6.1): personal data whose purpose has ended is deleted.

Each rule takes the cutoff (now minus the inventory's ``days``) and deletes the rows whose anchor
date lies before it, in an order the PROTECT foreign keys allow; it returns how many rows of each
model went (or would go: ``dry_run``). Rules are named in docs/data-inventory.yaml (``expire``), which
says for how long; this module says from when and what goes. Audit rows and the access log are not
touched: they have their own retention (purge-audit, at least 180 days).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable

from django.db.models import OuterRef, Q, Subquery

from jiedu.crosscheck.models import CrossCheckFinding
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.overseas import domain as overseas_domain
from jiedu.overseas.models import OverseasEntry, OverseasStatus
from jiedu.people.models import Resident
from jiedu.screening.models import ScreeningForm
from jiedu.staffleave.models import DailyReport, LeavePeriod, PatrolRecord, ReturnReport
from jiedu.standby.models import NucleicAcidTest

Rule = Callable[[datetime.datetime, bool], Counter]
GONE = ("released", "transferred", "deceased")


def _delete(counts: Counter, queryset, dry_run: bool) -> None:
    label = queryset.model._meta.label
    if dry_run:
        counts[label] += queryset.count()
    else:
        deleted, per_model = queryset.delete()
        counts[label] += per_model.get(label, 0)


def _delete_chain(counts: Counter, queryset, link: str, dry_run: bool) -> None:
    """Rows that correct one another (``link`` points at the corrected row, PROTECT): corrections
    first. A row still corrected by a newer, kept row stays until that one expires too."""
    model = queryset.model
    if dry_run:
        counts[model._meta.label] += queryset.count()
        return
    while True:
        referenced = model.objects.filter(**{f"{link}__isnull": False}).values(link)
        leaves = queryset.exclude(pk__in=referenced)
        if not leaves.exists():
            return
        _delete(counts, leaves, dry_run=False)


def readings_of_released_residents(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    """Temperatures and fever alerts of residents who left the facility before the cutoff."""
    counts: Counter = Counter()
    gone = Resident.objects.filter(status__in=GONE, left_at__lt=cutoff).values("pk")
    _delete(counts, FeverAlert.objects.filter(resident__in=gone), dry_run)
    _delete_chain(counts, TemperatureReading.objects.filter(resident__in=gone), "corrects", dry_run)
    return counts


def staff_leave_reports(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    """Daily and return reports of leave periods that ended before the cutoff, then the periods."""
    counts: Counter = Counter()
    ended = LeavePeriod.objects.filter(ends_on__lt=cutoff.date())
    _delete(counts, DailyReport.objects.filter(period__in=ended.values("pk")), dry_run)
    _delete(counts, ReturnReport.objects.filter(period__in=ended.values("pk")), dry_run)
    _delete(counts, ended, dry_run)
    return counts


def staff_leave_patrols(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    counts: Counter = Counter()
    _delete(counts, PatrolRecord.objects.filter(visited_at__lt=cutoff), dry_run)
    return counts


def overseas_ledger(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    """People whose latest status says they returned, before the cutoff: the whole ledger entry.

    People still abroad or planning to return keep their entry: the purpose has not ended.
    """
    counts: Counter = Counter()
    latest = OverseasStatus.objects.filter(entry=OuterRef("pk")).order_by("-effective_date", "-id")
    entries = OverseasEntry.objects.annotate(
        latest_category=Subquery(latest.values("category")[:1]),
        latest_date=Subquery(latest.values("effective_date")[:1]),
        latest_return=Subquery(latest.values("return_date")[:1]),
    ).filter(
        Q(latest_category=overseas_domain.RETURNED)
        & (Q(latest_return__lt=cutoff.date()) | Q(latest_return__isnull=True, latest_date__lt=cutoff.date()))
    )
    done = list(entries.values_list("pk", flat=True))
    _delete(counts, OverseasStatus.objects.filter(entry__in=done), dry_run)
    _delete(counts, OverseasEntry.objects.filter(pk__in=done), dry_run)
    return counts


def screening_forms(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    """Screening forms (travel, contacts, symptoms, family) of rounds that ended before the cutoff."""
    counts: Counter = Counter()
    _delete(counts, ScreeningForm.objects.filter(round__ends_on__lt=cutoff.date()), dry_run)
    return counts


def nucleic_acid_tests(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    counts: Counter = Counter()
    _delete_chain(counts, NucleicAcidTest.objects.filter(sample_taken_at__lt=cutoff), "corrects", dry_run)
    return counts


def crosscheck_findings(cutoff: datetime.datetime, dry_run: bool) -> Counter:
    """The discrepancies name people and places; the run keeps only its counts and file hashes."""
    counts: Counter = Counter()
    _delete(counts, CrossCheckFinding.objects.filter(run__day__lt=cutoff.date()), dry_run)
    return counts


RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        readings_of_released_residents, staff_leave_reports, staff_leave_patrols, overseas_ledger,
        screening_forms, nucleic_acid_tests, crosscheck_findings,
    )
}  # fmt: skip

# Which models each rule deletes from: the inventory must mark exactly these with the rule.
RULE_MODELS: dict[str, set[str]] = {
    "readings_of_released_residents": {"health.TemperatureReading", "health.FeverAlert"},
    "staff_leave_reports": {"staffleave.DailyReport", "staffleave.ReturnReport", "staffleave.LeavePeriod"},
    "staff_leave_patrols": {"staffleave.PatrolRecord"},
    "overseas_ledger": {"overseas.OverseasEntry", "overseas.OverseasStatus"},
    "screening_forms": {"screening.ScreeningForm"},
    "nucleic_acid_tests": {"standby.NucleicAcidTest"},
    "crosscheck_findings": {"crosscheck.CrossCheckFinding"},
}
