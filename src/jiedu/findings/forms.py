import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.conflicts import VersionedForm
from jiedu.findings import domain
from jiedu.findings.models import Finding
from jiedu.organisation import roles
from jiedu.organisation.models import Department, Facility
from jiedu.people.models import Staff
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision.models import Campaign, InspectionResult, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVE_STAFF = ("on_duty", "on_leave")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of the rectified site, scanned ledgers)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf,.xlsx,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _when_field():
    return forms.DateTimeField(
        label=_("When it happened"), required=False, widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Only for a step documented on paper and entered afterwards; empty means now."),
    )  # fmt: skip


class StaffSelect(forms.Select):
    """Each option carries its unit, so findings.js can narrow the list to the chosen unit."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-department"] = instance.department_id
        return option


# --- Lists ----------------------------------------------------------------------------------------


class FindingFilterForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none(), required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Finding.Status.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Finding.Severity.choices]
    )
    origin = forms.ChoiceField(
        label=_("Origin"), required=False, choices=[("", _("All")), *Finding.Origin.choices]
    )
    area = forms.ModelChoiceField(label=pgettext_lazy("standards", "Area"), queryset=Area.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    start = forms.DateField(label=_("Found from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Found until"), required=False, widget=DATE)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(user, roles.VIEW_SUPERVISION).order_by(
            "code"
        )
        self.fields["facility"].label_from_instance = lambda facility: facility.short_name
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        areas = Area.objects.visible_to(user).order_by("catalogue_id", "position", "code")
        teams = Team.objects.visible_to(user).select_related("campaign")
        campaign = self._chosen_campaign()
        if campaign is not None:
            areas = areas.filter(catalogue_id=campaign.catalogue_id)
            teams = teams.filter(campaign=campaign)
        self.fields["area"].queryset = areas
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: f"{team.name} · {team.campaign.name}"

    def _chosen_campaign(self):
        value = self.data.get("campaign") if self.is_bound else None
        if not value or not (str(value).isascii() and str(value).isdigit()):
            return None
        return self.fields["campaign"].queryset.filter(pk=value).first()

    def filters(self) -> dict:
        """The valid criteria only: a value the user may not choose is ignored, never widened."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        criteria = {name: data[name] for name in ("campaign", "status", "severity", "origin", "area", "team",
                                                   "start", "end", "q") if data.get(name)}  # fmt: skip
        if data.get("facility"):
            criteria["facility_ids"] = [data["facility"].pk]
        if data.get("overdue"):
            criteria["overdue_only"] = True
        return criteria


class RatesForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    start = forms.DateField(label=_("Found from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Found until"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def criteria(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in ("campaign", "start", "end")}


# --- Recording ------------------------------------------------------------------------------------


class FacilityChoiceForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none(), empty_label=None)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].label_from_instance = lambda facility: facility.short_name


class FindingForm(forms.Form):
    """A finding of one facility: of an inspection (its methods and catalogue), or self-identified."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
        help_text=_("The self-inspection or campaign the problem was found in, if any."),
    )  # fmt: skip
    method = forms.ChoiceField(label=_("Found by"), choices=Finding.Method.choices, required=False)
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.none(), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Finding.Severity.choices,
        initial=Finding.Severity.GENERAL,
        widget=forms.RadioSelect,
    )
    oversight = forms.ChoiceField(
        label=_("Oversight"), choices=Finding.Oversight.choices, initial=Finding.Oversight.INTERNAL
    )
    title = forms.CharField(label=pgettext_lazy("finding", "Problem"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Department.objects.none()
    )
    responsible_staff = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=Staff.objects.none(), widget=StaffSelect
    )
    found_on = forms.DateField(label=_("Found on"), widget=DATE)
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DATE)
    files = MultipleFileField(label=_("Evidence of the problem"), required=False)
    at = _when_field()

    def __init__(self, *args, user, facility, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility, self.inspection = facility, inspection
        found_on = inspection.starts_on if inspection else timezone.localdate()
        self.fields["found_on"].initial = found_on
        self.fields["deadline"].initial = found_on + datetime.timedelta(days=30)
        self.fields["responsible_department"].queryset = Department.objects.visible_to(
            user, roles.RECORD_FINDING
        ).filter(facility=facility, is_active=True)
        self.fields["responsible_staff"].queryset = (
            Staff.objects.visible_to(user, roles.RECORD_FINDING)
            .filter(facility=facility, status__in=ACTIVE_STAFF, department__isnull=False)
            .select_related("department")
            .order_by("department__name", "name")
        )
        self.fields["responsible_staff"].label_from_instance = lambda staff: (
            f"{staff.name}（{staff.department.name}）"
        )
        standards = (
            Standard.objects.visible_to(user).select_related("catalogue").order_by("catalogue_id", "code")
        )
        if inspection is not None:
            del self.fields["campaign"]
            used = domain.methods_used(
                site_check=inspection.by_site_check, ledger_review=inspection.by_ledger_review,
                video_patrol=inspection.by_video_patrol, talks=inspection.by_talks,
            )  # fmt: skip
            labels = dict(Finding.Method.choices)
            self.fields["method"].choices = [(code, labels[code]) for code in used]
            self.fields["method"].required = True
            # Standards the inspection judged partly or not met come first, marked.
            weak = set(
                InspectionResult.objects.visible_to(user)
                .filter(inspection=inspection, verdict__in=[InspectionResult.Verdict.PARTLY, InspectionResult.Verdict.NOT_MET])
                .values_list("standard_id", flat=True)
            )
            listed = list(standards.filter(catalogue_id=inspection.campaign.catalogue_id))
            listed.sort(key=lambda standard: standard.pk not in weak)
            self.fields["standard"].queryset = standards.filter(catalogue_id=inspection.campaign.catalogue_id)
            marker = str(_("not fully met"))
            self.fields["standard"].choices = [("", "---------")] + [
                (standard.pk, f"{standard.code} {standard.title}" + (f"（{marker}）" if standard.pk in weak else ""))
                for standard in listed
            ]
        else:
            self.fields["campaign"].queryset = Campaign.objects.visible_to(user).filter(facilities=facility)
            self.fields["method"].choices = [("", "—"), *Finding.Method.choices]
            self.fields["standard"].queryset = standards.filter(
                catalogue__status=CatalogueVersion.Status.PUBLISHED
            )
            self.fields["standard"].label_from_instance = lambda standard: (
                f"{standard.catalogue.version} · {standard.code} {standard.title}"
            )


# --- Steps ----------------------------------------------------------------------------------------


class StepForm(VersionedForm):
    conflict_also_shows = ("status",)

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    at = _when_field()


class SubmitForm(StepForm):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Rectification evidence"), help_text=_("Photos or scans; at least one file.")
    )
    field_order = ["note", "files", "at"]


class RejectForm(StepForm):
    note = forms.CharField(label=_("What is still missing"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(VersionedForm):
    conflict_also_shows = ("status",)

    reason = forms.CharField(label=_("Reason"), max_length=200)
    at = _when_field()


class ExtendForm(ReasonForm):
    conflict_also_shows = ("status", "deadline")

    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    field_order = ["new_deadline", "reason", "at"]


# --- Measures -------------------------------------------------------------------------------------


class MeasureForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    title = forms.CharField(label=_("Measure"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Department.objects.none()
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings addressed"), queryset=Finding.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, facility, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).filter(facilities=facility)
        self.fields["campaign"].initial = campaign
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=30)
        self.fields["responsible_department"].queryset = Department.objects.visible_to(
            user, roles.RECORD_FINDING
        ).filter(facility=facility, is_active=True)
        findings = (
            Finding.objects.visible_to(user, roles.RECORD_FINDING)
            .filter(facility=facility)
            .exclude(status=Finding.Status.WITHDRAWN)
        )
        self.fields["findings"].queryset = (
            findings.filter(campaign=campaign) if campaign is not None else findings
        )
        self.fields["findings"].label_from_instance = lambda finding: (
            f"{finding.found_on:%Y-%m-%d} {finding.title}"
        )


class CompleteMeasureForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)
