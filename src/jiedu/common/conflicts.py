"""Edit pages and records changed by someone else meanwhile.

Every edit form carries, hidden, the version of the record it was filled from
(``VersionedForm.expected_version``, passed on to the service). When the service refuses the
write as stale (``StaleVersion``), ``call_service`` (``common.pages``) puts a ``Conflict`` on the
form: the page is shown again with nothing saved, the current values side by side with what the
user entered (``includes/conflict.html``) and status 409 (``form_status``). The form then carries
the current version, so saving again is a deliberate choice made with both in sight.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedu.common.errors import StaleVersion

NOTHING = "—"


class VersionedForm(forms.Form):
    """An edit form: the version of the record it was filled from travels with it, hidden."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    # Record attributes the conflict also shows although the form does not edit them (a finding's status).
    conflict_also_shows: tuple[str, ...] = ()

    def clean(self):
        # A page without its version (saved before the field existed, or altered) cannot be compared:
        # say so above the form, as the hidden field itself shows no error.
        if self.has_error("expected_version"):
            del self._errors["expected_version"]
            self.add_error(None, gettext_lazy("This page is out of date: open it again and enter the change anew."))
        return super().clean()


@dataclass(frozen=True)
class ConflictRow:
    label: str
    current: str
    yours: str
    differs: bool


@dataclass(frozen=True)
class Conflict:
    rows: list[ConflictRow]
    changed_at: object  # the record's updated_at, if it has one


def _shown(value, field=None) -> str:
    if isinstance(field, forms.FileField) and value:
        files = value if isinstance(value, list | tuple) else [value]
        return "、".join(getattr(f, "name", str(f)) for f in files)
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(formats.localize(value))


def _current(record, name: str, field=None) -> str:
    try:
        model_field = record._meta.get_field(name)
    except FieldDoesNotExist:  # a property, or nothing: shown as it is
        model_field = None
    if model_field is not None and model_field.choices:
        return _shown(getattr(record, f"get_{name}_display")())
    return _shown(getattr(record, name, None), field)


def _label(record, name: str) -> str:
    try:
        return str(record._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _same(saved, entered) -> bool:
    """Equal as values, not as text: 10.0 points saved and 10 typed are the same; so are None and ""."""
    empty = (None, "")
    return (saved in empty and entered in empty) or saved == entered


def conflict_for(form: VersionedForm, current) -> Conflict:
    """What is saved now beside what the user entered, field by field of the form."""
    rows = [
        ConflictRow(_label(current, name), _current(current, name), NOTHING, differs=False)
        for name in getattr(form, "conflict_also_shows", ())
    ]
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        entered = form.cleaned_data.get(name)
        saved = getattr(current, name, None)
        now = _current(current, name, field) if hasattr(current, name) else NOTHING
        differs = hasattr(current, name) and not _same(saved, entered)
        rows.append(ConflictRow(str(field.label or name), now, _shown(entered, field), differs=differs))
    return Conflict(rows=rows, changed_at=getattr(current, "updated_at", None))


def show_conflict(form: VersionedForm, exc: StaleVersion) -> None:
    """Nothing was saved: put the message and the comparison on the form, and the current version
    into it, so that saving again overwrites knowingly rather than by accident."""
    form.add_error(None, exc.message)
    form.conflict = conflict_for(form, exc.current)
    if "expected_version" in form.fields and hasattr(exc.current, "version"):
        data = form.data.copy()
        data[form.add_prefix("expected_version")] = str(exc.current.version)
        form.data = data


def form_status(request, form) -> int:
    """200 for a form shown, 409 for a write refused as stale, 400 for any other refusal."""
    if request.method != "POST":
        return 200
    return 409 if getattr(form, "conflict", None) else 400
