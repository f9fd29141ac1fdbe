from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import BaseModel, VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.roles import Role
from jiedu.organisation.scoping import FacilityQuerySet, FacilityScopedModel


class Bureau(BaseModel):
    """The regional administration (自治区戒毒管理局); one per deployment."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self):
        return self.name


class Facility(VersionedModel, BaseModel):
    class Level(models.TextChoices):
        REGION = "region", _("Region-run")
        LEAGUE_CITY = "league_city", _("League/city-run")

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("bureau"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=20)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    is_womens = models.BooleanField(_("women's facility"), default=False)
    is_procuratorial_pilot = models.BooleanField(_("procuratorial pilot"), default=False)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data not named in the source reports.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = FacilityQuerySet.as_manager()

    view_action = roles.VIEW_ORGANISATION
    manage_action = roles.MANAGE_ORGANISATION
    facility_field = "pk"

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=["region", "league_city"]), name="facility_level_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def facility_id(self):
        return self.pk


class Department(VersionedModel, FacilityScopedModel):
    """大队 or 科室."""

    class Kind(models.TextChoices):
        BRIGADE = "brigade", _("Brigade")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BRIGADE)
    is_active = models.BooleanField(_("active"), default=True)

    view_action = roles.VIEW_ORGANISATION
    manage_action = roles.MANAGE_ORGANISATION

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="department_name_unique_per_facility"),
            models.CheckConstraint(condition=Q(kind__in=["brigade", "office"]), name="department_kind_valid"),
        ]

    def __str__(self):
        return self.name


class ZoneType(models.TextChoices):
    # National four-zone model, in flow order.
    DETOX = "detox", _("Physiological detox zone")
    EDUCATION = "education", _("Education and adaptation zone")
    REHABILITATION = "rehabilitation", _("Rehabilitation and consolidation zone")
    RETURN_GUIDANCE = "return_guidance", _("Return guidance zone")
    # Epidemic areas.
    CLOSED_MANAGEMENT = "closed_management", _("Closed management area")
    STANDBY_ISOLATION = "standby_isolation", _("Standby isolation area")
    FEVER_ISOLATION = "fever_isolation", _("Fever isolation zone")
    CONTACT_ISOLATION = "contact_isolation", _("Close-contact isolation zone")
    PRE_RELEASE_ISOLATION = "pre_release_isolation", _("Pre-release isolation zone")
    # Everything else.
    ORDINARY = "ordinary", _("Ordinary area")


FOUR_ZONE_MODEL = (ZoneType.DETOX, ZoneType.EDUCATION, ZoneType.REHABILITATION, ZoneType.RETURN_GUIDANCE)
ISOLATION_ZONES = (ZoneType.FEVER_ISOLATION, ZoneType.CONTACT_ISOLATION, ZoneType.PRE_RELEASE_ISOLATION)
# Display order: the four zones in flow order, then the epidemic areas, then the rest.
ZONE_ORDER = tuple(ZoneType.values)


class Zone(VersionedModel, FacilityScopedModel):
    name = models.CharField(_("name"), max_length=60)
    zone_type = models.CharField(_("zone type"), max_length=32, choices=ZoneType.choices)
    is_active = models.BooleanField(_("active"), default=True)

    view_action = roles.VIEW_ORGANISATION
    manage_action = roles.MANAGE_ORGANISATION

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["facility", "zone_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="zone_name_unique_per_facility"),
            models.CheckConstraint(condition=Q(zone_type__in=ZoneType.values), name="zone_type_valid"),
        ]

    def __str__(self):
        return self.name


class Room(VersionedModel, FacilityScopedModel):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("zone"))
    number = models.CharField(_("room number"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    is_single_occupancy = models.BooleanField(_("single occupancy"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    deactivation_reason = models.CharField(_("deactivation reason"), max_length=200, blank=True)

    view_action = roles.VIEW_ORGANISATION
    manage_action = roles.MANAGE_ORGANISATION

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["facility", "zone", "number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="room_number_unique_per_zone"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=200), name="room_capacity_range"),
            models.CheckConstraint(
                condition=Q(is_single_occupancy=False) | Q(capacity=1), name="single_room_has_capacity_one"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | ~Q(deactivation_reason=""), name="deactivated_room_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.zone.name} {self.number}"


class CommunityStation(VersionedModel, FacilityScopedModel):
    """社区戒毒康复指导站, guided by the linked facility."""

    name = models.CharField(_("name"), max_length=100)
    league_city = models.CharField(_("league/city"), max_length=40)
    banner_county = models.CharField(_("banner/county"), max_length=40)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    view_action = roles.VIEW_STATIONS
    manage_action = roles.MANAGE_STATIONS

    class Meta:
        verbose_name = _("community rehabilitation guidance station")
        verbose_name_plural = _("community rehabilitation guidance stations")
        ordering = ["facility", "league_city", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="station_name_unique")]

    def __str__(self):
        return self.name


class Membership(BaseModel):
    """A user's role, for one facility or (facility empty) the whole bureau."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("facility"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "facility"], name="membership_unique_per_facility"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(facility__isnull=True), name="membership_one_bureau_wide"
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(roles.BUREAU_ROLES), facility__isnull=True)
                    | Q(role__in=sorted(roles.FACILITY_ROLES), facility__isnull=False)
                ),
                name="membership_role_matches_scope",
            ),
        ]

    def __str__(self):
        scope = self.facility if self.facility_id else _("whole bureau")
        return f"{self.user} · {self.get_role_display()} · {scope}"
