from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jiedu.audit import labels, services
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied
from jiedu.organisation import roles
from jiedu.organisation.pages import narrowed
from jiedu.organisation.scoping import facility_scope

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All outcomes")), *AuditEvent.Outcome.choices], required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def event_list(request):
    """Leaders read their facilities' trail; the page itself is read-only."""
    if facility_scope(request.user, roles.VIEW_AUDIT) == set():
        raise AccessDenied(roles.VIEW_AUDIT, None)  # audited, like every refused action
    form = AuditFilterForm(request.GET or None)
    events = narrowed(request, AuditEvent.objects.visible_to(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_username__icontains=data["actor"])
        if data["action"]:
            events = events.filter(action__icontains=data["action"])
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
        if data["since"]:
            events = events.filter(occurred_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(occurred_at__date__lte=data["until"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # Reading the trail is recorded too: the audit administrator's own actions are audited (等保 8.1.5.3).
    services.record(actor=request.user, action="audit.trail_viewed", facility_id=None)
    for event in page.object_list:
        event.action_label = labels.action_label(event.action)
        event.role_label = labels.role_label(event.role)
        event.target_label = labels.target_label(event.target_type)
        event.fields_label = labels.field_labels(event.target_type, event.changed_fields)
    return render(request, "audit/event_list.html", {"form": form, "page": page})
