"""Rules of personal-data access, without the database: purposes, approval windows, watermarks."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from jiedu.common.errors import DomainError
from jiedu.privacy.models import MIN_PURPOSE_LENGTH

# Identifiers that may be shown in full, one at a time, with a purpose.
REVEALABLE = ("id_number", "phone")
# An approval is good for this long after the request (PI-03): long enough for a colleague to
# decide and the requester to download, short enough that an old approval is not a standing one.
APPROVAL_VALID_FOR = datetime.timedelta(hours=24)
# The query parameter that names the approved request on an export URL.
APPROVAL_PARAM = "approval"


def clean_purpose(text: str, *, field: str = "purpose") -> str:
    """A purpose (事由) is typed, not ticked: at least MIN_PURPOSE_LENGTH characters besides spaces."""
    cleaned = " ".join((text or "").split())
    if len(cleaned) < MIN_PURPOSE_LENGTH:
        raise DomainError(
            _("State the purpose in at least %(n)d characters.") % {"n": MIN_PURPOSE_LENGTH}, field=field
        )
    return cleaned


def canonical_query(params, *, drop: str = APPROVAL_PARAM) -> str:
    """The filters of an export as one comparable string: sorted, empty values and ``drop`` left out."""
    pairs = []
    for key in sorted(params.keys()):
        if key == drop:
            continue
        for value in sorted(params.getlist(key) if hasattr(params, "getlist") else [params[key]]):
            if value != "":
                pairs.append((key, value))
    return urlencode(pairs)


def expires_at(requested_at: datetime.datetime) -> datetime.datetime:
    return requested_at + APPROVAL_VALID_FOR


def watermark_text(*, requester: str, at: datetime.datetime, number: int) -> str:
    """Who exported, when, under which approval: on every printed page and in the first row."""
    return _(
        "Exported by %(name)s at %(time)s under export request no. %(number)s. Personal data: do not pass on."
    ) % {"name": requester, "time": f"{at:%Y-%m-%d %H:%M}", "number": number}
