"""Reading the overseas ledger, always within what the user may see."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from jiedu.overseas import domain
from jiedu.overseas.models import Category, OverseasEntry, OverseasStatus


def _latest_status(field: str) -> Subquery:
    latest = OverseasStatus.objects.filter(entry=OuterRef("pk")).order_by("-effective_date", "-id")
    return Subquery(latest.values(field)[:1])


def with_current_status(entries):
    """Annotate ``current_category`` and ``current_since``: the status in force."""
    return entries.annotate(
        current_category=_latest_status("category"), current_since=_latest_status("effective_date")
    )


def ledger(user, *, facility_ids=None, category: str = "", department=None):
    """Visible entries with their category in force, by facility and staff member."""
    entries = with_current_status(
        OverseasEntry.objects.visible_to(user).select_related("facility", "staff__department")
    ).order_by("facility__code", "staff__police_number", "id")
    if facility_ids is not None:
        entries = entries.filter(facility_id__in=facility_ids)
    if category:
        entries = entries.filter(current_category=category)
    if department is not None:
        entries = entries.filter(staff__department=department)
    return entries


def counts_by_category(entries) -> list[tuple[str, str, int]]:
    """(category, label, count) for every category, zeros included, in ledger order."""
    per_category = entries.order_by().values("current_category").annotate(n=Count("id"))
    counted = {row["current_category"]: row["n"] for row in per_category}
    return [(value, label, counted.get(value, 0)) for value, label in Category.choices]


def history(entry: OverseasEntry) -> list[OverseasStatus]:
    """The entry's statuses, the one in force first."""
    return list(entry.statuses.select_related("recorded_by").order_by("-effective_date", "-id"))


def current_point(entry: OverseasEntry) -> domain.StatusPoint | None:
    points = [
        domain.StatusPoint(category=category, effective_date=effective_date, sequence=pk)
        for pk, category, effective_date in entry.statuses.values_list("id", "category", "effective_date")
    ]
    return domain.current_status(points)
