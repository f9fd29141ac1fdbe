from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.gatelog import domain
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class RefusalReason(models.TextChoices):
    APPROVAL_MISSING = domain.APPROVAL_MISSING, _("No approval")
    APPROVAL_EXPIRED = domain.APPROVAL_EXPIRED, _("Approval expired")
    TEMPERATURE_MISSING = domain.TEMPERATURE_MISSING, _("Temperature not taken")
    DISINFECTION_MISSING = domain.DISINFECTION_MISSING, _("Not disinfected")
    SECURITY_CHECK_MISSING = domain.SECURITY_CHECK_MISSING, _("No security check")
    FEVER = domain.FEVER, _("Fever")


class GateEvent(FacilityScopedModel):
    """One passage through a facility's gate: an entry, an exit or a contact-free goods hand-over.

    Refusals are data: a refused entry is a row with its reasons. Rows are never edited; a mistake
    is corrected by a new row pointing at the old one (``corrects``). The policy that judged the
    passage (closed management, fever threshold) is kept on the row.
    """

    class EventKind(models.TextChoices):
        ENTRY = domain.ENTRY, _("Entry")
        EXIT = domain.EXIT, _("Exit")
        HANDOVER = domain.HANDOVER, _("Contact-free goods hand-over")

    class SubjectKind(models.TextChoices):
        STAFF = "staff", _("Staff")
        VISITOR = "visitor", _("Visitor")
        VEHICLE = "vehicle", _("Vehicle")
        GOODS = "goods", _("Goods delivery")

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Refused")

    event_kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    subject_kind = models.CharField(_("who or what"), max_length=16, choices=SubjectKind.choices)
    # The person at the gate: the staff member, the visitor, the driver or the deliverer.
    subject_name = models.CharField(_("name"), max_length=40)
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("staff member"),
    )  # fmt: skip
    organisation = models.CharField(_("organisation or unit"), max_length=100, blank=True)
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=16, blank=True)
    approver = models.CharField(_("approved by"), max_length=40, blank=True)
    approval_purpose = models.CharField(_("purpose"), max_length=100, blank=True)
    approval_valid_until = models.DateTimeField(_("approval valid until"), null=True, blank=True)
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(domain.TEMPERATURE_MIN_C), MaxValueValidator(domain.TEMPERATURE_MAX_C)],
    )  # fmt: skip
    disinfected = models.BooleanField(_("disinfection done"), default=False)
    security_checked = models.BooleanField(_("security check done"), default=False)
    received_by = models.CharField(
        _("receiving officer"), max_length=40, blank=True, help_text=_("For contact-free hand-overs.")
    )
    occurred_at = models.DateTimeField(_("time"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    refusal_reasons = models.JSONField(_("refusal reasons"), default=list, blank=True)
    closed_management = models.BooleanField(_("closed management in force"))
    fever_threshold_c = models.DecimalField(_("fever threshold applied (°C)"), max_digits=3, decimal_places=1)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction",
        verbose_name=_("corrects"),
    )  # fmt: skip

    view_action = roles.VIEW_EPIDEMIC
    manage_action = roles.RECORD_GATE

    class Meta:
        verbose_name = _("gate event")
        verbose_name_plural = _("gate events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_kind__in=["entry", "exit", "handover"]), name="gate_event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=["staff", "visitor", "vehicle", "goods"]),
                name="gate_subject_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["admitted", "refused"]), name="gate_outcome_valid"
            ),
            models.CheckConstraint(condition=~Q(subject_name=""), name="gate_subject_name_given"),
            models.CheckConstraint(
                condition=Q(temperature_c__isnull=True)
                | Q(temperature_c__gte=Decimal("34.0"), temperature_c__lte=Decimal("43.0")),
                name="gate_temperature_range",
            ),
            # Refusals are data: a refused passage carries its reasons, an admitted one none.
            models.CheckConstraint(
                condition=(Q(outcome="admitted") & Q(refusal_reasons=[]))
                | (Q(outcome="refused") & ~Q(refusal_reasons=[])),
                name="gate_refused_iff_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(event_kind="exit") | Q(outcome="admitted"), name="gate_exit_never_refused"
            ),
            models.CheckConstraint(
                condition=~Q(event_kind="handover") | Q(subject_kind="goods"), name="gate_handover_is_goods"
            ),
            models.CheckConstraint(
                condition=(Q(event_kind="handover") & ~Q(received_by=""))
                | (~Q(event_kind="handover") & Q(received_by="")),
                name="gate_receiver_iff_handover",
            ),
            models.CheckConstraint(
                condition=~Q(subject_kind="vehicle") | ~Q(vehicle_plate=""), name="gate_vehicle_has_plate"
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=True) | Q(subject_kind="staff"), name="gate_staff_link_for_staff"
            ),
            models.CheckConstraint(
                condition=Q(approver="", approval_purpose="", approval_valid_until__isnull=True)
                | (~Q(approver="") & ~Q(approval_purpose="") & Q(approval_valid_until__isnull=False)),
                name="gate_approval_whole_or_none",
            ),
        ]
        indexes = [models.Index(fields=["facility", "occurred_at"], name="gate_facility_time")]

    def __str__(self):
        return f"{self.get_event_kind_display()} · {self.subject_name} · {self.get_outcome_display()}"

    @property
    def refusal_items(self) -> list[tuple[str, str]]:
        """(code, label) for each reason, in the order the rule gave them."""
        labels = dict(RefusalReason.choices)
        return [(code, str(labels.get(code, code))) for code in self.refusal_reasons]
