from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.isolation import selectors
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.file_number}）· {obj.facility.short_name}"


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.facility.short_name} · {obj.zone.name} {obj.number}"


STATE_CHOICES = [("", _("Open and ended")), (selectors.OPEN, _("Open")), (selectors.ENDED, _("Ended"))]


class StayFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("All reasons")), *IsolationStay.Reason.choices], required=False
    )
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=None, required=False, empty_label=_("All zones"))

    def __init__(self, *args, user, facility_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = selectors.isolation_zones(user, facility_ids=facility_ids)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key] for key in ("state", "reason", "zone")}


class StayForm(forms.Form):
    """Open a stay; the rooms offered are the free ones of the zone that takes the chosen reason."""

    resident = ResidentChoiceField(label=_("Resident"), queryset=None)
    reason = forms.ChoiceField(label=_("Reason"), choices=IsolationStay.Reason.choices)
    room = RoomChoiceField(
        label=_("Room"), queryset=None, help_text=_("Free rooms of the matching isolation zone.")
    )
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, facility_ids, reason, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = selectors.residents_to_isolate(user, facility_ids=facility_ids)
        self.fields["room"].queryset = selectors.free_rooms(user, reason=reason, facility_ids=facility_ids)


class TransferForm(forms.Form):
    room = RoomChoiceField(label=_("New room"), queryset=None)

    def __init__(self, *args, user, stay, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = selectors.free_rooms(user, reason=stay.reason, facility_ids=[stay.facility_id])
        self.fields["room"].queryset = rooms.exclude(pk=stay.room_id)


END_REASONS = [
    (value, label)
    for value, label in IsolationStay.EndReason.choices
    if value not in {IsolationStay.EndReason.TRANSFERRED, IsolationStay.EndReason.RELEASED}
]


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("End reason"), choices=END_REASONS)
    ended_at = forms.DateTimeField(
        label=_("Ended at"), widget=DateTimeInput, required=False, help_text=_("Leave empty for now.")
    )


class ItemForm(forms.Form):
    """One checklist item; each item's form on the page has its own prefix (its code)."""

    done_on = forms.DateField(label=_("Date"), widget=DateInput)
    performed_by = forms.CharField(label=_("Carried out by"), max_length=40, required=False)
    summary = forms.CharField(
        label=_("Result or summary"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fit_for_release = forms.TypedChoiceField(
        label=_("Fit for release"),
        choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
    )

    LABELS = {
        PreReleaseItem.Item.HEALTH_EXAM: (_("Doctor"), _("Result")),
        PreReleaseItem.Item.TALK: (_("Officer"), _("Summary of the talk")),
        PreReleaseItem.Item.EDUCATION: (_("Given by"), _("Topic")),
        PreReleaseItem.Item.COMMITMENT: (_("Witnessed by"), _("Note")),
    }

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=item, **kwargs)
        self.item = item
        by, summary = self.LABELS[item]
        self.fields["performed_by"].label, self.fields["summary"].label = by, summary
        if item == PreReleaseItem.Item.HEALTH_EXAM:
            self.fields["fit_for_release"].required = True
        else:
            del self.fields["fit_for_release"]
        if item == PreReleaseItem.Item.COMMITMENT:
            self.fields["done_on"].label = _("Date the resident signed")


class HandoverForm(forms.Form):
    name = forms.CharField(label=_("Receiving person"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=20)
    handed_over_at = forms.DateTimeField(label=_("Hand-over time"), widget=DateTimeInput)

    def __init__(self, *args, receiver, **kwargs):
        super().__init__(*args, prefix=receiver, **kwargs)
        self.receiver = receiver
        if receiver == Handover.Receiver.FAMILY:
            self.fields["unit"].label = _("Relationship or address")
        else:
            self.fields["unit"].required = True


class ReleaseForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Released at"), widget=DateTimeInput, required=False, help_text=_("Leave empty for now.")
    )
