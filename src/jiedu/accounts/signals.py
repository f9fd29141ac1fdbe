"""Django's and axes' login signals → the session index and the audit trail (connected in apps.py)."""

from jiedu.accounts import sessions


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.record_login(request, user)


def on_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)
