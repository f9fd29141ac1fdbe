import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.accounts.models import User
from jiedu.evidence.forms import EvidenceUploadMixin
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.roles import BUREAU_ROLES, Role
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
from jiedu.standards.models import CatalogueVersion
from jiedu.supervision.models import Campaign, InspectionResult, Team
from jiedu.supervision.selectors import METHOD_LABELS

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}
METHOD_CHOICES = list(METHOD_LABELS.items())


def _bureau_users(*only_roles):
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__facility__isnull=True,
            memberships__role__in=sorted(only_roles),
        )
        .distinct()
        .order_by("username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class CampaignForm(forms.Form):
    """The bureau's campaign over chosen facilities, or a facility leader's own self-inspection."""

    name = forms.CharField(label=pgettext_lazy("campaign", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices, widget=forms.RadioSelect)
    catalogue = forms.ModelChoiceField(
        label=_("Catalogue version"), queryset=CatalogueVersion.objects.none(), required=False,
        help_text=_("Required for standardisation supervision."),
    )  # fmt: skip
    basis = forms.CharField(label=_("Basis"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs=DATE))
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none(), empty_label=None)
    facilities = forms.ModelMultipleChoiceField(
        label=_("Facilities in scope"), queryset=Facility.objects.none(), widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=90)
        self.fields["catalogue"].queryset = CatalogueVersion.objects.visible_to(user).filter(
            status=CatalogueVersion.Status.PUBLISHED
        )
        self.region_wide = facility_scope(user, roles.MANAGE_SUPERVISION) is ALL_FACILITIES
        if self.region_wide:
            self.fields["kind"].initial = Campaign.Kind.STANDARDISATION
            self.fields["facilities"].queryset = Facility.objects.visible_to(user).order_by("code")
            self.fields["facilities"].initial = list(self.fields["facilities"].queryset)
            del self.fields["facility"]
        else:
            # A facility runs only its own self-inspection.
            self.fields["kind"].choices = [(Campaign.Kind.SELF_INSPECTION, Campaign.Kind.SELF_INSPECTION.label)]
            self.fields["kind"].initial = Campaign.Kind.SELF_INSPECTION
            self.fields["facility"].queryset = Facility.objects.visible_to(user, roles.SELF_ASSESS).order_by("code")
            del self.fields["facilities"]

    @property
    def usable(self) -> bool:
        return self.region_wide or self.fields["facility"].queryset.exists()


class TeamForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Team name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices, widget=forms.RadioSelect)
    leader = UserChoiceField(
        label=_("Team leader"), queryset=User.objects.none(),
        help_text=_("A member of the bureau's leadership who leads no other team of the campaign."),
    )  # fmt: skip
    members = UsersChoiceField(
        label=pgettext_lazy("supervision team", "Members"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = Team.Kind.ON_SITE
        self.fields["campaign"].queryset = (
            Campaign.objects.visible_to(user).exclude(kind=Campaign.Kind.SELF_INSPECTION).order_by("-starts_on")
        )
        self.fields["leader"].queryset = _bureau_users(Role.BUREAU_LEADER)
        self.fields["members"].queryset = _bureau_users(*BUREAU_ROLES)


class CampaignChoiceForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), widget=forms.Select(attrs={"data-autosubmit": ""})
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class InspectionPlanForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs=DATE))
    methods = forms.MultipleChoiceField(
        label=_("Methods"), choices=METHOD_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, campaign, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["facility"].queryset = facilities
        if campaign.kind == Campaign.Kind.SELF_INSPECTION:
            del self.fields["team"]
        else:
            self.fields["team"].required = True
            self.fields["team"].queryset = Team.objects.visible_to(user).filter(campaign=campaign).order_by("name")
        today = timezone.localdate()
        first = min(max(today, campaign.starts_on), campaign.ends_on)
        self.fields["starts_on"].initial = first
        self.fields["ends_on"].initial = first
        self.fields["methods"].initial = [code for code, _label in METHOD_CHOICES]


class CompleteForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VideoSessionForm(forms.Form):
    areas_watched = forms.CharField(label=_("Areas watched"), widget=forms.Textarea(attrs={"rows": 2}))
    cameras = forms.CharField(
        label=_("Cameras"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("For example 二大队宿舍走廊-03, 医疗区走廊."),
    )  # fmt: skip
    started_at = forms.DateTimeField(label=_("Started at"), widget=forms.DateTimeInput(attrs=DATETIME))
    ended_at = forms.DateTimeField(label=_("Ended at"), widget=forms.DateTimeInput(attrs=DATETIME))
    observations = forms.CharField(label=_("Observations"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EvidenceForm(EvidenceUploadMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = True


class ScreenshotForm(EvidenceUploadMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = True
        self.fields["files"].label = _("Screenshots")
        self.fields["files"].widget.attrs["accept"] = "image/jpeg,image/png"


class AreaResultsForm(forms.Form):
    """One area's standards: a verdict, points and a note per standard; rows left without a verdict are skipped.

    Field names carry the standard's id (``verdict-12``, ``points-12``, ``note-12``), as do the
    service's errors, so an error lands beside its row.
    """

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.rows = []
        for standard, result in lines:
            key = standard.pk
            self.fields[f"verdict-{key}"] = forms.ChoiceField(
                label=_("Verdict"), choices=[("", "—"), *InspectionResult.Verdict.choices], required=False,
                initial=result.verdict if result else "",
            )  # fmt: skip
            self.fields[f"points-{key}"] = forms.DecimalField(
                label=_("Points"), required=False, min_value=0, max_value=standard.max_points, decimal_places=1,
                max_digits=5, initial=result.points if result else None,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )  # fmt: skip
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("Note"), required=False, initial=result.note if result else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )  # fmt: skip
            self.rows.append((standard, result, self[f"verdict-{key}"], self[f"points-{key}"], self[f"note-{key}"]))

    def entries(self) -> list[dict]:
        chosen = []
        for standard, _result in self.lines:
            verdict = self.cleaned_data.get(f"verdict-{standard.pk}")
            if verdict:
                chosen.append({
                    "standard": standard, "verdict": verdict, "points": self.cleaned_data.get(f"points-{standard.pk}"),
                    "note": self.cleaned_data.get(f"note-{standard.pk}", ""),
                })  # fmt: skip
        return chosen
