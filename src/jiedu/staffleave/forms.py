from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.staffleave import domain
from jiedu.staffleave.models import DailyReport

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DailyReportForm(forms.Form):
    """The phone form of 个人自检: big inputs, grouped in short sections."""

    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C)"), max_digits=3, decimal_places=1,
        min_value=domain.TEMPERATURE_MIN_C, max_value=domain.TEMPERATURE_MAX_C,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    health_code = forms.ChoiceField(
        label=_("Health code"),
        choices=DailyReport.HealthCode.choices,
        initial="green",
        widget=forms.RadioSelect,
    )
    symptoms = forms.ChoiceField(
        label=_("Symptoms"), choices=DailyReport.Symptoms.choices, initial="none", widget=forms.RadioSelect
    )
    symptoms_detail = forms.CharField(label=_("Symptoms in detail"), max_length=200, required=False)
    places_visited = forms.CharField(
        label=_("Places visited and transport"), widget=forms.Textarea(attrs={"rows": 3})
    )
    family_movements = forms.CharField(
        label=_("Family members' movements"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risk_contact = forms.BooleanField(label=_("Contact with risk persons"), required=False)
    risk_contact_detail = forms.CharField(label=_("Risk contact in detail"), max_length=200, required=False)


class LeavePeriodForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False)

    def __init__(self, *args, staff, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["area"].queryset = areas


class DayForm(forms.Form):
    day = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)


class BulkReviewForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Review level"),
        choices=[(domain.DEPARTMENT, _("Department review")), (domain.FACILITY, _("Facility check"))],
        initial=domain.DEPARTMENT,
        widget=forms.RadioSelect,
    )
    reports = forms.ModelMultipleChoiceField(
        label=_("Reports"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports


class ReturnReportForm(forms.Form):
    trajectory_summary = forms.CharField(
        label=_("Trajectory summary"), widget=forms.Textarea(attrs={"rows": 3})
    )
    health = forms.CharField(label=_("Health"), widget=forms.Textarea(attrs={"rows": 2}))
    tests_summary = forms.CharField(
        label=_("Tests summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AreaForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("District name"), max_length=40)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if len(facilities[:2]) == 1:  # the usual officer: one facility, nothing to choose
            self.fields["facility"].initial = facilities[0]
            self.fields["facility"].widget = forms.HiddenInput()


class InspectorForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    staff = forms.ModelChoiceField(label=_("Inspector"), queryset=None)
    from_date = forms.DateField(label=_("From"), widget=DATE_INPUT)

    def __init__(self, *args, areas, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["staff"].queryset = staff


class PatrolForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    visited_staff = forms.ModelChoiceField(label=_("Staff member visited"), queryset=None)
    visited_at = forms.DateTimeField(
        label=_("Visited at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    observations = forms.CharField(label=_("Observations"), widget=forms.Textarea(attrs={"rows": 2}))
    trajectory_noted = forms.CharField(
        label=_("Trajectory noted"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, areas, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["visited_staff"].queryset = staff
