import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common import crypto
from jiedu.common.fields import EncryptedTextField
from jiedu.common.models import VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel

ID_NUMBER_CONTEXT = "id_number"
PHONE_CONTEXT = "phone"


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PersonIdentifiers(models.Model):
    """Encrypted ID and phone numbers with their blind indexes; never stored in plain text."""

    id_number = EncryptedTextField(_("ID number"), context=ID_NUMBER_CONTEXT)
    id_number_index = models.CharField(max_length=64, editable=False)
    id_number_key_id = models.CharField(max_length=32, editable=False, blank=True)
    phone = EncryptedTextField(_("phone"), context=PHONE_CONTEXT, blank=True)
    phone_index = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        self.id_number = value
        self.id_number_index = crypto.blind_index(value, context=ID_NUMBER_CONTEXT)
        self.id_number_key_id = crypto.key_ring().active_id

    def set_phone(self, value: str) -> None:
        self.phone = value
        self.phone_index = crypto.blind_index(value, context=PHONE_CONTEXT) if value else ""


class Staff(VersionedModel, FacilityScopedModel, PersonIdentifiers):
    """民警 or 职工 of a facility (or of the bureau's own offices, under its home facility)."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police officer")
        WORKER = "worker", _("Civilian worker")

    class Status(models.TextChoices):
        ON_DUTY = "on_duty", _("On duty")
        ON_LEAVE = "on_leave", _("On leave")
        TRANSFERRED = "transferred", _("Transferred out")
        RETIRED = "retired", _("Retired")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=_("login"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.POLICE)
    # Police officers' 警号; civilian workers (职工) carry their staff number here.
    police_number = models.CharField(_("police or staff number"), max_length=20)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    position = models.CharField(_("position"), max_length=40, blank=True)
    is_leadership = models.BooleanField(_("leadership member"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ON_DUTY)

    view_action = roles.VIEW_STAFF
    manage_action = roles.MANAGE_STAFF

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["facility", "police_number"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "police_number"], name="staff_police_number_unique"),
            models.UniqueConstraint(fields=["id_number_index"], name="staff_id_number_unique"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="staff_sex_valid"),
            models.CheckConstraint(condition=Q(kind__in=["police", "worker"]), name="staff_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["on_duty", "on_leave", "transferred", "retired"]), name="staff_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.police_number})"


DEFAULT_TERM_YEARS = 2


def default_term_end(term_start: datetime.date) -> datetime.date:
    """Compulsory isolation lasts two years (禁毒法 art. 47); 29 Feb starts end on 28 Feb."""
    try:
        return term_start.replace(year=term_start.year + DEFAULT_TERM_YEARS)
    except ValueError:
        return term_start.replace(year=term_start.year + DEFAULT_TERM_YEARS, day=28)


class Resident(VersionedModel, FacilityScopedModel, PersonIdentifiers):
    """戒毒人员 held by a facility under a compulsory isolation decision."""

    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", _("In custody")
        OUTSIDE_MEDICAL = "outside_medical", _("Outside medical care")
        RELEASED = "released", _("Released")
        TRANSFERRED = "transferred", _("Transferred to another facility")
        DECEASED = "deceased", _("Deceased")

    PRESENT_STATUSES = (Status.IN_CUSTODY, Status.OUTSIDE_MEDICAL)  # = people.domain.PRESENT

    file_number = models.CharField(_("file number"), max_length=30)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20)
    deciding_organ = models.CharField(_("deciding police organ"), max_length=100)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    current_zone = models.ForeignKey(
        "organisation.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("current zone"),
    )
    current_room = models.ForeignKey(
        "organisation.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("current room"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_CUSTODY)
    # When the resident arrived at and left this facility: the custody period that rounds and
    # ledgers count (the legal term above usually starts earlier, in the police phase).
    admitted_at = models.DateTimeField(_("admitted at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    view_action = roles.VIEW_RESIDENTS
    manage_action = roles.UPDATE_RESIDENT

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["facility", "file_number"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "file_number"], name="resident_file_number_unique"),
            # One ID number belongs to at most one resident, region-wide.
            models.UniqueConstraint(fields=["id_number_index"], name="resident_id_number_unique"),
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="resident_term_end_after_start"),
            models.CheckConstraint(
                condition=Q(decision_date__lte=F("term_start")), name="resident_decision_before_term"
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="resident_sex_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["in_custody", "outside_medical", "released", "transferred", "deceased"]),
                name="resident_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(current_room__isnull=True) | Q(current_zone__isnull=False),
                name="resident_room_implies_zone",
            ),
            # Present residents have not left; those who left have a time of leaving.
            models.CheckConstraint(
                condition=(Q(status__in=["in_custody", "outside_medical"]) & Q(left_at__isnull=True))
                | (Q(status__in=["released", "transferred", "deceased"]) & Q(left_at__isnull=False)),
                name="resident_left_at_iff_gone",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("admitted_at")), name="resident_left_after_admitted"
            ),
        ]
        indexes = [models.Index(fields=["facility", "status"], name="resident_facility_status")]

    def __str__(self):
        return f"{self.name} ({self.file_number})"
