"""Base classes every API endpoint uses, so that scoping cannot be forgotten.

``ScopedModelViewSet`` lists ``model.objects.visible_to(user)`` and fetches single objects with
``get_visible_or_404``; writes go to the service named by the subclass. ``ScopedRelatedField``
accepts only related objects the caller may see, so a foreign id in a payload is a 400, not a leak.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from jiedu.api.idempotency import IdempotentPosts
from jiedu.api.input_checks import refuse_non_strings
from jiedu.organisation.scoping import get_visible_or_404


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    def __init__(self, model, **kwargs):
        self.model = model
        # DRF wants a queryset at class set-up; get_queryset below narrows it per request.
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user if request else None)

    def preload(self, values) -> None:
        """Fetch the visible objects among ``values`` in one query, for a list of rows that each
        name one (a round's residents); anything not found here is looked up as usual, so the
        answer and its errors are the same, only the query count changes."""
        ids = {int(v) for v in values if _plain_id(v)}
        self._preloaded = {obj.pk: obj for obj in self.get_queryset().filter(pk__in=ids)} if ids else {}

    def to_internal_value(self, data):
        preloaded = getattr(self, "_preloaded", None)
        if preloaded and _plain_id(data) and int(data) in preloaded:
            return preloaded[int(data)]
        return super().to_internal_value(data)


def _plain_id(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19


class OutputSchema(AutoSchema):
    """POST, PUT and PATCH answer with the view's output serializer (``output``), whatever their
    input serializer: the schema says so, and a 409's ``current`` has the same shape."""

    def get_response_serializers(self):
        if getattr(self.view, "action", None) in {"create", "update", "partial_update"}:
            return self.view.serializer_class
        return super().get_response_serializers()


class ScopedModelViewSet(
    IdempotentPosts,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Records are kept, not deleted: there is no DELETE (rooms and staff are deactivated instead)."""

    model = None
    create_serializer_class = None  # input of POST; defaults to serializer_class
    update_serializer_class = None  # input of PUT/PATCH; defaults to serializer_class
    related = ()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    schema = OutputSchema()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset

    def get_object(self):
        return get_visible_or_404(
            self.model.objects.select_related(*self.related) if self.related else self.model.objects.all(),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        if self.action in {"update", "partial_update"} and self.update_serializer_class:
            return self.update_serializer_class
        return self.serializer_class

    def output(self, instance, status_code=status.HTTP_200_OK):
        return Response(self.serializer_class(instance, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        refuse_non_strings(serializer, request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_create(dict(serializer.validated_data))
        return self.output(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """PUT and PATCH: the input carries the version the client read (``api.versions``)."""
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        refuse_non_strings(serializer, request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("version")
        instance = self.perform_service_update(instance, data, expected_version=expected_version)
        return self.output(instance)

    def current_state(self, instance) -> dict:
        """A record as GET shows it now: the body of a 409 for a stale version (``api.errors``)."""
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def perform_service_create(self, data):
        raise NotImplementedError

    def perform_service_update(self, instance, data, *, expected_version: int):
        raise NotImplementedError


class PostForActionsOnly:
    """For viewsets whose POST exists only for detail actions (accept, publish): no plain create,
    and the list route's ``Allow`` header does not offer POST."""

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed("POST")

    @property
    def allowed_methods(self):
        methods = super().allowed_methods
        return [m for m in methods if not (m == "POST" and self.action_map.get("post") == "create")]
