from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedu.common.conflicts import VersionedForm
from jiedu.hygiene import domain
from jiedu.organisation import roles
from jiedu.organisation.models import Department, Facility

DATE = {"type": "date"}


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs)


def _score_field(label, **kwargs):
    return forms.DecimalField(
        label=label, min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1, max_digits=4,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}), **kwargs,
    )  # fmt: skip


class InspectionForm(forms.Form):
    """四位一体 check of one department: the score out of 100 and what was wrong."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    inspected_on = _date_field(_("Inspected on"))
    score = _score_field(_("Score"))
    problems = forms.CharField(
        label=_("Problems found"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()
        departments = (
            Department.objects.visible_to(user, action=roles.RECORD_HYGIENE)
            .filter(is_active=True)
            .select_related("facility")
            .order_by("facility__code", "name")
        )
        if facility_ids is not None:
            departments = departments.filter(facility_id__in=facility_ids)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda d: f"{d.facility.short_name} · {d.name}"


class CorrectionForm(VersionedForm):
    score = _score_field(_("Score"))
    problems = forms.CharField(
        label=_("Problems found"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LedgerFilterForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none(), required=False,
                                      empty_label=_("All my facilities"))  # fmt: skip
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    since = _date_field(_("Inspected since"), required=False)
    until = _date_field(_("Inspected until"), required=False)
    below = forms.IntegerField(
        label=_("Scores below"), required=False, min_value=1, max_value=100,
        help_text=_("For example 75 for the inspections under the exposure line."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(
            user, action=roles.VIEW_SUPERVISION
        ).order_by("code")
        self.fields["facility"].label_from_instance = lambda f: f.short_name
        self.fields["department"].queryset = (
            Department.objects.visible_to(user, action=roles.VIEW_SUPERVISION)
            .select_related("facility")
            .order_by("facility__code", "name")
        )
        self.fields["department"].label_from_instance = lambda d: f"{d.facility.short_name} · {d.name}"


class BoardForm(forms.Form):
    """The period and the lines of a board: previewed first, then published."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none(), empty_label=None)
    period_start = _date_field(_("Period start"))
    period_end = _date_field(_("Period end"))
    honour_threshold = _score_field(_("Honour roll from"), initial=domain.DEFAULT_THRESHOLDS.honour,
                                    help_text=_("Departments averaging at least this score go on the honour roll."))  # fmt: skip
    exposure_threshold = _score_field(
        _("Exposure board below"), initial=domain.DEFAULT_THRESHOLDS.exposure,
        help_text=_("Departments averaging below this score, or with a failed inspection, are exposed."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].label_from_instance = lambda f: f.short_name

    @property
    def thresholds(self) -> domain.Thresholds:
        return domain.Thresholds(
            honour=self.cleaned_data["honour_threshold"], exposure=self.cleaned_data["exposure_threshold"]
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "facility": data["facility"], "period_start": data["period_start"], "period_end": data["period_end"],
            "thresholds": self.thresholds, "note": data["note"],
        }  # fmt: skip
