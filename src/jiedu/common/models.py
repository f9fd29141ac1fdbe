from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are written once and never changed or removed through the ORM (triggers guard SQL)."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only")


class IdempotencyKey(models.Model):
    """One submission a client labelled with a key (``Idempotency-Key`` header, or a form's hidden
    ``submission_key``), and the first answer to it.

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
    content_type = models.CharField(max_length=100)
    response_body = models.TextField(help_text=_("The first answer, returned again to every retry."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            # Per user: two tablets inventing the same key never see each other's answers.
            models.UniqueConstraint(fields=["user", "key"], name="common_idempotency_key_per_user"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
