from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.standby.models import NucleicAcidTest


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ShiftForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("Standby area"), queryset=None, empty_label=None)
    starts_on = forms.DateField(label=_("Standby start"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones
        self.fields["zone"].label_from_instance = lambda zone: f"{zone.facility.short_name} · {zone.name}"


class PolicyForm(forms.Form):
    """A facility's standby rule from a date; a value left empty keeps the one in force then."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, empty_label=None)
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    standby_days = forms.IntegerField(label=_("Standby days"), required=False, min_value=1, max_value=60)
    required_negative_tests = forms.IntegerField(
        label=_("Required negative tests"), required=False, min_value=1, max_value=5
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].label_from_instance = lambda facility: facility.short_name


class MemberForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class TestForm(forms.Form):
    """A result as the laboratory reports it; the person is one of the shift's members."""

    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None, empty_label=None)
    sample_taken_at = forms.DateTimeField(
        label=_("Sample taken at"), widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )  # fmt: skip
    test_kind = forms.ChoiceField(
        label=_("Test kind"), choices=NucleicAcidTest.Kind.choices, initial=NucleicAcidTest.Kind.PCR,
        widget=forms.RadioSelect,
    )  # fmt: skip
    result = forms.ChoiceField(
        label=_("Result"), choices=NucleicAcidTest.Result.choices, widget=forms.RadioSelect
    )
    laboratory = forms.CharField(label=_("Laboratory"), max_length=100)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class TestLedgerFilterForm(forms.Form):
    since = forms.DateField(
        label=_("Sampled since"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("All results")), *NucleicAcidTest.Result.choices], required=False
    )
