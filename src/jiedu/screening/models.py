from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import BaseModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class ScreeningRoundQuerySet(models.QuerySet):
    def visible_to(self, user, action: str | None = None):
        """A facility's own rounds, and region-wide rounds that include one of the user's facilities."""
        from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope

        scope = facility_scope(user, action or roles.VIEW_STAFF_HEALTH)
        if scope is ALL_FACILITIES:
            return self
        if not scope:
            return self.none()
        in_scope = ScreeningRound.facilities.through.objects.filter(facility_id__in=scope)
        return self.filter(
            Q(facility_id__in=scope) | Q(facility__isnull=True, pk__in=in_scope.values("screeninground_id"))
        )


class ScreeningRound(BaseModel):
    """A round of 人人填写排查表、个个签订承诺书, or a commitment-only campaign (e.g. 十一个严禁).

    ``facility`` empty: a region-wide round set by the bureau; ``facilities`` always lists the
    facilities in scope (a facility's own round lists just itself), so scoping reads one table.
    ``departments`` empty: every department of those facilities.
    """

    class Kind(models.TextChoices):
        SCREENING = "screening", _("Screening form and commitment")
        COMMITMENT = "commitment", _("Commitment letters only")

    facility = models.ForeignKey(
        "organisation.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("facility"), help_text=_("Empty for a region-wide round."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SCREENING)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    facilities = models.ManyToManyField(
        "organisation.Facility", related_name="+", verbose_name=_("facilities in scope")
    )
    departments = models.ManyToManyField(
        "organisation.Department", blank=True, related_name="+", verbose_name=_("departments in scope")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = ScreeningRoundQuerySet.as_manager()
    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="screening_round_period"),
            models.CheckConstraint(condition=Q(kind__in=["screening", "commitment"]), name="screening_round_kind"),
            models.CheckConstraint(condition=~Q(name=""), name="screening_round_named"),
        ]

    def __str__(self):
        return self.name

    @property
    def has_forms(self) -> bool:
        return self.kind == self.Kind.SCREENING


class ScreeningForm(FacilityScopedModel):
    """One staff member's 排查表 for one round. Submitted once; never edited."""

    round = models.ForeignKey(
        ScreeningRound, on_delete=models.PROTECT, related_name="forms", verbose_name=_("screening round")
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    travelled = models.BooleanField(_("travelled outside the region in the last 14 days"), default=False)
    travel_places = models.CharField(_("places travelled to"), max_length=200, blank=True)
    risk_contact = models.BooleanField(_("contact with risk persons"), default=False)
    risk_contact_details = models.CharField(_("contact details"), max_length=200, blank=True)
    symptoms = models.BooleanField(_("fever, cough or other symptoms"), default=False)
    symptom_details = models.CharField(_("symptoms"), max_length=200, blank=True)
    family_risk = models.BooleanField(_("family members travelled, in contact or with symptoms"), default=False)
    family_details = models.CharField(_("family members' situation"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("screening form")
        verbose_name_plural = _("screening forms")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "staff"], name="screening_form_one_per_staff"),
            # A "yes" says what; a "no" has nothing to say.
            *[
                models.CheckConstraint(
                    condition=(Q(**{flag: True}) & ~Q(**{details: ""})) | (Q(**{flag: False}) & Q(**{details: ""})),
                    name=f"screening_form_{flag}_details",
                )
                for flag, details in (
                    ("travelled", "travel_places"), ("risk_contact", "risk_contact_details"),
                    ("symptoms", "symptom_details"), ("family_risk", "family_details"),
                )
            ],
        ]  # fmt: skip

    def __str__(self):
        return f"{self.round} · {self.staff}"

    @property
    def any_risk(self) -> bool:
        return self.travelled or self.risk_contact or self.symptoms or self.family_risk


class Commitment(FacilityScopedModel):
    """One staff member's signed 承诺书 for one round, recorded by a clerk from the paper copy."""

    round = models.ForeignKey(
        ScreeningRound, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("screening round")
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    signed_on = models.DateField(_("signed on"))
    paper_filed_at = models.CharField(_("paper copy filed at"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-signed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "staff"], name="commitment_one_per_staff")]

    def __str__(self):
        return f"{self.round} · {self.staff}"
