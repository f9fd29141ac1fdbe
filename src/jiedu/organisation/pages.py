"""Page-side scoping helper: the facility switcher narrows lists further, never widens them."""


def narrowed(request, queryset, field: str = "facility_id"):
    """``queryset`` must already be ``visible_to(request.user)``."""
    facility_id = request.session.get("active_facility_id")
    if facility_id:
        return queryset.filter(**{field: facility_id})
    return queryset
