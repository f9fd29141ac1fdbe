from jiedu.organisation.scoping import active_memberships


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mine = active_memberships(user)
    return {
        "memberships": mine,
        "active_facility_id": request.session.get("active_facility_id"),
    }
