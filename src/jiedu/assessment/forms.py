from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.assessment.models import TargetScheme
from jiedu.common.conflicts import VersionedForm


def _points_field(name: str) -> forms.DecimalField:
    model_field = TargetScheme._meta.get_field(name)
    return forms.DecimalField(
        label=model_field.verbose_name, min_value=Decimal("0"), max_digits=5, decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )  # fmt: skip


class SchemeForm(VersionedForm):
    """The year's scheme: how the full marks split, and what each finding costs."""

    full_marks = _points_field("full_marks")
    inspection_points = _points_field("inspection_points")
    open_general = _points_field("open_general")
    open_serious = _points_field("open_serious")
    open_major = _points_field("open_major")
    overdue = _points_field("overdue")
    late_rectified = _points_field("late_rectified")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection_points"].help_text = _(
            "The rest of the full marks is the rectification part, from which findings deduct."
        )
        self.fields["late_rectified"].help_text = _(
            "Never more than the finding would cost left open and overdue."
        )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
