"""Per-request context (request id, client IP) that the audit trail and logs read."""

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("jiedu_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = _current.set(RequestContext(request_id=request_id, ip=request.META.get("REMOTE_ADDR")))
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


PUBLIC_PREFIXES = ("/accounts/login/", "/i18n/", "/static/", "/healthz")


class LoginRequiredMiddleware:
    """Pages require a login; the API answers 401/403 itself so API paths pass through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            not request.user.is_authenticated
            and not path.startswith("/api/")
            and not path.startswith(PUBLIC_PREFIXES)
        ):
            # Imported here: log_filters imports this module while logging is configured, before
            # the app registry (which auth's views need) is ready.
            from django.contrib.auth.views import redirect_to_login

            # redirect_to_login quotes ``next``, so a query string survives the round trip whole.
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
