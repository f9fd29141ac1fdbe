from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.organisation import roles
from jiedu.organisation.models import Facility


class PolicyForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Whole region (default)"),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    temperature_interval_minutes = forms.IntegerField(
        label=_("Temperature round interval (minutes)"), required=False, min_value=15, max_value=1440
    )
    fever_threshold_c = forms.DecimalField(
        label=_("Fever threshold (°C)"), required=False, min_value=36.5, max_value=39.0, decimal_places=1
    )
    ventilations_per_day = forms.IntegerField(label=_("Ventilations per day"), required=False, min_value=0, max_value=24)
    disinfections_per_day = forms.IntegerField(
        label=_("Disinfections per day"), required=False, min_value=0, max_value=24
    )
    pre_release_observation_days = forms.IntegerField(
        label=_("Pre-release observation days"), required=False, min_value=0, max_value=60
    )
    closed_management = forms.NullBooleanField(
        label=_("Closed management"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Inherit")), ("true", _("On")), ("false", _("Off"))]),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(user, action=roles.MANAGE_ORGANISATION)
