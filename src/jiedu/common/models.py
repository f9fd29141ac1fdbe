from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A record users edit: ``version`` counts its changes, so a write based on an older read is
    refused instead of silently undoing someone else's change (``common.services.save_versioned``).

    Every save of an existing row counts, whoever makes it (an edit, a lifecycle step, another
    domain moving a resident's bed): the database adds one, so two writers never share a number.
    """

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Incremented by every change; clients send back the version they read."),
    )

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if self._state.adding or (update_fields is not None and not update_fields):
            return super().save(*args, update_fields=update_fields, **kwargs)
        read = self.version
        self.version = F("version") + 1
        try:
            super().save(
                *args, update_fields=None if update_fields is None else [*update_fields, "version"], **kwargs
            )
        except BaseException:
            self.version = read  # a refused save changed nothing: the instance keeps the number it had
            raise
        # The new number is the database's (version + 1), read back for the answer to the caller.
        self.version = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).get()


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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("HTTP method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the method, path and body: the same key with another body is refused."),
    )
    status_code = models.PositiveSmallIntegerField(_("status code"))
    content_type = models.CharField(_("content type"), max_length=100)
    response_body = models.TextField(
        _("response body"), help_text=_("The first answer, returned again to every retry.")
    )
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
