"""Idempotent submissions: a POST sent with an ``Idempotency-Key`` header takes effect once.

Tablets on shaky intranet links resend a round, a gate event or a daily report when the answer
is lost. The first request under a key stores its answer in the same transaction as the records
it creates; a retry with the same key and the same body gets that answer again (with
``Idempotency-Replayed: true``) and creates nothing; the same key with another body is 422.

Concurrent retries meet at the key's unique index: the second waits for the first transaction
(PostgreSQL blocks on the index entry, SQLite's IMMEDIATE transactions on the write lock), then
finds the stored answer. A server killed mid-request commits neither the records nor the key,
so the retry runs afresh. Refused submissions (4xx) store nothing: they created nothing, and the
client may correct and resend under the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from jiedu.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_KEY_LENGTH = 255
# Visible ASCII only: a key is an opaque token (a UUID in practice), and HTTP headers carry no more.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_KEY_LENGTH)


def key_problem(key: str) -> str | None:
    if not KEY_PATTERN.fullmatch(key):
        return _("An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID, for example).")
    return None


def fingerprint(request) -> str:
    """SHA-256 of what makes two submissions the same: method, path with query and body.

    JSON bodies are compared by content (key order does not matter); forms and uploads by their
    fields and the bytes of each file.
    """
    digest = hashlib.sha256()
    digest.update(f"{request.method}\0{request.get_full_path()}\0".encode())
    data = request.data
    if hasattr(data, "lists"):
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            for value in values:
                digest.update(f"{name}\0".encode())
                if isinstance(value, UploadedFile):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{value}\0".encode())
    else:
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


class _Refused(Exception):
    """Carries a non-2xx answer out of the transaction, so that it rolls back and stores nothing."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def _replay(*, user, key: str, digest: str) -> Response:
    stored = IdempotencyKey.objects.get(user=user, key=key)
    if stored.fingerprint != digest:
        return Response(
            {"detail": _("This Idempotency-Key was already used for a different request.")},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(json.loads(stored.response_body), status=stored.status_code, headers={REPLAYED_HEADER: "true"})


def run_once(handler, request, *args, **kwargs):
    key = request.headers[HEADER]
    problem = key_problem(key)
    if problem:
        raise ValidationError({HEADER: [problem]})
    digest = fingerprint(request)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=request.user, key=key, method=request.method, path=request.path[:500],
                        fingerprint=digest, status_code=0, response_body="",
                    )  # fmt: skip
            except IntegrityError:
                # Someone (an earlier try, or a concurrent one that has now committed) holds the key.
                return _replay(user=request.user, key=key, digest=digest)
            response = handler(request, *args, **kwargs)
            if not status.is_success(response.status_code):
                raise _Refused(response)
            claim.status_code = response.status_code
            claim.response_body = JSONRenderer().render(response.data).decode()
            claim.save(update_fields=["status_code", "response_body"])
            return response
    except _Refused as refused:
        return refused.response


class IdempotentPosts:
    """Mixed into every API view that accepts POST: the header is optional, and honoured when sent.

    The wrapping happens in ``initial``, after authentication and permission checks (a key belongs
    to a user) and before DRF looks up the handler, so creates and detail actions alike are covered.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "POST" and HEADER in request.headers and request.user.is_authenticated:
            handler = getattr(self, "post", None)
            if handler is not None:
                self.post = partial(run_once, handler)
