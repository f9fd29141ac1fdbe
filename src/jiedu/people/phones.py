"""Phone numbers: mainland mobiles (11 digits, leading 1) or landlines with an area code."""

import re

from django.utils.translation import gettext as _

from jiedu.common.errors import DomainError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s()\-]", "", raw or "").replace("+86", "", 1)


def checked_phone(raw: str) -> str:
    phone = normalise_phone(raw)
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise DomainError(_("Enter an 11-digit mobile number or a landline with its area code."), field="phone")
    return phone
