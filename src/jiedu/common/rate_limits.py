"""Per-user rate limits on exports and searches (API-02, ASVS 2.4.1): bulk reads of personal data.

One mechanism for both interfaces: DRF's throttles. The API uses them as throttle classes; pages
use the ``rate_limited`` decorator, which runs the same throttle on a Django request. Both keep
their history under DRF's cache key ``throttle_<scope>_<user id>``, so an export from a page and
one from the API draw on the same budget. Rates are ``JIEDU_EXPORT_RATE`` / ``JIEDU_SEARCH_RATE``
("20/min"), read per request so that a settings override takes effect at once.

The history lives in the default cache (CACHES): with several worker processes, configure a shared
cache (JIEDU_CACHE_URL), or each worker counts on its own.
"""

from __future__ import annotations

import math
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from rest_framework import throttling

# Query parameters that make a list request a search (people lists and ledgers use ``q``).
SEARCH_PARAMETERS = ("q", "search")


def rate_for(scope: str) -> str:
    return getattr(settings, f"JIEDU_{scope.upper()}_RATE")


def is_search(query) -> bool:
    return any(query.get(name, "").strip() for name in SEARCH_PARAMETERS)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle (views declare ``throttle_scope = "export"``), with our rate settings."""

    def get_rate(self):
        return rate_for(self.scope)


class SearchRateThrottle(ScopedRateThrottle):
    """Every API request carrying a search term counts against the ``search`` scope.

    Declared globally, so a new list endpoint with ``?q=`` is limited without remembering to say so;
    requests without a search term are not counted.
    """

    def allow_request(self, request, view):
        if request.method != "GET" or not is_search(request.query_params):
            return True
        self.scope = "search"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return throttling.SimpleRateThrottle.allow_request(self, request, view)


class _PageThrottle(throttling.ScopedRateThrottle):
    """The scoped throttle for a plain Django view: the scope comes from the decorator, not a view class."""

    def __init__(self, scope: str):
        self.scope = scope
        self.rate = rate_for(scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view=None):
        return throttling.SimpleRateThrottle.allow_request(self, request, view)


def too_many_requests(request, wait_seconds: float | None):
    retry_after = max(1, math.ceil(wait_seconds or 1))
    # Rendered without the request: a refusal needs no navigation (and no database queries).
    response = HttpResponse(render_to_string("429.html", {"retry_after": retry_after}), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str, *, when=None):
    """Limit a page view to ``JIEDU_<SCOPE>_RATE`` requests per user.

    ``when(request)`` narrows which requests count (a list page counts only when it searches).
    The wrapper carries ``rate_limit_scope`` so tests can check that every export route has it.
    """

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if when is None or when(request):
                throttle = _PageThrottle(scope)
                if not throttle.allow_request(request):
                    return too_many_requests(request, throttle.wait())
            return view(request, *args, **kwargs)

        limited.rate_limit_scope = scope
        return limited

    return decorate


def searching(request) -> bool:
    """``when=`` for list pages: only a GET with a search term counts."""
    return request.method == "GET" and is_search(request.GET)
