"""API: isolation stays (admit, end, transfer), pre-release items and hand-overs, and releases."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.errors import NON_FIELD
from jiedu.api.idempotency import IdempotentPosts
from jiedu.isolation import release_services, services
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.organisation.models import Room
from jiedu.people.api import MaskedPhoneMixin
from jiedu.people.models import Resident

# --- Isolation stays -------------------------------------------------------------------------


class IsolationStaySerializer(serializers.ModelSerializer):
    class Meta:
        model = IsolationStay
        fields = [
            "id", "facility", "resident", "room", "single_occupancy", "reason", "started_at", "planned_end",
            "ended_at", "end_reason", "previous_stay", "return_zone", "return_room", "started_by", "ended_by", "note",
        ]  # fmt: skip
        read_only_fields = fields


class StayAdmitSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    room = ScopedRelatedField(Room)
    reason = serializers.ChoiceField(choices=IsolationStay.Reason.choices)
    planned_end = serializers.DateField(required=False, allow_null=True)
    started_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Default: now."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class StayEndSerializer(serializers.Serializer):
    end_reason = serializers.ChoiceField(choices=IsolationStay.EndReason.choices)
    ended_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Default: now."))


class StayTransferSerializer(serializers.Serializer):
    room = ScopedRelatedField(Room)
    at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Default: now."))


class IsolationStayFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        field_name="ended_at", lookup_expr="isnull", label=_("Open stays only")
    )

    class Meta:
        model = IsolationStay
        fields = ["facility", "resident", "room", "reason", "open"]


class IsolationStayViewSet(ScopedModelViewSet):
    """Stays are opened (POST), ended or transferred through their actions; never edited."""

    model = IsolationStay
    serializer_class = IsolationStaySerializer
    create_serializer_class = StayAdmitSerializer
    filterset_class = IsolationStayFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.admit_to_isolation(actor=self.request.user, **data)

    @extend_schema(request=StayEndSerializer, responses=IsolationStaySerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        stay = self.get_object()
        data = StayEndSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self.output(services.end_stay(actor=request.user, stay=stay, **data.validated_data))

    @extend_schema(request=StayTransferSerializer, responses={201: IsolationStaySerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        stay = self.get_object()
        data = StayTransferSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        new_stay = services.transfer_stay(actor=request.user, stay=stay, **data.validated_data)
        return self.output(new_stay, status.HTTP_201_CREATED)


# --- Pre-release items and hand-overs --------------------------------------------------------


class _Replaced(serializers.Serializer):
    replaced_by = serializers.SerializerMethodField(
        help_text=_("The newer record that replaced this one, if any.")
    )

    def get_replaced_by(self, obj) -> int | None:
        newer = getattr(obj, "replaced_by", None)
        return newer.pk if newer else None


class PreReleaseItemSerializer(_Replaced, serializers.ModelSerializer):
    class Meta:
        model = PreReleaseItem
        fields = [
            "id", "facility", "resident", "item", "done_on", "performed_by", "summary", "fit_for_release",
            "replaces", "replaced_by", "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class PreReleaseItemCreateSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    item = serializers.ChoiceField(choices=PreReleaseItem.Item.choices)
    done_on = serializers.DateField()
    performed_by = serializers.CharField(required=False, allow_blank=True, max_length=40)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=500)
    fit_for_release = serializers.BooleanField(required=False, allow_null=True, default=None)


class _CurrentFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(
        field_name="replaced_by", lookup_expr="isnull", label=_("Only records not replaced by a newer one")
    )


class PreReleaseItemFilter(_CurrentFilter):
    class Meta:
        model = PreReleaseItem
        fields = ["facility", "resident", "item", "current"]


class PreReleaseItemViewSet(ScopedModelViewSet):
    """Recording an item again replaces the previous record; both are kept."""

    model = PreReleaseItem
    serializer_class = PreReleaseItemSerializer
    create_serializer_class = PreReleaseItemCreateSerializer
    filterset_class = PreReleaseItemFilter
    related = ("replaced_by",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return release_services.record_item(actor=self.request.user, **data)


class HandoverSerializer(_Replaced, MaskedPhoneMixin, serializers.ModelSerializer):
    class Meta:
        model = Handover
        fields = [
            "id", "facility", "resident", "receiver", "name", "unit", "phone", "handed_over_at", "replaces",
            "replaced_by", "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class HandoverCreateSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    receiver = serializers.ChoiceField(choices=Handover.Receiver.choices)
    name = serializers.CharField(max_length=40)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phone = serializers.CharField(max_length=20, write_only=True)
    handed_over_at = serializers.DateTimeField()


class HandoverFilter(_CurrentFilter):
    class Meta:
        model = Handover
        fields = ["facility", "resident", "receiver", "current"]


class HandoverViewSet(ScopedModelViewSet):
    """One hand-over per receiver; recording a receiver again replaces the previous record."""

    model = Handover
    serializer_class = HandoverSerializer
    create_serializer_class = HandoverCreateSerializer
    filterset_class = HandoverFilter
    related = ("replaced_by",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return release_services.record_handover(actor=self.request.user, **data)


# --- Releases --------------------------------------------------------------------------------


class ReleaseSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Default: now."))


class ReleasedSerializer(serializers.Serializer):
    resident = serializers.IntegerField()
    status = serializers.CharField()
    left_at = serializers.DateTimeField()


class MissingItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ReleaseRefusedSerializer(serializers.Serializer):
    """The 400 answer: what is still missing, or (for malformed input) the usual field errors."""

    missing = MissingItemSerializer(many=True, required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class ReleaseViewSet(IdempotentPosts, viewsets.ViewSet):
    """Release a resident: 201 once every pre-release item and hand-over is done, else 400 with
    the list of what is missing (codes and sentences)."""

    @extend_schema(
        request=ReleaseSerializer, responses={201: ReleasedSerializer, 400: ReleaseRefusedSerializer}
    )
    def create(self, request):
        data = ReleaseSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            resident = release_services.release_resident(actor=request.user, **data.validated_data)
        except release_services.ReleaseIncomplete as refusal:
            body = {
                "missing": [
                    {"code": code, "label": label}
                    for code, label in zip(refusal.missing, refusal.reasons, strict=True)
                ],
                NON_FIELD: [str(refusal.message)],
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = {"resident": resident.pk, "status": resident.status, "left_at": resident.left_at}
        return Response(ReleasedSerializer(body).data, status=status.HTTP_201_CREATED)


routes = [
    ("isolation-stays", IsolationStayViewSet, "isolation-stay"),
    ("prerelease-items", PreReleaseItemViewSet, "prerelease-item"),
    ("handovers", HandoverViewSet, "handover"),
    ("releases", ReleaseViewSet, "release"),
]
