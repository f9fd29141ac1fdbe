"""Language choice: pages are Chinese unless the user picked English; the API follows Accept-Language.

Browsers on the intranet often send en-US even for Chinese users, so pages ignore the header
and read only the language cookie set by the switcher. API clients say what they want.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class JieduLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
