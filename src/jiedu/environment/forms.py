from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.common.conflicts import VersionedForm
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation import roles
from jiedu.organisation.models import Facility, Zone

# Offered as suggestions on the disinfection form; any other agent may be typed in.
COMMON_AGENTS = ("含氯消毒剂", "84消毒液", "75%酒精", "过氧乙酸", "过氧化氢", "季铵盐消毒剂")
COMMON_CONCENTRATIONS = ("500 mg/L", "1000 mg/L", "2000 mg/L", "75%", "0.2%", "0.5%", "3%")


class DateInput(forms.DateInput):
    input_type = "date"


class DisinfectionForm(forms.Form):
    agent = forms.CharField(label=_("Disinfectant"), max_length=40)
    concentration = forms.CharField(label=_("Concentration"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids unique per card: the page holds one form per area.
        if area_id is not None:
            self.auto_id = f"area{area_id}_%s"
        self.fields["agent"].widget.attrs["list"] = "agent-suggestions"
        self.fields["concentration"].widget.attrs["list"] = "concentration-suggestions"


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput)


class KeyAreaForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    name = forms.CharField(label=_("Area name"), max_length=60)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        facilities = Facility.objects.visible_to(user, action=roles.MANAGE_ORGANISATION)
        zones = Zone.objects.visible_to(user).filter(is_active=True).select_related("facility")
        if facility_ids:
            facilities = facilities.filter(pk__in=facility_ids)
            zones = zones.filter(facility_id__in=facility_ids)
        self.fields["facility"].queryset = facilities
        self.fields["zone"].queryset = zones
        if len(facilities) == 1:
            self.fields["facility"].initial = facilities[0]


class KeyAreaEditForm(VersionedForm):
    name = forms.CharField(label=_("Area name"), max_length=60)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, area: KeyArea, **kwargs):
        kwargs.setdefault(
            "initial", {"name": area.name, "zone": area.zone, "note": area.note, "expected_version": area.version}
        )
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.visible_to(user).filter(facility_id=area.facility_id)


class LedgerFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Key area"), queryset=KeyArea.objects.none(), required=False, empty_label=_("All areas")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Both kinds")), *EnvironmentRecord.Kind.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, user, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = KeyArea.objects.visible_to(user).select_related("facility")
        if facility_ids:
            areas = areas.filter(facility_id__in=facility_ids)
        self.fields["area"].queryset = areas
