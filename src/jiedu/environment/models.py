"""Key areas (重点部位) and the ventilation and disinfection done in them (每天通风5次、消毒3次)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import VersionedModel
from jiedu.environment import domain
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityQuerySet, FacilityScopedModel


class KeyAreaQuerySet(FacilityQuerySet):
    def key_on(self, day: datetime.date):
        """Areas that were key areas on ``day`` (``key_until`` is the first day they no longer were)."""
        return self.filter(Q(key_until__isnull=True) | Q(key_until__gt=day), key_since__lte=day)


class KeyArea(VersionedModel, FacilityScopedModel):
    """A place that must be ventilated and disinfected every day while it is a key area.

    Being a key area is a period, ``key_since`` up to (not including) ``key_until``, so that a past
    day is judged against the areas that were key that day. Unmarking closes the period; marking
    the same name again after a gap opens a new row (the name is unique among current areas).
    """

    name = models.CharField(_("name"), max_length=60)
    zone = models.ForeignKey(
        "organisation.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("zone"),
    )  # fmt: skip
    key_since = models.DateField(_("key area since"))
    key_until = models.DateField(
        _("key area until"), null=True, blank=True, help_text=_("The first day it is no longer a key area.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = KeyAreaQuerySet.as_manager()

    view_action = roles.VIEW_EPIDEMIC
    manage_action = roles.MANAGE_ORGANISATION

    class Meta:
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")
        ordering = ["facility", "name", "key_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "name"],
                condition=Q(key_until__isnull=True),
                name="environment_area_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(key_until__isnull=True) | Q(key_until__gte=F("key_since")),
                name="environment_area_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def is_key_on(self, day: datetime.date) -> bool:
        return domain.is_key_on(self.key_since, self.key_until, day)


class EnvironmentRecordQuerySet(FacilityQuerySet):
    def effective(self):
        """Rows that count: not replaced by a correction, and not themselves a retraction."""
        return self.filter(correction__isnull=True, is_retraction=False)


class EnvironmentRecord(FacilityScopedModel):
    """One ventilation or disinfection of a key area. Append-only: a correction is a new row that
    points at the one it replaces (``corrects``); a retraction is a correction that counts nothing."""

    class Kind(models.TextChoices):
        VENTILATION = domain.VENTILATION, _("Ventilation")
        DISINFECTION = domain.DISINFECTION, _("Disinfection")

    area = models.ForeignKey(
        KeyArea, on_delete=models.PROTECT, related_name="records", verbose_name=_("key area")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    performed_at = models.DateTimeField(_("performed at"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("performed by")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    agent = models.CharField(_("disinfectant"), max_length=40, blank=True)
    concentration = models.CharField(_("concentration"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction",
        verbose_name=_("corrects"),
    )  # fmt: skip
    is_retraction = models.BooleanField(_("retraction"), default=False)

    objects = EnvironmentRecordQuerySet.as_manager()

    view_action = roles.VIEW_EPIDEMIC
    manage_action = roles.RECORD_ENVIRONMENT

    class Meta:
        verbose_name = _("environment record")
        verbose_name_plural = _("environment records")
        ordering = ["-performed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=domain.KINDS), name="environment_record_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=domain.VENTILATION) | ~Q(agent=""), name="environment_disinfection_has_agent"
            ),
            models.CheckConstraint(
                condition=Q(kind=domain.DISINFECTION) | Q(agent="", concentration=""),
                name="environment_ventilation_has_no_agent",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=720),
                name="environment_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(is_retraction=False) | Q(corrects__isnull=False),
                name="environment_retraction_corrects_a_record",
            ),
        ]
        indexes = [models.Index(fields=["facility", "performed_at"], name="environment_facility_time")]

    def __str__(self):
        return f"{self.area} · {self.get_kind_display()} · {self.performed_at:%Y-%m-%d %H:%M}"
