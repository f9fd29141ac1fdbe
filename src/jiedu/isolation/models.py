from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.fields import EncryptedTextField
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel

HANDOVER_PHONE_CONTEXT = "handover_phone"


class IsolationStay(FacilityScopedModel):
    """One resident in one isolation room for one period (发热 / 密接 / 解戒前 / 新收治).

    A transfer ends the stay (end reason "transferred") and opens a new one that points back to
    it, so the room history is kept. The database refuses two open stays for one resident, and two
    open stays in one single-occupancy room (单人单间).
    """

    class Reason(models.TextChoices):
        FEVER = "fever", _("Fever")
        CLOSE_CONTACT = "close_contact", _("Close contact")
        PRE_RELEASE = "pre_release", _("Pre-release observation")
        NEW_ADMISSION = "new_admission", _("New admission")

    class EndReason(models.TextChoices):
        CLEARED = "cleared", _("Cleared")
        TRANSFERRED = "transferred", _("Transferred to another room")
        RELEASED = "released", _("Released from the facility")
        HOSPITALISED = "hospitalised", _("Sent to hospital")
        OTHER = "other", _("Other")

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="isolation_stays", verbose_name=_("resident")
    )
    room = models.ForeignKey(
        "organisation.Room", on_delete=models.PROTECT, related_name="isolation_stays", verbose_name=_("room")
    )
    # Copied from the room when the stay opens, so the database can enforce 单人单间 by itself.
    single_occupancy = models.BooleanField(_("single occupancy"), editable=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    started_at = models.DateTimeField(_("started at"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    previous_stay = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_stay",
        verbose_name=_("transferred from"),
    )  # fmt: skip
    # Where the resident slept before isolation, to return there when the stay ends.
    return_zone = models.ForeignKey(
        "organisation.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("return zone"),
    )  # fmt: skip
    return_room = models.ForeignKey(
        "organisation.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("return room"),
    )  # fmt: skip
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ended by"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)

    view_action = roles.VIEW_RESIDENTS  # who is isolated is health data: not for gate officers
    manage_action = roles.MANAGE_ISOLATION

    class Meta:
        verbose_name = _("isolation stay")
        verbose_name_plural = _("isolation stays")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(ended_at__isnull=True), name="isolation_one_open_stay_per_resident"
            ),
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(ended_at__isnull=True, single_occupancy=True),
                name="isolation_single_room_one_open_stay",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="isolation_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_at__isnull=True) & Q(end_reason=""))
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="isolation_end_reason_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["fever", "close_contact", "pre_release", "new_admission"]),
                name="isolation_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_reason__in=["", "cleared", "transferred", "released", "hospitalised", "other"]),
                name="isolation_end_reason_valid",
            ),
        ]
        indexes = [models.Index(fields=["facility", "ended_at"], name="isolation_facility_open")]

    def __str__(self):
        return f"{self.resident} · {self.room} · {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class ReplaceableRecord(FacilityScopedModel):
    """A release record that is never edited: a new row ``replaces`` the current one."""

    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_RESIDENTS
    manage_action = roles.MANAGE_RELEASE

    class Meta:
        abstract = True


class PreReleaseItem(ReplaceableRecord):
    """One item of a resident's pre-release checklist, as done (解戒前: 体检、个别谈话、防疫教育、承诺书).

    Rows are never edited: recording an item again adds a row that replaces the previous one,
    so the record of who entered what stays. The database keeps one chain per resident and item:
    one first record, and each record replaced at most once.
    """

    class Item(models.TextChoices):
        HEALTH_EXAM = "health_exam", _("Health examination")
        TALK = "talk", _("Individual talk")
        EDUCATION = "education", _("Prevention education")
        COMMITMENT = "commitment", _("Signed commitment")

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="prerelease_items",
        verbose_name=_("resident"),
    )
    item = models.CharField(_("checklist item"), max_length=20, choices=Item.choices)
    done_on = models.DateField(_("done on"))
    # The doctor who examined, the officer who talked or taught; for the commitment, who witnessed it.
    performed_by = models.CharField(_("carried out by"), max_length=40, blank=True)
    # Examination result, talk summary, education topic.
    summary = models.CharField(_("result or summary"), max_length=500, blank=True)
    fit_for_release = models.BooleanField(_("fit for release"), null=True, blank=True)

    class Meta:
        verbose_name = _("pre-release checklist item")
        verbose_name_plural = _("pre-release checklist items")
        ordering = ["resident_id", "item", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "item"],
                condition=Q(replaces__isnull=True),
                name="prerelease_item_one_first_record",
            ),
            models.CheckConstraint(
                condition=Q(item__in=["health_exam", "talk", "education", "commitment"]),
                name="prerelease_item_valid",
            ),
            # Only a health examination decides fitness, and it always does.
            models.CheckConstraint(
                condition=(Q(item="health_exam") & Q(fit_for_release__isnull=False))
                | (~Q(item="health_exam") & Q(fit_for_release__isnull=True)),
                name="prerelease_fitness_iff_health_exam",
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_item_display()} · {self.done_on:%Y-%m-%d}"


class Handover(ReplaceableRecord):
    """Who receives a released resident (出所衔接): one per receiver, replaced by a new row if it changes."""

    class Receiver(models.TextChoices):
        POLICE = "police", _("Police")
        COMMUNITY = "community", _("Street or community")
        JUDICIAL_OFFICE = "judicial_office", _("Judicial office")
        FAMILY = "family", _("Family")

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("resident")
    )
    receiver = models.CharField(_("receiver"), max_length=20, choices=Receiver.choices)
    name = models.CharField(_("receiving person"), max_length=40)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    phone = EncryptedTextField(_("contact phone"), context=HANDOVER_PHONE_CONTEXT)
    handed_over_at = models.DateTimeField(_("hand-over time"))

    class Meta:
        verbose_name = _("release hand-over")
        verbose_name_plural = _("release hand-overs")
        ordering = ["resident_id", "receiver", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "receiver"],
                condition=Q(replaces__isnull=True),
                name="handover_one_first_record",
            ),
            models.CheckConstraint(
                condition=Q(receiver__in=["police", "community", "judicial_office", "family"]),
                name="handover_receiver_valid",
            ),
            # Every receiver but the family is an organisation with a name.
            models.CheckConstraint(
                condition=Q(receiver="family") | ~Q(unit=""), name="handover_unit_unless_family"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_receiver_display()}"
