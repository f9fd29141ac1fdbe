"""Resident identity numbers (GB 11643-1999): pure functions, no database.

Hard rules (a number failing one is refused): 18 characters, digits with an optional final X,
a known province code, a real birth date not in the future, a plausible age, and the
ISO 7064 MOD 11-2 check character. The county code is only a warning: python-stdnum's dated
county table refuses real numbers such as 150102198001010014, whose county code postdates
the birth year.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric as stdnum_ric
from stdnum.exceptions import ValidationError as StdnumError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
# GB/T 2260 provinces, plus 81/82/83 on residence permits for Hong Kong, Macao and Taiwan residents.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip
MIN_AGE = 12
MAX_AGE = 100


class InvalidIdNumber(ValueError):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    is_male: bool
    warnings: list[str] = field(default_factory=list)


def normalise(raw: str) -> str:
    """Full-width characters fold to ASCII, spaces go, a lower-case x becomes X."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def parse_id_number(raw: str, *, today: datetime.date) -> IdNumber:
    """Validate and describe an identity number; raise InvalidIdNumber with a user message."""
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}, "length")
    if not (number[:17].isdigit() and number[:17].isascii()) or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(_("Only digits are allowed, with X only as the last character."), "charset")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(_("The first two digits are not a known province code."), "province")
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(_("Digits 7 to 14 are not a real birth date."), "birth_date") from None
    if birth_date > today:
        raise InvalidIdNumber(_("The birth date lies in the future."), "birth_date")
    age = age_on(birth_date, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise InvalidIdNumber(
            _("The birth date gives an age of %(age)d, outside %(min)d to %(max)d.")
            % {"age": age, "min": MIN_AGE, "max": MAX_AGE},
            "age",
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(_("The check character (last character) is wrong."), "check_character")
    warnings = []
    if not _county_known(number):
        warnings.append(str(_("The county code is not in the national table for this birth year; please verify.")))
    return IdNumber(number=number, birth_date=birth_date, is_male=int(number[16]) % 2 == 1, warnings=warnings)


def _county_known(number: str) -> bool:
    try:
        stdnum_ric.get_birth_place(number)
    except (StdnumError, KeyError):  # stdnum raises KeyError for prefixes with no county entry (110001)
        return False
    return True


def make_id_number(*, county: str, birth_date: datetime.date, sequence: int, male: bool) -> str:
    """A checksum-valid number, for demo data and tests."""
    seq = sequence % 1000
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
        if (seq % 2 == 1) != male:  # 999 + 1 wrapped to 0
            seq = 1 if male else 2
    first_17 = f"{county}{birth_date:%Y%m%d}{seq:03d}"
    return first_17 + check_character(first_17)
