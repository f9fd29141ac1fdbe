from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.organisation.models import Facility
from jiedu.privacy import domain
from jiedu.privacy.gates import GATES
from jiedu.privacy.models import MIN_PURPOSE_LENGTH, AccessLog


class DateInput(forms.DateInput):
    input_type = "date"


class RevealForm(forms.Form):
    """The purpose is checked again by the service (the rule lives in privacy.domain)."""

    field = forms.ChoiceField(choices=[(name, name) for name in domain.REVEALABLE], widget=forms.HiddenInput)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        required=False,  # an empty purpose gets the same message as a short one, from the service
        widget=forms.TextInput(attrs={"minlength": MIN_PURPOSE_LENGTH, "autocomplete": "off"}),
        help_text=_("Why you need the full number, e.g. 'verify identity for family visit'. It is logged."),
    )


class ExportApprovalRequestForm(forms.Form):
    export = forms.ChoiceField(
        choices=[(name, gate.label) for name, gate in GATES.items()], widget=forms.HiddenInput
    )
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,  # checked by the service, like a reveal's purpose
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the list is for. A colleague who may see the same records must approve it."),
    )


class ExportDecisionForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AccessLogFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", pgettext_lazy("access log", "All kinds")), *AccessLog.Kind.choices], required=False
    )
    subject_type = forms.ChoiceField(
        label=_("Record type"),
        choices=[
            ("", _("All records")),
            ("people.resident", _("Resident")),
            ("people.staff", _("Staff member")),
            ("privacy.exportrequest", _("Export")),
        ],
        required=False,
    )
    subject_id = forms.IntegerField(label=_("Record id"), required=False, min_value=1)
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), required=False, empty_label=_("All facilities")
    )
    purpose = forms.CharField(label=_("Purpose contains"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Facilities are names, not personal data: every facility the reader's log covers.
        self.fields["facility"].queryset = Facility.objects.visible_to(user, action=AccessLog.view_action)
