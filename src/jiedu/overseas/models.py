from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.fields import EncryptedTextField
from jiedu.common.masking import mask_id_number
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel
from jiedu.overseas import domain


class Category(models.TextChoices):
    RETURNED = domain.RETURNED, _("Returned from abroad")
    PLANNING = domain.PLANNING, _("Planning to return")
    ABROAD = domain.ABROAD, _("Abroad, not returning for now")


class Relation(models.TextChoices):
    SELF = domain.SELF, _("The staff member")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class OverseasEntry(FacilityScopedModel):
    """A person in the ledger: a staff member or one of their relatives.

    The category lives in the dated status rows (OverseasStatus); the latest one is in force.
    """

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    relation = models.CharField(_("relation to the staff member"), max_length=16, choices=Relation.choices)
    # Blank for the staff member themself: their name is on the staff record.
    person_name = models.CharField(pgettext_lazy("person", "name"), max_length=40, blank=True)
    # ID card or passport; optional, encrypted at rest, only ever shown masked.
    id_number = EncryptedTextField(
        _("identity document number"), context="overseas_id_number", blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("overseas ledger entry")
        verbose_name_plural = _("overseas ledger entries")
        ordering = ["facility", "staff", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(relation__in=domain.RELATIONS), name="overseas_relation_valid"),
            models.CheckConstraint(
                condition=(Q(relation=domain.SELF) & Q(person_name=""))
                | (~Q(relation=domain.SELF) & ~Q(person_name="")),
                name="overseas_name_iff_relative",
            ),
            # A staff member is in the ledger once as themself; relatives get one entry each.
            models.UniqueConstraint(
                fields=["staff"], condition=Q(relation=domain.SELF), name="overseas_self_once_per_staff"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.staff.name if self.relation == domain.SELF else self.person_name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def _category_filled(category: str) -> Q:
    """The category's required fields are given and the other categories' fields are empty."""
    condition = Q(category=category)
    for name in domain.REQUIRED_FIELDS[category]:
        condition &= Q(**{f"{name}__isnull": False})
        if name in _TEXT_FIELDS:
            condition &= ~Q(**{name: ""})
    for name in domain.foreign_fields(category):
        condition &= Q(**{name: ""}) if name in _TEXT_FIELDS else Q(**{f"{name}__isnull": True})
    return condition


_TEXT_FIELDS = frozenset(
    {
        "current_residence", "return_route", "recent_medical_control", "planned_route",
        "testing_quarantine_arrangements", "residence_abroad", "reason_abroad", "contact_method",
    }
)  # fmt: skip


class OverseasStatus(FacilityScopedModel):
    """One dated category of a ledger entry. Append-only: a change of category or of its facts is
    a new row, so the ledger keeps the whole history."""

    entry = models.ForeignKey(
        OverseasEntry, on_delete=models.PROTECT, related_name="statuses", verbose_name=_("ledger entry")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    effective_date = models.DateField(_("effective date"))
    # Returned from abroad.
    return_date = models.DateField(_("return date"), null=True, blank=True)
    current_residence = models.CharField(_("current residence"), max_length=200, blank=True)
    return_route = models.CharField(
        _("return route (flights, ports)"), max_length=300, blank=True
    )
    fever_or_cough = models.BooleanField(_("fever or cough"), null=True, blank=True)
    recent_medical_control = models.TextField(
        _("medical visit, isolation or control in the last two weeks"), blank=True
    )
    # Planning to return.
    planned_return_date = models.DateField(_("planned return date"), null=True, blank=True)
    planned_route = models.CharField(_("planned route"), max_length=300, blank=True)
    reported_on = models.DateField(_("reported to the facility on"), null=True, blank=True)
    testing_quarantine_arrangements = models.TextField(
        _("testing and quarantine arrangements"), blank=True
    )
    # Abroad, not returning for now.
    residence_abroad = models.CharField(_("country and city of residence"), max_length=120, blank=True)
    reason_abroad = models.CharField(_("reason for being abroad"), max_length=200, blank=True)
    contact_method = models.CharField(_("contact method"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("overseas status")
        verbose_name_plural = _("overseas statuses")
        ordering = ["entry", "-effective_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_category_filled(domain.RETURNED)
                | _category_filled(domain.PLANNING)
                | _category_filled(domain.ABROAD),
                name="overseas_status_category_fields",
            ),
        ]
        indexes = [models.Index(fields=["entry", "effective_date"], name="overseas_status_entry_date")]

    def __str__(self):
        return f"{self.get_category_display()} · {self.effective_date:%Y-%m-%d}"
