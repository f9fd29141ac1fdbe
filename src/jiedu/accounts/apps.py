from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiedu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        from jiedu.accounts import lockout, signals

        auth_signals.user_logged_in.connect(signals.on_login, dispatch_uid="jiedu-accounts-login")
        auth_signals.user_logged_out.connect(signals.on_logout, dispatch_uid="jiedu-accounts-logout")
        user_locked_out.connect(lockout.on_user_locked_out, dispatch_uid="jiedu-accounts-locked-out")
