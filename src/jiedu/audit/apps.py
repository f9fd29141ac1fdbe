from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jiedu.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.contrib.auth import signals as auth_signals

        from jiedu.audit import maintenance, signals  # noqa: F401 - maintenance registers the SQLite function

        auth_signals.user_logged_in.connect(signals.on_login, dispatch_uid="jiedu-audit-login")
        auth_signals.user_logged_out.connect(signals.on_logout, dispatch_uid="jiedu-audit-logout")
        auth_signals.user_login_failed.connect(signals.on_login_failed, dispatch_uid="jiedu-audit-login-failed")
