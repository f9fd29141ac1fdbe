"""Uploading evidence from any app's form: a multi-file field and a mixin.

Use it in another app's form and hand the files to your service, which stores them with
``evidence.services.store_evidence_files`` inside its own transaction::

    from jiedu.evidence.forms import EvidenceUploadMixin

    class SubmitRectificationForm(EvidenceUploadMixin, forms.Form):
        note = forms.CharField(widget=forms.Textarea)

    # the view: bind the form with request.FILES; the template needs enctype="multipart/form-data"
    form = SubmitRectificationForm(request.POST, request.FILES)
    if form.is_valid():
        call_service(form, services.submit_rectification, actor=request.user, finding=finding,
                     note=form.cleaned_data["note"], files=form.cleaned_data["files"])

    # the service, inside its @transaction.atomic:
    stored = store_evidence_files(actor=actor, facility=finding.facility, uploads=files,
                                  action=roles.RECTIFY_FINDING)   # DomainError on field "files"
    finding.evidence.add(*stored)

``files`` cleans to a list of uploaded files (empty when none were chosen; ``required=True``
makes one compulsory). The type, size and image checks are the service's: the browser's word
about a file is never trusted. List a record's files with the include
``evidence/includes/file_list.html`` (``files``: an iterable of EvidenceFile rows).
"""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

ACCEPT = "image/jpeg,image/png,application/pdf,.xlsx,.docx"
MAX_FILES = 10


def _limits() -> str:
    # Read when shown, not at import: the size limit is a setting.
    return gettext("JPEG or PNG photos and screenshots, PDF, XLSX or DOCX; at most %(mb)d MB each.") % {
        "mb": settings.EVIDENCE_MAX_BYTES // 2**20
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Zero or more files in one input; cleans to a list of uploaded files."""

    widget = MultipleFileInput
    default_error_messages = {
        "too_many": ngettext_lazy(
            "Choose at most %(limit)d file.", "Choose at most %(limit)d files.", "limit"
        ),
    }

    def __init__(self, *, max_files: int = MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Evidence files"))
        kwargs.setdefault("help_text", lazy(_limits, str)())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, (list, tuple)) else [data]
        files = [single(upload, initial) for upload in uploads if upload]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": self.max_files}
            )
        return files

    def bound_data(self, data, initial):
        return data


class EvidenceUploadMixin(forms.Form):
    """Adds ``files`` (several at once) and an optional ``caption`` to a form."""

    files = EvidenceFilesField()
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class EvidenceUploadForm(EvidenceUploadMixin, forms.Form):
    """Files alone, for an upload card on a record's page; at least one file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = True
