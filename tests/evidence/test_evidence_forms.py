"""The multi-file field other apps' forms use."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from jiedu.evidence.forms import EvidenceUploadForm, EvidenceUploadMixin


class _RectificationForm(EvidenceUploadMixin, forms.Form):
    note = forms.CharField()


def _files(*names):
    return MultiValueDict({"files": [SimpleUploadedFile(name, b"%PDF-1.4") for name in names]})


def test_several_files_clean_to_a_list():
    form = _RectificationForm({"note": "已整改"}, _files("a.pdf", "b.pdf"))

    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.pdf"]
    assert 'multiple' in str(form["files"]) and 'accept="image/jpeg' in str(form["files"])


def test_no_file_is_an_empty_list_unless_one_is_required():
    optional = _RectificationForm({"note": "已整改"}, MultiValueDict())
    required = EvidenceUploadForm({}, MultiValueDict())

    assert optional.is_valid() and optional.cleaned_data["files"] == []
    assert not required.is_valid() and "files" in required.errors


def test_at_most_ten_files():
    form = _RectificationForm({"note": "x"}, _files(*[f"{i}.pdf" for i in range(11)]))

    assert not form.is_valid() and "files" in form.errors


def test_the_help_text_states_the_size_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 5 * 2**20
    assert "5 MB" in str(_RectificationForm()["files"].help_text)
