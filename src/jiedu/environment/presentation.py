"""How records and rates read on pages and in the export."""

from django.utils.translation import gettext_lazy as _

STATE_LABELS = {
    "counts": _("Counts"),
    "corrected": _("Replaced by a correction"),
    "retraction": _("Retraction"),
}


def record_state(record) -> str:
    """counts, corrected (a later row replaces it) or retraction (it withdraws an earlier row)."""
    if record.is_retraction:
        return "retraction"
    if getattr(record, "correction", None) is not None:
        return "corrected"
    return "counts"


def percent(tally) -> int:
    """A tally's rate as a whole percentage, rounded down so 99.6 % never shows as 100 %."""
    return tally.counted * 100 // tally.required if tally.applicable else 100
