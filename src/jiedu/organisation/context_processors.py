from jiedu.organisation import roles
from jiedu.organisation.scoping import active_memberships, facility_scope


def navigation(request):
    """Memberships for the facility switcher, and which menu entries this user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mine = active_memberships(user)
    return {
        "memberships": mine,
        "switchable_facilities": [m.facility for m in mine if m.facility_id],
        "active_facility_id": request.session.get("active_facility_id"),
        "nav": {
            "residents": facility_scope(user, roles.VIEW_RESIDENTS) != set(),
            "staff": facility_scope(user, roles.VIEW_STAFF) != set(),
            "stations": facility_scope(user, roles.VIEW_STATIONS) != set(),
            "audit": facility_scope(user, roles.VIEW_AUDIT) != set(),
            "epidemic": facility_scope(user, roles.VIEW_EPIDEMIC) != set(),
            "gate": facility_scope(user, roles.RECORD_GATE) != set(),
            "temperature": facility_scope(user, roles.RECORD_TEMPERATURE) != set(),
            "environment": facility_scope(user, roles.RECORD_ENVIRONMENT) != set(),
            "isolation": facility_scope(user, roles.MANAGE_ISOLATION) != set(),
            "staff_health": facility_scope(user, roles.VIEW_STAFF_HEALTH) != set(),
            "standards": facility_scope(user, roles.VIEW_STANDARDS) != set(),
            "supervision": facility_scope(user, roles.VIEW_SUPERVISION) != set(),
            # Staff members with a login report their own days on leave.
            "own_reports": hasattr(user, "staff_profile"),
        },
    }
