import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.organisation import roles
from jiedu.organisation.models import Department, Facility
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
from jiedu.people.models import Staff
from jiedu.screening.models import ScreeningRound


class BulkCommitmentForm(forms.Form):
    """Tick the staff whose signed letters lie on the clerk's desk, and record them in one go."""

    staff_members = forms.ModelMultipleChoiceField(
        label=_("Staff who signed"), queryset=Staff.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    paper_filed_at = forms.CharField(label=_("Paper copy filed at"), max_length=100, required=False)

    def __init__(self, *args, user, missing_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        self.fields["staff_members"].queryset = (
            Staff.objects.visible_to(user, action=roles.MANAGE_STAFF_HEALTH)
            .filter(pk__in=missing_ids)
            .order_by("facility_id", "police_number")
        )


class RoundForm(forms.Form):
    """A new round: a facility's own (its leader), or region-wide over chosen facilities (the bureau).

    Fields the user cannot use are left out: a facility leader sees no region-wide choice, the
    bureau (which manages no facility's staff health) no single facility.
    """

    name = forms.CharField(label=_("Round name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ScreeningRound.Kind.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), required=False,
        empty_label=_("Region-wide"), help_text=_("Empty for a region-wide round."),
    )  # fmt: skip
    facilities = forms.ModelMultipleChoiceField(
        label=_("Facilities in scope"), queryset=Facility.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments in scope"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every department."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=7)
        self.fields["kind"].initial = ScreeningRound.Kind.SCREENING
        own = Facility.objects.visible_to(user, action=roles.MANAGE_STAFF_HEALTH).order_by("code")
        self.region_wide = facility_scope(user, roles.MANAGE_ORGANISATION) is ALL_FACILITIES
        if self.region_wide:
            self.fields["facilities"].queryset = Facility.objects.visible_to(user).order_by("code")
        else:
            del self.fields["facilities"]
            self.fields["facility"].required = True
            self.fields["facility"].empty_label = None
        if own.exists():
            self.fields["facility"].queryset = own
            self.fields["departments"].queryset = (
                Department.objects.visible_to(user, action=roles.MANAGE_STAFF_HEALTH)
                .filter(is_active=True)
                .select_related("facility")
                .order_by("facility__code", "name")
            )
        else:
            del self.fields["facility"]
            del self.fields["departments"]


class OwnScreeningForm(forms.Form):
    """排查表 as the staff member fills it in on a phone: four yes/no questions, details on a yes."""

    round = forms.TypedChoiceField(label=_("Screening round"), coerce=int)
    travelled = forms.BooleanField(label=_("Travelled outside the region in the last 14 days"), required=False)
    travel_places = forms.CharField(label=_("Places travelled to"), max_length=200, required=False)
    risk_contact = forms.BooleanField(label=_("Contact with risk persons"), required=False)
    risk_contact_details = forms.CharField(label=_("Contact details"), max_length=200, required=False)
    symptoms = forms.BooleanField(label=_("Fever, cough or other symptoms"), required=False)
    symptom_details = forms.CharField(label=_("Symptoms"), max_length=200, required=False)
    family_risk = forms.BooleanField(
        label=_("Family members travelled, in contact or with symptoms"), required=False
    )
    family_details = forms.CharField(label=_("Family members' situation"), max_length=200, required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {r.pk: r for r in rounds}
        self.fields["round"].choices = [(r.pk, r.name) for r in rounds]

    def clean_round(self):
        return self.rounds[self.cleaned_data["round"]]
