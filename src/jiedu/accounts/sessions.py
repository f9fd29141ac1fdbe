"""Login sessions (ASVS 7.2.4, 7.3, 7.4): new keys at each step up, an absolute lifetime, and ending
all sessions of a login (logout elsewhere, a disabled account, the security administrator).

The idle timeout is Django's own: SESSION_COOKIE_AGE (30 min) renewed on every request
(SESSION_SAVE_EVERY_REQUEST); the database row expires with it.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from jiedu.accounts.models import UserSession

# When the password step succeeded (a Unix timestamp): the absolute lifetime counts from here.
LOGIN_AT_KEY = "jiedu_login_at"


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def record_login(request, user) -> None:
    """Called on ``user_logged_in``: remember the time and which login owns the new session key."""
    request.session[LOGIN_AT_KEY] = int(timezone.now().timestamp())
    if request.session.session_key is None:
        request.session.save()  # a brand-new store has no key until it is saved
    UserSession.objects.update_or_create(
        session_key=request.session.session_key, defaults={"user": user, "created_at": timezone.now()}
    )


def forget(session_key: str | None) -> None:
    """Called on ``user_logged_out``: Django deletes the session itself."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def cycle_key(request) -> None:
    """A new session key for the same session (after the second factor, a password change)."""
    old = request.session.session_key
    request.session.cycle_key()
    follow_key(old, request.session.session_key)


def follow_key(old: str | None, new: str | None) -> None:
    """Django changed the session key (``cycle_key``, ``update_session_auth_hash``): keep the index."""
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


def end_sessions(user, *, keep: str | None = None) -> int:
    """End every session of ``user`` except ``keep`` (the caller's own); returns how many ended."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    rows.delete()
    return len(keys)


def open_sessions(user) -> int:
    return UserSession.objects.filter(
        user=user,
        session_key__in=Session.objects.filter(expire_date__gt=timezone.now()).values("session_key"),
    ).count()


def prune() -> int:
    """Drop index rows whose session has expired or is gone (the scheduled job calls this)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    count, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return count


def outlived(request, now=None) -> bool:
    """True when the session is older than JIEDU_SESSION_ABSOLUTE_HOURS, however active it was."""
    login_at = request.session.get(LOGIN_AT_KEY)
    if login_at is None:  # a session from before this rule: it starts again
        return True
    now = now or timezone.now()
    return now.timestamp() - login_at > timedelta(hours=settings.JIEDU_SESSION_ABSOLUTE_HOURS).total_seconds()
