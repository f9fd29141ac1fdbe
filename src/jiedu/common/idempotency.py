"""Submissions that take effect once, however often a client sends them.

Tablets and phones on shaky intranet links resend a round, a gate event or a daily report when the
answer is lost, and people tap "submit" twice. A submission carries a key the client chose (the API's
``Idempotency-Key`` header, or the hidden ``submission_key`` of a page's form); the first request
under a key stores its answer in the same transaction as the records it creates, and every retry with
the same key and the same content gets that answer again and creates nothing. The same key with other
content is refused (422).

Concurrent retries meet at the key's unique index: the second waits for the first transaction
(PostgreSQL blocks on the index entry, SQLite's IMMEDIATE transactions on the write lock), then finds
the stored answer. A server killed mid-request commits neither the records nor the key, so the retry
runs afresh. Refused submissions (anything but 2xx and redirects) store nothing: they created nothing,
and the client may correct and resend under the same key.

This module holds what the API and the pages share; ``api/idempotency.py`` and ``idempotent_form``
below adapt it to each.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.models import IdempotencyKey

MAX_KEY_LENGTH = 255
# Visible ASCII only: a key is an opaque token (a UUID in practice), and HTTP headers carry no more.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_KEY_LENGTH)
FORM_FIELD = "submission_key"


def key_problem(key: str) -> str | None:
    if not KEY_PATTERN.fullmatch(key):
        return _("An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID, for example).")
    return None


def reused_key_message() -> str:
    return _("This Idempotency-Key was already used for a different request.")


def fingerprint(method: str, full_path: str, fields: Any) -> str:
    """SHA-256 of what makes two submissions the same: method, path with query, and content.

    ``fields`` is either a QueryDict-like object (forms and uploads: each field's values, and the
    bytes of each file) or parsed JSON (compared by content, so key order does not matter).
    """
    digest = hashlib.sha256(f"{method}\0{full_path}\0".encode())
    if hasattr(fields, "lists"):
        for name, values in sorted(fields.lists(), key=lambda item: item[0]):
            if name in {FORM_FIELD, "csrfmiddlewaretoken"}:
                continue  # the key itself, and a token that changes from page to page
            for value in values:
                digest.update(f"{name}\0".encode())
                if isinstance(value, UploadedFile):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{value}\0".encode())
    else:
        digest.update(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


class _Refused(Exception):
    """Carries a refused answer out of the transaction, so that it rolls back and stores nothing."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def run_once(
    *, user, key: str, method: str, path: str, digest: str,
    run: Callable[[], Any], keep: Callable[[Any], tuple[str, str] | None],
    replay: Callable[[IdempotencyKey], Any], conflict: Callable[[], Any],
):  # fmt: skip
    """Run ``run()`` once per (user, key).

    ``keep(response)`` returns (content type, body) to store, or None for an answer that must not be
    kept (a refusal); ``replay(stored)`` rebuilds the first answer; ``conflict()`` answers a key
    reused for other content.
    """
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=user, key=key, method=method, path=path[:500], fingerprint=digest,
                        status_code=0, content_type="", response_body="",
                    )  # fmt: skip
            except IntegrityError:
                # An earlier try, or a concurrent one that has now committed, holds the key.
                stored = IdempotencyKey.objects.get(user=user, key=key)
                return replay(stored) if stored.fingerprint == digest else conflict()
            response = run()
            kept = keep(response)
            if kept is None:
                raise _Refused(response)
            claim.status_code = response.status_code
            claim.content_type, claim.response_body = kept
            claim.save(update_fields=["status_code", "content_type", "response_body"])
            return response
    except _Refused as refused:
        return refused.response


def purge_idempotency_keys(*, now: datetime.datetime | None = None) -> int:
    """Forget answers older than JIEDU_IDEMPOTENCY_KEY_DAYS; returns how many were removed.

    A retry arriving later than that runs again as a new submission, so the retention must cover
    the longest a tablet may stay offline with unsent work.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.JIEDU_IDEMPOTENCY_KEY_DAYS)
    removed, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return removed


# --- Pages ---------------------------------------------------------------------------------------


def new_submission_key() -> str:
    return str(uuid.uuid4())


def _keep_page_answer(response) -> tuple[str, str] | None:
    if isinstance(response, HttpResponseRedirect):
        return "redirect", response["Location"]
    if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response.get("Content-Type", "text/html"), response.content.decode(response.charset)
    return None


def _replay_page_answer(stored: IdempotencyKey):
    if stored.content_type == "redirect":
        response = HttpResponseRedirect(stored.response_body)
    else:
        response = HttpResponse(stored.response_body, status=stored.status_code, content_type=stored.content_type)
    response["Idempotency-Replayed"] = "true"
    return response


def idempotent_form(view):
    """For page views whose form carries ``{% submission_key %}``: a second POST of the same filled
    form (a double tap, a browser resend) answers like the first and records nothing more."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.POST.get(FORM_FIELD, "") if request.method == "POST" else ""
        if not key or not request.user.is_authenticated or key_problem(key):
            return view(request, *args, **kwargs)
        fields = request.POST.copy()
        for name, files in request.FILES.lists():
            fields.setlist(name, files)
        return run_once(
            user=request.user, key=key, method=request.method, path=request.path,
            digest=fingerprint(request.method, request.get_full_path(), fields),
            run=lambda: view(request, *args, **kwargs), keep=_keep_page_answer, replay=_replay_page_answer,
            conflict=lambda: HttpResponse(reused_key_message(), status=422, content_type="text/plain; charset=utf-8"),
        )  # fmt: skip

    return wrapper
