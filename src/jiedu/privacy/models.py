"""Who looked at whose personal data (AccessLog), and the second person's approval a bulk export needs
(ExportRequest). GB/T 35273 §7.1 (approval of bulk copies), §11.7 (record of processing); ASVS 16.3.2."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import AppendOnlyModel, AppendOnlyQuerySet, BaseModel
from jiedu.organisation import roles

# A purpose or reason shorter than this says nothing ("ok", "看看"); PI-02 asks for a real one.
MIN_PURPOSE_LENGTH = 4


class AccessLogQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user, action: str | None = None):
        """Rows of the facilities where the user may read the access log (the audit administrator: all)."""
        from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope

        scope = facility_scope(user, action or roles.VIEW_ACCESS_LOG)
        if scope is ALL_FACILITIES:
            return self
        return self.filter(facility_id__in=scope)



class AccessLog(AppendOnlyModel):
    """One reading of one person's record, one reveal of a full identifier, or one approved export.

    Append-only, like the audit trail: the ORM refuses changes and database triggers refuse UPDATE
    and DELETE (migration 0002, the same maintenance door as ``audit.maintenance``).
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed")
        REVEAL = "reveal", _("Revealed in full")
        EXPORT = "export", _("Exported")

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the log outlives the login it names
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("actor username"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    # Plain ids, not foreign keys: the log outlives whatever it describes.
    facility_id = models.BigIntegerField(_("facility"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    subject_type = models.CharField(_("record type"), max_length=64)
    subject_id = models.CharField(_("record id"), max_length=64, db_index=True)
    # Names of the identifiers shown in full (reveal) or the export's name (export); never values.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    view_action = roles.VIEW_ACCESS_LOG
    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="accesslog_subject")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["view", "reveal", "export"]), name="accesslog_kind_valid"
            ),
            # A reveal or an export always carries its purpose (PI-02, PI-03), in the database too.
            models.CheckConstraint(
                condition=Q(kind="view") | GreaterThanOrEqual(Length("purpose"), MIN_PURPOSE_LENGTH),
                name="accesslog_purpose_given",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.kind} {self.subject_type}#{self.subject_id}"



class ExportRequestQuerySet(models.QuerySet):
    def visible_to(self, user, action: str | None = None):
        """The user's own requests, and those they could decide: same export, facility in their scope."""
        from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
        from jiedu.privacy.gates import GATES

        if not getattr(user, "is_authenticated", False):
            return self.none()
        visible = Q(requester_id=user.pk)
        for gate in GATES.values():
            scope = facility_scope(user, gate.action)
            if scope is ALL_FACILITIES:
                visible |= Q(export_name=gate.name)
            elif scope:
                visible |= Q(export_name=gate.name, facility_id__in=scope)
        return self.filter(visible)


class ExportRequest(BaseModel):
    """A request to download one bulk export of personal data, which a second person must approve.

    ``facility`` is the scope the export covers: one facility, or empty for every facility the
    requester sees (then only someone who sees the whole region may approve). An approval is good
    for one download within 24 hours of the request.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DOWNLOADED = "downloaded", _("Downloaded")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    export_name = models.CharField(_("export"), max_length=64)
    # The export's filters exactly as approved (canonical query string); the download must match it.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    reason = models.TextField(_("reason"))
    facility = models.ForeignKey(
        "organisation.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facility"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    expires_at = models.DateTimeField(_("expires at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    # Not a role action: what a refused look-up of someone else's request is audited as.
    view_action = "privacy.export_request"
    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved", "rejected", "downloaded"]),
                name="exportrequest_status_valid",
            ),
            # The four-eyes rule in the database: nobody approves their own export.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requester")),
                name="exportrequest_second_person",
            ),
            models.CheckConstraint(
                condition=(Q(status="requested") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(status="requested") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="exportrequest_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="downloaded", downloaded_at__isnull=False)
                | (~Q(status="downloaded") & Q(downloaded_at__isnull=True)),
                name="exportrequest_downloaded_at_iff_downloaded",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("reason"), MIN_PURPOSE_LENGTH),
                name="exportrequest_reason_given",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.export_name} {self.status}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
