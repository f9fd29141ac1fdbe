"""URLconf for CFG-03: the real one plus views that fail, as a bug or a refusal would."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path
from rest_framework.decorators import api_view

from jiedu.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the real error handlers)

SECRET_IN_MESSAGE = "internal-detail-7f3a: password=hunter2 at /srv/jiedu/settings.py"


def page_that_raises(request):
    raise RuntimeError(SECRET_IN_MESSAGE)


@api_view(["GET"])
def api_that_raises(request):
    raise RuntimeError(SECRET_IN_MESSAGE)


def page_that_refuses(request):
    raise PermissionDenied(SECRET_IN_MESSAGE)


urlpatterns = [
    path("boom/", page_that_raises),
    path("api/v1/boom/", api_that_raises),
    path("refused/", page_that_refuses),
    path("", include("jiedu.urls")),
]
