from django.contrib.auth import views as auth_views
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiedu.organisation.scoping import active_memberships


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def switch_facility(request):
    """Choose which facility the pages show; empty means every facility the user may see."""
    raw = request.POST.get("facility", "")
    allowed = {str(m.facility_id) for m in active_memberships(request.user) if m.facility_id}
    if raw and raw not in allowed:
        return HttpResponseBadRequest()
    if raw:
        request.session["active_facility_id"] = int(raw)
    else:
        request.session.pop("active_facility_id", None)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)
