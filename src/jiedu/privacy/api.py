"""API pieces for personal records: log each single-record read, refuse people who see none at all."""

from rest_framework import permissions
from rest_framework.response import Response

from jiedu.organisation.scoping import facility_scope
from jiedu.privacy.services import log_view


class SeesSomeRecords(permissions.BasePermission):
    """403 for a caller who may see this model in no facility (e.g. the three administrators),
    rather than an empty list: they have no business with personal records at all."""

    def has_permission(self, request, view):
        return facility_scope(request.user, view.model.view_action) != set()


class AccessLoggedRetrieveMixin:
    """``GET /<records>/{id}/`` writes one access-log row (PI-02), like opening the record's page."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()  # scoped: another facility's record is a 404, not logged here
        log_view(actor=request.user, subject=instance)
        return Response(self.get_serializer(instance).data)
