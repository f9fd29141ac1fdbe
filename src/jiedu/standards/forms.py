from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common import xlsx_reading
from jiedu.common.conflicts import VersionedForm
from jiedu.standards import domain


def _text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class DraftForm(forms.Form):
    name = forms.CharField(label=_("Catalogue name"), max_length=100)
    version = forms.CharField(
        label=pgettext_lazy("catalogue", "Version"), max_length=20, help_text=_("For example 2026版.")
    )
    based_on = forms.ModelChoiceField(
        label=_("Based on"), queryset=None, required=False, empty_label=_("Empty (start from scratch)"),
        help_text=_("Copies that version's areas and standards into the draft."),
    )  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text_area(2))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = versions


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AreaForm(forms.Form):
    code = forms.CharField(label=pgettext_lazy("standards", "Area code"), max_length=10)
    name = forms.CharField(label=pgettext_lazy("standards", "Area name"), max_length=40)
    position = forms.IntegerField(
        label=pgettext_lazy("order", "Position"), required=False, min_value=0, max_value=999,
        help_text=_("Empty: after the last one."),
    )
    is_illustrative = forms.BooleanField(
        label=_("Illustrative"), required=False,
        help_text=_("Not named in the source report; written for the demo."),
    )


class AreaEditForm(VersionedForm, AreaForm):
    pass


class StandardForm(forms.Form):
    area = forms.ModelChoiceField(label=pgettext_lazy("standards", "Area"), queryset=None, empty_label=None)
    code = forms.CharField(label=_("Standard code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=200)
    requirement = forms.CharField(label=_("Requirement"), widget=_text_area(4))
    check_method = forms.CharField(label=_("How it is checked"), widget=_text_area())
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=domain.ONE_DECIMAL, max_value=domain.MAX_POINTS, max_digits=4,
        decimal_places=1,
    )  # fmt: skip
    scoring_rule = forms.CharField(
        label=_("Scoring rule"), widget=_text_area(), help_text=_("For example 未建立台账扣2分，扣完为止.")
    )
    expected_evidence = forms.CharField(label=_("Expected evidence"), required=False, widget=_text_area(2))
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=_text_area(2))
    position = forms.IntegerField(
        label=pgettext_lazy("order", "Position"), required=False, min_value=0, max_value=999,
        help_text=_("Empty: after the last one."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class StandardEditForm(VersionedForm, StandardForm):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=format_lazy(_("Columns: {}"), "、".join(header for _name, header in domain.COLUMNS)),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > xlsx_reading.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class StartForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, empty_label=None)
    catalogue = forms.ModelChoiceField(label=_("Catalogue version"), queryset=None, empty_label=None)
    period = forms.CharField(label=_("Period"), max_length=40, help_text=_("For example 2022年上半年."))

    def __init__(self, *args, facilities, catalogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].label_from_instance = lambda facility: facility.short_name
        self.fields["catalogue"].queryset = catalogues
        self.fields["period"].initial = _("%(year)d annual self-assessment") % {"year": timezone.localdate().year}


def points_field(standard_id: int) -> str:
    return f"points_{standard_id}"


def note_field(standard_id: int) -> str:
    return f"note_{standard_id}"


class AreaScoreForm(forms.Form):
    """Points and a note for every standard of one area; a standard left empty is not scored yet."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for line in lines:
            standard = line.standard
            points = forms.DecimalField(
                label=_("Points"), required=False, min_value=0, max_value=standard.max_points, max_digits=4,
                decimal_places=1,
                initial=None if line.points is None else domain.format_points(line.points),
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": str(standard.max_points),
                                                "inputmode": "decimal"}),
            )  # fmt: skip
            note = forms.CharField(label=_("Note"), required=False, max_length=500, initial=line.note)
            self.fields[points_field(standard.pk)] = points
            self.fields[note_field(standard.pk)] = note
            self.lines.append((line, self[points_field(standard.pk)], self[note_field(standard.pk)]))

    def scores(self) -> dict[int, tuple]:
        """The standards given points, as the service takes them: {standard id: (points, note)}."""
        return {
            line.standard.pk: (self.cleaned_data[points_field(line.standard.pk)],
                               self.cleaned_data[note_field(line.standard.pk)])
            for line, _points, _note in self.lines
            if self.cleaned_data.get(points_field(line.standard.pk)) is not None
        }  # fmt: skip
