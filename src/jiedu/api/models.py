"""What the API keeps between requests: the first answer to each idempotent submission."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One submission a client labelled with an ``Idempotency-Key`` header.

    The row is written in the same transaction as the records the submission creates, so it
    exists exactly when they do: a server killed mid-request leaves neither, and the retry runs
    afresh. Only successful answers are kept; a refused submission created nothing and may be
    sent again under the same key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(
        max_length=64, help_text=_("SHA-256 of the method, path and body: the same key with another body is refused.")
    )
    status_code = models.PositiveSmallIntegerField()
    response_body = models.TextField(help_text=_("The first answer, as JSON, returned again to every retry."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            # Per user: two tablets inventing the same key never see each other's answers.
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_per_user"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
