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
