"""Reads of residents and staff: search through the blind index, never by decrypting."""

from django.db.models import Q

from jiedu.common import crypto
from jiedu.people import identity
from jiedu.people.models import ID_NUMBER_CONTEXT, PHONE_CONTEXT


def search_people(queryset, term: str):
    """Name or file/police number contains the term, or the term is a whole ID or phone number."""
    term = (term or "").strip()
    if not term:
        return queryset
    condition = Q(name__icontains=term)
    number_field = "file_number" if hasattr(queryset.model, "file_number") else "police_number"
    condition |= Q(**{f"{number_field}__icontains": term})
    normalised = identity.normalise(term)
    if len(normalised) == 18:
        condition |= Q(id_number_index=crypto.blind_index(normalised, context=ID_NUMBER_CONTEXT))
    digits = normalised.replace("-", "")
    if digits.isdigit() and 7 <= len(digits) <= 12:
        condition |= Q(phone_index=crypto.blind_index(digits, context=PHONE_CONTEXT))
    return queryset.filter(condition)


def resident_counts_by_facility(user) -> dict[int, int]:
    """Residents present per facility, for the facilities whose residents ``user`` may see."""
    from django.db.models import Count

    from jiedu.people.models import Resident

    rows = (
        Resident.objects.visible_to(user)
        .filter(status__in=Resident.PRESENT_STATUSES)
        .values("facility_id")
        .annotate(n=Count("id"))
    )
    return {row["facility_id"]: row["n"] for row in rows}


def residents_by_facility_and_zone(user, facility_ids=None) -> list[dict]:
    """Rows of (facility short name, zone type, count) for the dashboard chart."""
    from django.db.models import Count

    from jiedu.people.models import Resident

    queryset = Resident.objects.visible_to(user).filter(status__in=Resident.PRESENT_STATUSES)
    if facility_ids:
        queryset = queryset.filter(facility_id__in=facility_ids)
    return list(
        queryset.values("facility_id", "facility__short_name", "current_zone__zone_type")
        .annotate(n=Count("id"))
        .order_by("facility_id", "current_zone__zone_type")
    )
