from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.gatelog import domain
from jiedu.gatelog.models import GateEvent


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class GateForm(forms.Form):
    """What the gate officer taps and types; the service judges it and records the passage."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, empty_label=None)
    event_kind = forms.ChoiceField(
        label=_("Event"), choices=GateEvent.EventKind.choices, initial=domain.ENTRY, widget=forms.RadioSelect
    )
    subject_kind = forms.ChoiceField(
        label=_("Who or what"), choices=GateEvent.SubjectKind.choices, required=False,
        initial=GateEvent.SubjectKind.STAFF, widget=forms.RadioSelect,
    )  # fmt: skip
    # The person at the gate: for a vehicle its driver, for goods the deliverer.
    subject_name = forms.CharField(
        label=pgettext_lazy("person", "Name"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.CharField(label=_("Organisation or unit"), max_length=100, required=False)
    vehicle_plate = forms.CharField(
        label=_("Vehicle plate"), max_length=16, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "蒙A12345"}),
    )  # fmt: skip
    received_by = forms.CharField(label=_("Receiving officer"), max_length=40, required=False)
    approver = forms.CharField(label=_("Approved by"), max_length=40, required=False)
    approval_purpose = forms.CharField(label=_("Purpose"), max_length=100, required=False)
    approval_valid_until = forms.DateTimeField(
        label=_("Approval valid until"), required=False, widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )  # fmt: skip
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C)"), required=False, max_digits=3, decimal_places=1,
        min_value=domain.TEMPERATURE_MIN_C, max_value=domain.TEMPERATURE_MAX_C,
        # A text box with the decimal keypad: number inputs hide typing errors behind spinners.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    disinfected = forms.BooleanField(label=_("Disinfection done"), required=False)
    security_checked = forms.BooleanField(label=_("Security check done"), required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        first_two = list(facilities[:2])
        if len(first_two) == 1:  # the usual gate officer: one facility, nothing to choose
            self.fields["facility"].initial = first_two[0]
            self.fields["facility"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        # Goods handed over at the gate are the only hand-over there is.
        if data.get("event_kind") == domain.HANDOVER:
            data["subject_kind"] = GateEvent.SubjectKind.GOODS
        elif not data.get("subject_kind"):
            self.add_error("subject_kind", _("Choose who or what passes."))
        return data


class GateLogFilterForm(forms.Form):
    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    event_kind = forms.ChoiceField(
        label=_("Event"), choices=[("", _("All events")), *GateEvent.EventKind.choices], required=False
    )
    subject_kind = forms.ChoiceField(
        label=_("Who or what"), choices=[("", _("All kinds")), *GateEvent.SubjectKind.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All outcomes")), *GateEvent.Outcome.choices], required=False
    )
