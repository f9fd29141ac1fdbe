"""Refuse the HTTP methods no page or endpoint uses (CFG-03).

TRACE echoes the request (cookies included) back to the caller, TRACK is IIS's alias for it, and
CONNECT asks the server to act as a proxy. A plain function view would otherwise treat them like
GET, so they are refused here, before login or routing, with 405 and the methods we do serve.
"""

from django.http import HttpResponseNotAllowed

REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
SERVED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class RefuseTraceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method.upper() in REFUSED_METHODS:
            return HttpResponseNotAllowed(SERVED_METHODS)
        return self.get_response(request)
