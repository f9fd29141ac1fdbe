from django import forms
from django.utils.translation import gettext_lazy as _

from jiedu.organisation.models import Facility
from jiedu.organisation.roles import ADMIN_ROLES, Role

# The system administrator grants business roles only; administrators are appointed at deployment.
GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=64, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("At least 12 characters; the user changes it at first use."),
    )


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_ROLES)
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Whole bureau"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Facility names are organisation data, which the system administrator may read.
        self.fields["facility"].queryset = Facility.objects.visible_to(user)


class MembershipForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)


class AccountForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
