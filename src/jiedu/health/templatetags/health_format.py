import math

from django import template

register = template.Library()


@register.filter
def percent(ratio) -> str:
    """0.9968 → "99.6%": rounded down, so a round with any miss never shows as 100%."""
    if ratio is None:
        return "—"
    return f"{math.floor(ratio * 1000) / 10:.1f}%"
