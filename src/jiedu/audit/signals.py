"""Logins and logouts go into the audit trail. Django announces them only through these signals."""

from jiedu.audit.models import AuditEvent
from jiedu.audit.services import record


def on_login(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", facility_id=None)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action="auth.logout", facility_id=None)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # The typed username is not kept: people sometimes type their password into that box.
    record(actor=None, action="auth.login_failed", facility_id=None, outcome=AuditEvent.Outcome.FAILED)
