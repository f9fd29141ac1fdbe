from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.common.pages import call_service
from jiedu.epidemic import selectors, services
from jiedu.epidemic.forms import PolicyForm
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope


def policy_list(request):
    """Today's rules for each facility, the history of changes, and (for managers) a form."""
    today = timezone.localdate()
    facilities = list(narrowed(request, Facility.objects.visible_to(request.user), field="pk"))
    book = selectors.PolicyBook(f.pk for f in facilities)
    for facility in facilities:
        facility.policy = book.policy(facility.pk, today)
    may_manage = facility_scope(request.user, roles.MANAGE_ORGANISATION) != set()
    form = PolicyForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        row = call_service(form, services.set_policy, actor=request.user, **form.cleaned_data)
        if row is not None:
            messages.success(request, _("The policy change is recorded."))
            return redirect("epidemic:policy_list")
    history = selectors.policy_history(request.user)
    return render(
        request,
        "epidemic/policy_list.html",
        {"facilities": facilities, "history": history[:100], "form": form, "today": today},
        status=400 if request.method == "POST" else 200,
    )
