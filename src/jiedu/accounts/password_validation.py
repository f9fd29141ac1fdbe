"""Password rules beyond Django's own validators (length, common list, similarity to the user).

等保 8.1.4.1a asks for complexity (复杂度): three of the four character classes. ASVS 6.2.5 advises
against composition rules; Chinese law applies here, so this is a documented deviation. Long
passphrases pass easily: any three classes, no upper length limit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words anyone guessing a password here would try first (ASVS 6.2.11): the platform's own names.
PLATFORM_WORDS = ("jiedu", "戒毒")


def character_classes(password: str) -> int:
    """How many of lowercase, uppercase, digits and other characters (CJK counts as other) it uses."""
    kinds = set()
    for ch in password:
        kinds.add(
            "lower" if ch.islower() else "upper" if ch.isupper() else "digit" if ch.isdigit() else "other"
        )
    return len(kinds)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "Use at least %(min)d of these: lowercase letters, capital letters, digits, "
                    "other characters."
                ),
                code="password_too_simple",
                params={"min": self.min_classes},
            )

    def get_help_text(self):
        return ngettext(
            "Use at least %(min)d kind of character: lowercase, capitals, digits, others.",
            "Use at least %(min)d kinds of character: lowercase, capitals, digits, others.",
            self.min_classes,
        ) % {"min": self.min_classes}


def context_words() -> set[str]:
    """The platform's, bureau's and facilities' names, lower-cased; short codes are left out."""
    from jiedu.organisation.models import Bureau, Facility

    names = set(Bureau.objects.values_list("name", flat=True))
    for name, short_name, code in Facility.objects.values_list("name", "short_name", "code"):
        names.update((name, short_name, code))
    # Two-letter codes and the like would refuse half of all passwords while protecting nothing.
    return {w.lower() for w in names if len(w) >= 3} | set(PLATFORM_WORDS)


class ContextWordsValidator:
    """Refuses a password containing the name of the platform, the bureau or a facility."""

    def validate(self, password, user=None):
        lowered = password.lower()
        if any(word in lowered for word in context_words()):
            raise ValidationError(
                _("The password must not contain the name of this platform, the bureau or a facility."),
                code="password_context_word",
            )

    def get_help_text(self):
        return _("It must not contain the name of this platform, the bureau or a facility.")
