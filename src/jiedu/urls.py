from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("jiedu.dashboard.urls")),
    path("accounts/", include("jiedu.accounts.urls")),
    path("", include("jiedu.organisation.urls")),
    path("", include("jiedu.people.urls")),
    path("audit/", include("jiedu.audit.urls")),
    path("epidemic/", include("jiedu.epidemic.urls")),
    path("gate/", include("jiedu.gatelog.urls")),
    path("health/", include("jiedu.health.urls")),
    path("environment/", include("jiedu.environment.urls")),
    path("isolation/", include("jiedu.isolation.urls")),
    path("standby/", include("jiedu.standby.urls")),
    path("overseas/", include("jiedu.overseas.urls")),
    path("leave/", include("jiedu.staffleave.urls")),
    path("screening/", include("jiedu.screening.urls")),
    path("crosscheck/", include("jiedu.crosscheck.urls")),
    path("standards/", include("jiedu.standards.urls")),
    path("supervision/", include("jiedu.supervision.urls")),
    path("evidence/", include("jiedu.evidence.urls")),
    path("findings/", include("jiedu.findings.urls")),
    path("hygiene/", include("jiedu.hygiene.urls")),
    path("assessment/", include("jiedu.assessment.urls")),
    path("privacy/", include("jiedu.privacy.urls")),
    path("administration/", include("jiedu.administration.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("jiedu.api.urls")),
    path("healthz", healthz, name="healthz"),
]

# Generic error answers: templates for pages, JSON for /api/ (common/error_views.py).
handler400 = "jiedu.common.error_views.bad_request"
handler403 = "jiedu.common.error_views.permission_denied"
handler404 = "jiedu.common.error_views.page_not_found"
handler500 = "jiedu.common.error_views.server_error"
