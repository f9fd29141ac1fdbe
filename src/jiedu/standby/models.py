import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import BaseModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel, RegionOrFacilityQuerySet
from jiedu.standby import domain


class NotClearedReason(models.TextChoices):
    STANDBY_NOT_OVER = domain.STANDBY_NOT_OVER, _("Standby period not yet over")
    POSITIVE_RESULT = domain.POSITIVE_RESULT, _("Positive test during the shift")
    NO_TEST_BEFORE_STANDBY = domain.NO_TEST_BEFORE_STANDBY, _("No negative test before standby")
    NO_TEST_BEFORE_DUTY = domain.NO_TEST_BEFORE_DUTY, _("No negative test in the 48 hours before duty")
    TOO_FEW_NEGATIVES = domain.TOO_FEW_NEGATIVES, _("Too few negative tests")


class StandbyPolicy(BaseModel):
    """Standby length and required negative tests from ``effective_from`` on.

    ``facility`` empty: the region's default. Rows are never edited: a change is a new row with a
    later date, so a shift keeps the rules in force on its first day (they are also copied onto it).
    """

    facility = models.ForeignKey(
        "organisation.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("facility"), help_text=_("Empty for the region-wide default."),
    )  # fmt: skip
    effective_from = models.DateField(_("effective from"))
    standby_days = models.PositiveSmallIntegerField(_("standby days"))
    required_negative_tests = models.PositiveSmallIntegerField(_("required negative tests"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = RegionOrFacilityQuerySet.as_manager()
    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("standby policy")
        verbose_name_plural = _("standby policies")
        ordering = ["-effective_from", "facility_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "effective_from"], name="standby_policy_one_per_date"
            ),
            # NULLs are distinct in a unique constraint: the region's own rows need a partial one.
            models.UniqueConstraint(
                fields=["effective_from"], condition=Q(facility__isnull=True),
                name="standby_region_policy_one_per_date",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(standby_days__gte=1, standby_days__lte=60), name="standby_days_range"
            ),
            models.CheckConstraint(
                condition=Q(required_negative_tests__gte=1, required_negative_tests__lte=5),
                name="standby_required_tests_range",
            ),
        ]

    def __str__(self):
        return f"{self.effective_from} · {self.standby_days}"


class StandbyShift(FacilityScopedModel):
    """A group of staff in the standby isolation area before a shift in the closed area.

    The standby length and the number of required negative tests are those in force on the first
    day, kept on the row so a later policy change does not rewrite a shift under way.
    """

    zone = models.ForeignKey(
        "organisation.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("standby area")
    )
    starts_on = models.DateField(_("standby start"))
    standby_days = models.PositiveSmallIntegerField(_("standby days"))
    required_negative_tests = models.PositiveSmallIntegerField(_("required negative tests"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("standby shift")
        verbose_name_plural = _("standby shifts")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(standby_days__gte=1, standby_days__lte=60), name="shift_days_range"
            ),
            models.CheckConstraint(
                condition=Q(required_negative_tests__gte=1, required_negative_tests__lte=5),
                name="shift_required_tests_range",
            ),
        ]

    def __str__(self):
        return f"{self.zone} · {self.starts_on}"

    @property
    def planned_duty_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=self.standby_days)

    @property
    def standby_start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time.min))

    @property
    def duty_due(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.planned_duty_on, datetime.time.min))


class StandbyMember(FacilityScopedModel):
    shift = models.ForeignKey(
        StandbyShift, on_delete=models.PROTECT, related_name="members", verbose_name=_("standby shift")
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    duty_started_at = models.DateTimeField(_("duty started at"), null=True, blank=True)

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("standby shift member")
        verbose_name_plural = _("standby shift members")
        ordering = ["shift", "staff__police_number"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "staff"], name="standby_member_once_per_shift"),
        ]

    def __str__(self):
        return str(self.staff)


class NucleicAcidTest(FacilityScopedModel):
    """One nucleic-acid (or antigen) test of a staff member. Never edited: a correction is a new row."""

    class Kind(models.TextChoices):
        PCR = "pcr", _("Nucleic-acid (PCR) test")
        ANTIGEN = "antigen", _("Antigen test")

    class Result(models.TextChoices):
        NEGATIVE = domain.NEGATIVE, _("Negative")
        POSITIVE = domain.POSITIVE, _("Positive")
        PENDING = domain.PENDING, _("Pending")

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    sample_taken_at = models.DateTimeField(_("sample taken at"))
    test_kind = models.CharField(_("test kind"), max_length=16, choices=Kind.choices, default=Kind.PCR)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    laboratory = models.CharField(_("laboratory"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction",
        verbose_name=_("corrects"),
    )  # fmt: skip

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("nucleic-acid test")
        verbose_name_plural = _("nucleic-acid tests")
        ordering = ["-sample_taken_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(test_kind__in=["pcr", "antigen"]), name="nat_kind_valid"),
            models.CheckConstraint(
                condition=Q(result__in=["negative", "positive", "pending"]), name="nat_result_valid"
            ),
            models.CheckConstraint(condition=~Q(laboratory=""), name="nat_laboratory_given"),
        ]
        indexes = [models.Index(fields=["staff", "sample_taken_at"], name="nat_staff_time")]

    def __str__(self):
        return f"{self.staff} · {self.get_result_display()}"
