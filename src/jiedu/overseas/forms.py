from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.organisation import roles
from jiedu.organisation.models import Department
from jiedu.overseas import domain
from jiedu.overseas.models import Category, Relation
from jiedu.people.models import Staff

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
YES_NO = {"yes": True, "no": False}


class StatusForm(forms.Form):
    """A dated category and its facts. Every category's fields are declared; the page shows the
    chosen category's (``category_fields``) and the service checks which are required."""

    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, initial=domain.ABROAD,
        widget=forms.RadioSelect(attrs={"class": "category-choice"}),
    )  # fmt: skip
    effective_date = forms.DateField(label=_("Effective date"), **DATE_WIDGET)
    return_date = forms.DateField(label=_("Return date"), required=False, **DATE_WIDGET)
    current_residence = forms.CharField(label=_("Current residence"), max_length=200, required=False)
    return_route = forms.CharField(
        label=_("Return route (flights, ports)"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. CA934 Paris → Beijing, then rail to Hohhot")}),
    )  # fmt: skip
    fever_or_cough = forms.ChoiceField(
        label=_("Fever or cough"), required=False, widget=forms.RadioSelect,
        choices=[("no", _("No")), ("yes", _("Yes"))],
    )  # fmt: skip
    recent_medical_control = forms.CharField(
        label=_("Medical visit, isolation or control in the last two weeks"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    planned_return_date = forms.DateField(label=_("Planned return date"), required=False, **DATE_WIDGET)
    planned_route = forms.CharField(label=_("Planned route"), max_length=300, required=False)
    reported_on = forms.DateField(label=_("Reported to the facility on"), required=False, **DATE_WIDGET)
    testing_quarantine_arrangements = forms.CharField(
        label=_("Testing and quarantine arrangements"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    residence_abroad = forms.CharField(label=_("Country and city of residence"), max_length=120, required=False)
    reason_abroad = forms.CharField(label=_("Reason for being abroad"), max_length=200, required=False)
    contact_method = forms.CharField(label=_("Contact method"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def chosen_category(self) -> str:
        value = self.data.get("category") if self.is_bound else self.initial.get("category")
        return value if value in domain.CATEGORIES else domain.ABROAD

    def category_fields(self) -> list:
        """The chosen category's fields, marked required (the service enforces it)."""
        names = domain.REQUIRED_FIELDS[self.chosen_category()]
        if self.is_bound:
            self.errors  # noqa: B018 - validation runs before the asterisks change what is required
        for name in names:
            self.fields[name].required = True  # shows the asterisk; validation already ran
        return [self[name] for name in names]

    def clean_fever_or_cough(self):
        return YES_NO.get(self.cleaned_data["fever_or_cough"])

    def status_values(self) -> dict:
        """What the service takes, the chosen category's facts only."""
        data = self.cleaned_data
        category = data["category"]
        facts = {name: data.get(name) for name in domain.REQUIRED_FIELDS[category]}
        return {"category": category, "effective_date": data["effective_date"], "notes": data["notes"], **facts}


class EntryForm(StatusForm):
    """A new person in the ledger with their first status; the facility is the staff member's."""

    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=None)
    relation = forms.ChoiceField(label=_("Relation to the staff member"), choices=Relation.choices)
    person_name = forms.CharField(
        label=pgettext_lazy("person", "Name"), max_length=40, required=False,
        help_text=_("For a relative; leave empty for the staff member themself."),
    )  # fmt: skip
    id_number = forms.CharField(
        label=_("Identity document number"), max_length=30, required=False,
        help_text=_("Optional: ID card or passport. Stored encrypted, shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip

    field_order = ["staff", "relation", "person_name", "id_number"]

    def __init__(self, *args, user, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = Staff.objects.visible_to(user, action=roles.MANAGE_STAFF_HEALTH).select_related("facility")
        if facility_ids is not None:
            staff = staff.filter(facility_id__in=facility_ids)
        self.fields["staff"].queryset = staff.order_by("facility__code", "police_number")

    def entry_values(self) -> dict:
        data = self.cleaned_data
        return {
            "facility": data["staff"].facility,
            "staff": data["staff"],
            "relation": data["relation"],
            "person_name": data["person_name"],
            "id_number": data["id_number"],
            **self.status_values(),
        }


class LedgerFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All departments")
    )

    def __init__(self, *args, user, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.visible_to(user).select_related("facility")
        if facility_ids is not None:
            departments = departments.filter(facility_id__in=facility_ids)
        self.fields["department"].queryset = departments.order_by("facility__code", "name")
