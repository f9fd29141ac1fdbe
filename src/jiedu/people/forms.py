from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.organisation.models import Facility, Room, Zone
from jiedu.people.models import Resident, Sex


class DateInput(forms.DateInput):
    input_type = "date"


class ResidentAdmitForm(forms.Form):
    """Admission form; the ID rules themselves live in people.identity and the service."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    file_number = forms.CharField(label=_("File number"), max_length=30)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=40)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, initial="汉族")
    deciding_organ = forms.CharField(label=_("Deciding police organ"), max_length=100)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput)
    term_start = forms.DateField(label=_("Term start"), widget=DateInput)
    term_end = forms.DateField(
        label=_("Term end"), widget=DateInput, required=False, help_text=_("Leave empty for the default two years.")
    )
    current_zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False)
    current_room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, user, facility_ids, **kwargs):
        super().__init__(*args, **kwargs)
        from jiedu.organisation import roles

        facilities = Facility.objects.visible_to(user, action=roles.ADMIT_RESIDENT)
        zones = Zone.objects.visible_to(user).filter(is_active=True).select_related("facility")
        rooms = Room.objects.visible_to(user).filter(is_active=True).select_related("zone", "facility")
        if facility_ids:
            facilities = facilities.filter(pk__in=facility_ids)
            zones = zones.filter(facility_id__in=facility_ids)
            rooms = rooms.filter(facility_id__in=facility_ids)
        self.fields["facility"].queryset = facilities
        self.fields["current_zone"].queryset = zones
        self.fields["current_room"].queryset = rooms
        if facilities.count() == 1:
            self.fields["facility"].initial = facilities.first()


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.none(), required=False, empty_label=_("All zones")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Resident.Status.choices], required=False
    )

    def __init__(self, *args, user, facility_ids, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("facility")
        if facility_ids:
            zones = zones.filter(facility_id__in=facility_ids)
        self.fields["zone"].queryset = zones
