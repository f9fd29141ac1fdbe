"""``{% privacy_nav as pnav %}``: the menu entries of the administrators' and privacy pages, computed
from the same permission table as the pages themselves (the base menu's context processor is not ours)."""

from django import template

from jiedu.organisation.roles import VIEW_ACCESS_LOG
from jiedu.organisation.scoping import facility_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def privacy_nav(context):
    from jiedu.administration.views import duties
    from jiedu.privacy.selectors import may_request_exports

    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "administration": any(duties(user).values()),
        "access_log": facility_scope(user, VIEW_ACCESS_LOG) != set(),
        "approvals": may_request_exports(user),
    }
