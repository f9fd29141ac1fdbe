from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import AppendOnlyModel, AppendOnlyQuerySet
from jiedu.organisation import roles


class AuditEventQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """Events of the facilities where the user may read the audit trail (bureau: all)."""
        from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope

        scope = facility_scope(user, roles.VIEW_AUDIT)
        if scope is ALL_FACILITIES:
            return self
        return self.filter(facility_id__in=scope)



class AuditEvent(AppendOnlyModel):
    """One thing that happened, written in the same transaction as the change it describes.

    Never holds personal values: only the names of the fields that changed.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    # Set by ``services.record`` before hashing (not auto_now_add, which would overwrite it).
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    # A plain id, not a foreign key: the trail outlives whatever it describes.
    facility_id = models.BigIntegerField(_("facility"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    # Tamper evidence (audit/chain.py): HMAC-SM3 over the previous row's hash and this row's fields.
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, editable=False)

    view_action = roles.VIEW_AUDIT
    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=["success", "denied", "failed"]), name="audit_outcome_valid"),
            models.CheckConstraint(condition=Q(row_hash__regex=r"^[0-9a-f]{64}$"), name="audit_row_hash_hex"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.outcome}"

