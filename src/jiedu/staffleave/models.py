from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel
from jiedu.staffleave import domain


class LeaveArea(FacilityScopedModel):
    """A district where staff on leave live (新城区, 赛罕区); one inspector patrols each."""

    name = models.CharField(_("name"), max_length=40)
    active = models.BooleanField(_("active"), default=True)

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("leave area")
        verbose_name_plural = _("leave areas")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="leave_area_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="leave_area_name_given"),
        ]

    def __str__(self):
        return self.name


class AreaInspector(FacilityScopedModel):
    """Who patrols an area, from when until when; the current one has no end."""

    area = models.ForeignKey(
        LeaveArea, on_delete=models.PROTECT, related_name="inspectors", verbose_name=_("area")
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    from_date = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("area inspector")
        verbose_name_plural = _("area inspectors")
        ordering = ["area", "-from_date"]
        constraints = [
            # 每个区域指定1名巡查员: exactly one current inspector per area.
            models.UniqueConstraint(
                fields=["area"], condition=Q(until__isnull=True), name="leave_area_one_inspector"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("from_date")),
                name="leave_inspector_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.area} · {self.staff}"


class LeavePeriod(FacilityScopedModel):
    """A staff member's rotation leave, first and last day included."""

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    area = models.ForeignKey(
        LeaveArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("area"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("leave period")
        verbose_name_plural = _("leave periods")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="leave_period_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class DailyReport(FacilityScopedModel):
    """One day's health and whereabouts report of a staff member on leave, and its three reviews.

    The report itself is never edited; only the review columns are filled in, level by level.
    """

    class Status(models.TextChoices):
        SUBMITTED = domain.SUBMITTED, _("Self-checked")
        DEPARTMENT_REVIEWED = domain.DEPARTMENT_REVIEWED, _("Department reviewed")
        FACILITY_CHECKED = domain.FACILITY_CHECKED, _("Facility checked")

    class Symptoms(models.TextChoices):
        NONE = "none", _("None")
        FEVER = "fever", _("Fever")
        COUGH = "cough", _("Cough")
        OTHER = "other", _("Other")

    class HealthCode(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    period = models.ForeignKey(
        LeavePeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("leave period")
    )
    day = models.DateField(_("date"))
    places_visited = models.TextField(_("places visited and transport"))
    family_movements = models.TextField(_("family members' movements"), blank=True)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    symptoms = models.CharField(_("symptoms"), max_length=8, choices=Symptoms.choices, default=Symptoms.NONE)
    symptoms_detail = models.CharField(_("symptoms in detail"), max_length=200, blank=True)
    risk_contact = models.BooleanField(_("contact with risk persons"), default=False)
    risk_contact_detail = models.CharField(_("risk contact in detail"), max_length=200, blank=True)
    health_code = models.CharField(_("health code"), max_length=8, choices=HealthCode.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(
        _("review status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )
    department_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("department reviewer"),
    )  # fmt: skip
    department_reviewed_at = models.DateTimeField(_("department reviewed at"), null=True, blank=True)
    facility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("facility checker"),
    )  # fmt: skip
    facility_checked_at = models.DateTimeField(_("facility checked at"), null=True, blank=True)

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "day"], name="leave_report_one_per_day"),
            models.CheckConstraint(
                condition=Q(temperature_c__gte=Decimal("34.0"), temperature_c__lte=Decimal("43.0")),
                name="leave_report_temperature_range",
            ),
            models.CheckConstraint(
                condition=Q(symptoms__in=["none", "fever", "cough", "other"]),
                name="leave_report_symptoms_valid",
            ),
            models.CheckConstraint(
                condition=~Q(symptoms="other") | ~Q(symptoms_detail=""),
                name="leave_report_other_symptom_described",
            ),
            models.CheckConstraint(
                condition=Q(risk_contact=False) | ~Q(risk_contact_detail=""),
                name="leave_report_risk_contact_described",
            ),
            models.CheckConstraint(
                condition=Q(health_code__in=["green", "yellow", "red"]), name="leave_report_health_code_valid"
            ),
            # The review levels are filled in order: a facility check only after the department review.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="submitted",
                        department_reviewed_by__isnull=True,
                        department_reviewed_at__isnull=True,
                        facility_checked_by__isnull=True,
                        facility_checked_at__isnull=True,
                    )
                    | Q(
                        status="department_reviewed",
                        department_reviewed_by__isnull=False,
                        department_reviewed_at__isnull=False,
                        facility_checked_by__isnull=True,
                        facility_checked_at__isnull=True,
                    )
                    | Q(
                        status="facility_checked",
                        department_reviewed_by__isnull=False,
                        department_reviewed_at__isnull=False,
                        facility_checked_by__isnull=False,
                        facility_checked_at__isnull=False,
                    )
                ),
                name="leave_report_review_levels_in_order",
            ),
            models.CheckConstraint(
                condition=Q(department_reviewed_by__isnull=True)
                | ~Q(department_reviewed_by=F("submitted_by")),
                name="leave_report_department_reviewer_not_reporter",
            ),
            models.CheckConstraint(
                condition=Q(facility_checked_by__isnull=True) | ~Q(facility_checked_by=F("submitted_by")),
                name="leave_report_facility_checker_not_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.day:%Y-%m-%d}"


class ReturnReport(FacilityScopedModel):
    """返岗报告: what a staff member reports before coming back from a leave period."""

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    period = models.OneToOneField(
        LeavePeriod, on_delete=models.PROTECT, related_name="return_report", verbose_name=_("leave period")
    )
    trajectory_summary = models.TextField(_("trajectory summary"))
    health = models.TextField(_("health"))
    tests_summary = models.TextField(_("tests summary"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("return-to-work report")
        verbose_name_plural = _("return-to-work reports")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.staff} {self.submitted_at:%Y-%m-%d}"


class PatrolRecord(FacilityScopedModel):
    """An inspector's visit to a staff member on leave in the area (巡查记录)."""

    area = models.ForeignKey(
        LeaveArea, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("area")
    )
    inspector = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    visited_staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member visited")
    )
    visited_at = models.DateTimeField(_("visited at"))
    observations = models.TextField(_("observations"))
    trajectory_noted = models.TextField(_("trajectory noted"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("patrol record")
        verbose_name_plural = _("patrol records")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(visited_staff=F("inspector")), name="leave_patrol_not_self"),
        ]

    def __str__(self):
        return f"{self.area} · {self.visited_staff} {self.visited_at:%Y-%m-%d}"
