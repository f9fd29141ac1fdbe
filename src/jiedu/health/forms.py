from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.health import domain
from jiedu.organisation.models import Room, Zone, ZoneType


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "astimezone"):
            value = timezone.localtime(value).replace(tzinfo=None)
        return super().format_value(value)


def temperature_field_name(resident) -> str:
    return f"t_{resident.pk}"


class RoundForm(forms.Form):
    """One text box per resident of the zone, left empty for anyone not measured in this round.

    The boxes take text: the service checks every row at once and names each bad one, so a
    typo and an out-of-range value show together instead of one submit at a time.
    """

    measured_at = forms.DateTimeField(
        label=_("Measured at"),
        required=False,
        widget=DateTimeInput(format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args, residents, fever_threshold_c, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = residents
        for resident in residents:
            self.fields[temperature_field_name(resident)] = forms.CharField(
                label=resident.name,
                required=False,
                max_length=8,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "class": "temperature-input",
                        "data-low": str(domain.LOWEST_C),
                        "data-high": str(domain.HIGHEST_C),
                        "data-fever": str(fever_threshold_c),
                    }
                ),
            )

    def rows(self):
        """(resident, bound field) pairs, in the sheet's order."""
        return [(resident, self[temperature_field_name(resident)]) for resident in self.residents]

    def entered(self):
        """(resident, text) for every box that was filled in."""
        return [
            (resident, self.cleaned_data[temperature_field_name(resident)].strip())
            for resident in self.residents
            if self.cleaned_data.get(temperature_field_name(resident), "").strip()
        ]


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput)


class AlertAcceptForm(forms.Form):
    """The proposed room travels with the button; without it the service proposes one itself."""

    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.visible_to(user).filter(
            zone__zone_type=ZoneType.FEVER_ISOLATION
        )


class RecheckForm(forms.Form):
    temperature_c = forms.CharField(label=_("Re-check temperature (°C)"), max_length=8)


class AlertDismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason for dismissing"), max_length=200)


class LogFilterForm(forms.Form):
    q = forms.CharField(label=_("Resident"), required=False)
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=_("All zones")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    alerts_only = forms.BooleanField(label=_("Only readings that raised a fever alert"), required=False)

    def __init__(self, *args, user, facility_ids, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("facility").order_by("facility__code", "name")
        if facility_ids:
            zones = zones.filter(facility_id__in=facility_ids)
        self.fields["zone"].queryset = zones
