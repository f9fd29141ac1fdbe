from django import template
from django.urls import reverse

from jiedu.findings import domain

register = template.Library()


@register.filter
def evidence_url(evidence) -> str:
    """The download link of an evidence file (served by the evidence app, which checks who may see it)."""
    return reverse("evidence:download", args=[evidence.pk])


@register.filter
def rate(value) -> str:
    """91.9 → "91.9%"; no findings → "—"."""
    return "—" if value is None else f"{value}%"


@register.filter
def overdue_on(finding, day) -> bool:
    return domain.is_overdue(finding.status, finding.deadline, day)
