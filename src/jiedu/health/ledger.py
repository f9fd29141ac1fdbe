"""The temperature log (体温登记台账): filters, masked identifiers, and the Excel columns."""

from django.utils.translation import gettext_lazy as _

from jiedu.common.localtime import local_day_bounds
from jiedu.people import presentation
from jiedu.people.models import Resident
from jiedu.people.selectors import search_people

HEADERS = [
    _("Reading no."), _("Facility"), _("Zone"), _("File number"), _("Resident"), _("ID number"), _("Measured at"),
    _("Temperature (°C)"), _("Measured by"), _("Fever alert"), _("Corrects reading no."),
    _("Corrected by reading no."), _("Note"), _("Recorded at"),
]  # fmt: skip


def filtered(readings, user, *, q="", zone=None, date_from=None, date_to=None, alerts_only=False):
    if q:
        readings = readings.filter(resident__in=search_people(Resident.objects.visible_to(user), q))
    if zone is not None:
        readings = readings.filter(zone=zone)
    if date_from:
        readings = readings.filter(measured_at__gte=local_day_bounds(date_from)[0])
    if date_to:
        readings = readings.filter(measured_at__lt=local_day_bounds(date_to)[1])
    if alerts_only:
        readings = readings.filter(fever_alert__isnull=False)
    return readings


class ShownIdNumbers:
    """ID numbers as ``user`` may see them (masked unless revealed), decrypted once per resident."""

    def __init__(self, user):
        self.user, self.cache = user, {}

    def __call__(self, resident) -> str:
        if resident.pk not in self.cache:
            self.cache[resident.pk] = presentation.shown_id_number(self.user, resident)
        return self.cache[resident.pk]


def mask(user, readings):
    shown = ShownIdNumbers(user)
    for reading in readings:
        reading.shown_id_number = shown(reading.resident)
    return readings


def rows(user, readings):
    # A reverse one-to-one that is missing raises a subclass of AttributeError: getattr's default applies.
    shown = ShownIdNumbers(user)
    for reading in readings.iterator(chunk_size=2000):
        alert = getattr(reading, "fever_alert", None)
        correction = getattr(reading, "corrected_by", None)
        yield [
            reading.pk,
            reading.facility.short_name,
            reading.zone.name if reading.zone else "",
            reading.resident.file_number,
            reading.resident.name,
            shown(reading.resident),
            reading.measured_at,
            float(reading.temperature_c),
            str(reading.measured_by),
            alert.get_status_display() if alert else "",
            reading.corrects_id,
            correction.pk if correction else None,
            reading.note,
            reading.created_at,
        ]
