from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jiedu.crosscheck import parsing


class UploadForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    dingtalk = forms.FileField(
        label=_("DingTalk check-in export (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=format_lazy(_("Columns: {}"), "、".join(v[0] for v in parsing.DINGTALK_HEADERS.values())),
    )
    healthcode = forms.FileField(
        label=_("Health-code list (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=format_lazy(_("Columns: {}"), "、".join(v[0] for v in parsing.HEALTHCODE_HEADERS.values())),
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities

    def _small_file(self, name):
        upload = self.cleaned_data[name]
        if upload.size > parsing.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean_dingtalk(self):
        return self._small_file("dingtalk")

    def clean_healthcode(self):
        return self._small_file("healthcode")
