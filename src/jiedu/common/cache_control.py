"""``Cache-Control: no-store`` on every dynamic response (WEB-02, ASVS 14.3.2).

Pages and API answers carry personal data; neither the browser's disk cache nor a proxy on the
intranet may keep them, and the back button must not show a page after logout. Static files are
left alone: WhiteNoise answers them before this middleware and they hold nothing personal.
Placed near the top of MIDDLEWARE so redirects and refusals made by later middleware get it too.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            # Adds no-cache, no-store, must-revalidate, private and an Expires in the past.
            add_never_cache_headers(response)
        return response
