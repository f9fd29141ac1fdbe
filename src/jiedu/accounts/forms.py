from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.validators import validate_ipv46_address
from django.utils.translation import gettext_lazy as _

from jiedu.accounts.models import User


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if len(token) != 6 or not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits shown in your authenticator app."))
        return token


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form: the current password first (ASVS 6.2.3), then the new one twice, validated."""


class UsernameForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no login with this username."))
        self.user = user
        return username


class UnlockForm(forms.Form):
    """A username's lock; the name need not exist (attackers lock names that do not)."""

    username = forms.CharField(label=_("Username"), max_length=150)


class UnblockAddressForm(forms.Form):
    ip_address = forms.CharField(label=_("IP address"), max_length=45, validators=[validate_ipv46_address])
