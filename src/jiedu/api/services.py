"""Housekeeping of what the API keeps between requests."""

import datetime

from django.conf import settings
from django.utils import timezone

from jiedu.api.models import IdempotencyKey


def purge_idempotency_keys(*, now: datetime.datetime | None = None) -> int:
    """Forget answers older than JIEDU_IDEMPOTENCY_KEY_DAYS; returns how many were removed.

    A retry arriving later than that runs again as a new submission, so the retention must cover
    the longest a tablet may stay offline with unsent work.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JIEDU_IDEMPOTENCY_KEY_DAYS)
    removed, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return removed
