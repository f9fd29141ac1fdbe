"""The API's side of idempotent submissions (``common/idempotency.py``): a POST sent with an
``Idempotency-Key`` header takes effect once; a retry gets the first answer again with
``Idempotency-Replayed: true``; the same key with another body is 422."""

from __future__ import annotations

import json
from functools import partial

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from jiedu.common import idempotency

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_KEY_LENGTH = idempotency.MAX_KEY_LENGTH


def _keep(response) -> tuple[str, str] | None:
    if not status.is_success(response.status_code):
        return None
    return "application/json", JSONRenderer().render(response.data).decode()


def _replay(stored) -> Response:
    return Response(json.loads(stored.response_body), status=stored.status_code, headers={REPLAYED_HEADER: "true"})


def _conflict() -> Response:
    return Response({"detail": idempotency.reused_key_message()}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def run_once(handler, request, *args, **kwargs):
    key = request.headers[HEADER]
    problem = idempotency.key_problem(key)
    if problem:
        raise ValidationError({HEADER: [problem]})
    return idempotency.run_once(
        user=request.user, key=key, method=request.method, path=request.path,
        digest=idempotency.fingerprint(request.method, request.get_full_path(), request.data),
        run=lambda: handler(request, *args, **kwargs), keep=_keep, replay=_replay, conflict=_conflict,
    )  # fmt: skip


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
