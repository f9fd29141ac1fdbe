from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from jiedu.organisation.api import (
    DepartmentViewSet,
    FacilityViewSet,
    RoomViewSet,
    StationViewSet,
    ZoneViewSet,
)
from jiedu.people.api import ResidentViewSet, StaffViewSet

app_name = "api"

router = DefaultRouter()
router.register("facilities", FacilityViewSet, basename="facility")
router.register("departments", DepartmentViewSet, basename="department")
router.register("zones", ZoneViewSet, basename="zone")
router.register("rooms", RoomViewSet, basename="room")
router.register("stations", StationViewSet, basename="station")
router.register("staff", StaffViewSet, basename="staff")
router.register("residents", ResidentViewSet, basename="resident")

# Domain apps declare their endpoints as ``routes = [(prefix, viewset, basename), ...]`` in api.py.
for config in apps.get_app_configs():
    if config.name.startswith("jiedu.") and config.label not in {"organisation", "people", "api"}:
        if find_spec(f"{config.name}.api") is not None:
            for prefix, viewset, basename in getattr(import_module(f"{config.name}.api"), "routes", ()):
                router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
if settings.JIEDU_API_DOCS:
    # Development only (production: 404). The split view serves its start-up script from a URL, so
    # the page runs under the CSP without inline script.
    docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
    urlpatterns.insert(1, path("docs/", docs, name="docs"))
