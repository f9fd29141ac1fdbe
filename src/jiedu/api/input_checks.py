"""Input is validated, not guessed (等保 8.1.4.4d: input validation at every interface).

Found by the API fuzz run (scripts/fuzz_api.py): ``?is_active=yes`` or ``?page_size=abc`` used to be
ignored silently, so a client believing it had filtered received every row; a parameter given twice
used the last value; and DRF turned a JSON number into text (``"name": 0`` saved as "0"). Now each
of those is a 400 naming the parameter or field.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, MultipleChoiceFilter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"", "true", "false", "1", "0"}
PAGINATION_PARAMETERS = ("page", "page_size")


def refuse_repeated(query, names) -> None:
    repeated = sorted(name for name in names if len(query.getlist(name)) > 1)
    if repeated:
        raise ValidationError({name: [_("Give this parameter only once.")] for name in repeated})


def refuse_bad_booleans(query, filters: dict) -> None:
    bad = sorted(
        name
        for name, declared in filters.items()
        if isinstance(declared, BooleanFilter) and query.get(name, "").lower() not in BOOLEAN_VALUES
    )
    if bad:
        raise ValidationError({name: [_("Use true or false.")] for name in bad})


def check_filter_query(query, filters: dict) -> None:
    single = [name for name, declared in filters.items() if not isinstance(declared, MultipleChoiceFilter)]
    refuse_repeated(query, [*single, *PAGINATION_PARAMETERS])
    refuse_bad_booleans(query, filters)


def page_size_from(query, name: str, maximum: int) -> int | None:
    """The requested page size; None when not given; 400 unless it is a whole number from 1 up."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: [_("Use a whole number from 1 to %(maximum)s.") % {"maximum": maximum}]})
    return min(int(raw), maximum)


def refuse_non_strings(serializer, data) -> None:
    """Text fields take JSON strings only (DRF would also take a number or a boolean and convert it)."""
    if not hasattr(data, "items") or hasattr(data, "getlist"):
        return  # not a JSON object (a form's values are always strings; a list is the serializer's to refuse)
    bad = sorted(
        name
        for name, field in serializer.fields.items()
        if isinstance(field, serializers.CharField)
        and not field.read_only
        and name in data
        and data[name] is not None
        and not isinstance(data[name], str)
    )
    if bad:
        raise ValidationError({name: [_("Not a valid string.")] for name in bad})
