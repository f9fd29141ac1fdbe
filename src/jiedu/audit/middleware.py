"""Pages audit refused actions the way the API does (its exception handler records them)."""

from jiedu.audit.services import record_denial
from jiedu.common.errors import AccessDenied


class DeniedActionAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Runs after the view's transaction rolled back, so the denial row is kept.
        if isinstance(exception, AccessDenied):
            record_denial(actor=request.user, action=exception.action, facility_id=exception.facility_id)
        return None  # Django answers 403 as usual
