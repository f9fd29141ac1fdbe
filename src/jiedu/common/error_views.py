"""Error answers for requests Django refuses before any view runs (no such URL, an unhandled error).

Pages get the generic Chinese-first templates (templates/404.html, 500.html, ...); API paths get
JSON in the API's error shape (``{"detail": ...}``), as an API client expects, never an HTML page.
Neither shows the exception, the URL patterns or a setting (CFG-03).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Server error. Please try again later.")}, status=500)
    return defaults.server_error(request)
