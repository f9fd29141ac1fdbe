"""``{% submission_key %}`` inside a form: a fresh key per rendering, so that sending the same filled
form twice records it once (``common.idempotency.idempotent_form``)."""

from django import template
from django.utils.html import format_html

from jiedu.common.idempotency import FORM_FIELD, new_submission_key

register = template.Library()


@register.simple_tag
def submission_key():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_submission_key())
