from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import VersionInput
from jiedu.organisation import services
from jiedu.organisation.models import CommunityStation, Department, Facility, Room, Zone


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = [
            "id", "code", "name", "short_name", "level", "is_womens", "is_procuratorial_pilot",
            "is_illustrative", "address", "version",
        ]  # fmt: skip
        read_only_fields = ["id"]


class FacilityUpdateSerializer(VersionInput, FacilitySerializer):
    pass


class FacilityViewSet(ScopedModelViewSet):
    model = Facility
    serializer_class = FacilitySerializer
    update_serializer_class = FacilityUpdateSerializer
    filterset_fields = ["level", "is_womens", "is_procuratorial_pilot"]

    def perform_service_create(self, data):
        from jiedu.organisation.models import Bureau

        return services.create_facility(actor=self.request.user, bureau=Bureau.objects.get(), **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_facility(
            actor=self.request.user, facility=instance, expected_version=expected_version, **data
        )


class _ScopedViewSet(ScopedModelViewSet):
    def perform_service_create(self, data):
        return services.create_scoped(actor=self.request.user, model=self.model, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_scoped(
            actor=self.request.user, instance=instance, expected_version=expected_version, **data
        )


class DepartmentSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)

    class Meta:
        model = Department
        fields = ["id", "facility", "name", "kind", "is_active", "version"]
        validators = []  # uniqueness is the service's (and the database's) job


class DepartmentUpdateSerializer(VersionInput, DepartmentSerializer):
    pass


class DepartmentViewSet(_ScopedViewSet):
    model = Department
    serializer_class = DepartmentSerializer
    update_serializer_class = DepartmentUpdateSerializer
    filterset_fields = ["facility", "kind", "is_active"]


class ZoneSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)

    class Meta:
        model = Zone
        fields = ["id", "facility", "name", "zone_type", "is_active", "version"]
        validators = []


class ZoneUpdateSerializer(VersionInput, ZoneSerializer):
    pass


class ZoneViewSet(_ScopedViewSet):
    model = Zone
    serializer_class = ZoneSerializer
    update_serializer_class = ZoneUpdateSerializer
    filterset_fields = ["facility", "zone_type", "is_active"]


class RoomSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    zone = ScopedRelatedField(Zone)
    # Always present: a single room (GET by id, or the answer to a write) has no list annotation, and
    # the field used to go missing there although the schema promises it.
    occupants = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = [
            "id", "facility", "zone", "number", "capacity", "is_single_occupancy", "is_active",
            "deactivation_reason", "occupants", "version",
        ]  # fmt: skip
        read_only_fields = ["is_active", "deactivation_reason"]
        validators = []

    def get_occupants(self, room) -> int:
        from jiedu.organisation.selectors import occupancy

        return occupancy(room)


class RoomUpdateSerializer(VersionInput, RoomSerializer):
    pass


class RoomDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Deactivation reason"), max_length=200)


class RoomViewSet(_ScopedViewSet):
    model = Room
    serializer_class = RoomSerializer
    update_serializer_class = RoomUpdateSerializer
    related = ("zone",)
    filterset_fields = ["facility", "zone", "is_active", "is_single_occupancy"]

    def get_queryset(self):
        from jiedu.organisation.selectors import with_occupancy

        return with_occupancy(super().get_queryset()).order_by("facility_id", "zone_id", "number")

    @extend_schema(request=RoomDeactivateSerializer, responses=RoomSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        room = self.get_object()
        data = RoomDeactivateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.output(services.deactivate_room(actor=request.user, room=room, reason=data.validated_data["reason"]))


class StationSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)

    class Meta:
        model = CommunityStation
        fields = ["id", "facility", "name", "league_city", "banner_county", "address", "is_active", "version"]
        validators = []


class StationUpdateSerializer(VersionInput, StationSerializer):
    pass


class StationViewSet(_ScopedViewSet):
    model = CommunityStation
    serializer_class = StationSerializer
    update_serializer_class = StationUpdateSerializer
    filterset_fields = ["facility", "league_city", "is_active"]
