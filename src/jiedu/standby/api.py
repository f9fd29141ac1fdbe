from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.errors import domain_error_body
from jiedu.organisation import roles
from jiedu.organisation.models import Facility, Zone
from jiedu.people.models import Staff
from jiedu.standby import selectors, services
from jiedu.standby.models import NucleicAcidTest, StandbyMember, StandbyPolicy, StandbyShift


class StaffField(ScopedRelatedField):
    """Staff the caller may see for health purposes (medical staff do not hold the staff-records role)."""

    def __init__(self, **kwargs):
        super().__init__(Staff, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Staff.objects.visible_to(request.user if request else None, roles.VIEW_STAFF_HEALTH)


class StandbyMemberListSerializer(serializers.ListSerializer):
    """Works out every listed member's clearance with one query for all their tests."""

    def to_representation(self, data):
        members = list(data.all() if hasattr(data, "all") else data)
        self.child.clearances = selectors.member_clearances(members)
        return super().to_representation(members)


class StandbyMemberSerializer(serializers.ModelSerializer):
    cleared = serializers.SerializerMethodField(help_text=_("Cleared for duty now (or when duty started)."))
    not_cleared_reasons = serializers.SerializerMethodField(help_text=_("Why not, as codes."))

    class Meta:
        model = StandbyMember
        fields = ["id", "facility", "shift", "staff", "duty_started_at", "cleared", "not_cleared_reasons"]
        read_only_fields = fields
        list_serializer_class = StandbyMemberListSerializer

    def _verdict(self, obj):
        clearances = getattr(self, "clearances", None)
        if clearances is not None and obj.pk in clearances:
            return clearances[obj.pk]
        return selectors.member_clearance(obj, obj.duty_started_at)

    def get_cleared(self, obj) -> bool:
        return self._verdict(obj).cleared

    def get_not_cleared_reasons(self, obj) -> list[str]:
        return list(self._verdict(obj).reasons)


class StandbyShiftSerializer(serializers.ModelSerializer):
    planned_duty_on = serializers.DateField(read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = StandbyShift
        fields = [
            "id", "facility", "zone", "starts_on", "standby_days", "required_negative_tests",
            "planned_duty_on", "members", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_members(self, obj) -> list[dict]:
        return [
            {"id": m.pk, "staff": m.staff_id, "duty_started_at": m.duty_started_at} for m in obj.members.all()
        ]


class StandbyShiftCreateSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    zone = ScopedRelatedField(Zone)
    starts_on = serializers.DateField()
    staff = serializers.ListField(child=StaffField(), required=False)


class StandbyShiftViewSet(ScopedModelViewSet):
    """Shifts take their length from the standby policy in force on their first day."""

    model = StandbyShift
    serializer_class = StandbyShiftSerializer
    create_serializer_class = StandbyShiftCreateSerializer
    filterset_fields = ["facility", "zone", "starts_on"]
    related = ("facility", "zone")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")

    def perform_service_create(self, data):
        return services.create_shift(actor=self.request.user, **data)


class StandbyMemberCreateSerializer(serializers.Serializer):
    shift = ScopedRelatedField(StandbyShift)
    staff = StaffField()


class StandbyMemberViewSet(ScopedModelViewSet):
    """Members are added to a shift (POST) and put on duty through the duty gate (start-duty)."""

    model = StandbyMember
    serializer_class = StandbyMemberSerializer
    create_serializer_class = StandbyMemberCreateSerializer
    filterset_fields = ["facility", "shift", "staff"]
    related = ("shift", "staff")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.add_member(actor=self.request.user, **data)

    @action(detail=True, methods=["post"], url_path="start-duty")
    def start_duty(self, request, pk=None):
        """400 with the reasons (codes and words) when the duty gate does not clear the person."""
        member = self.get_object()
        try:
            member = services.start_duty(actor=request.user, member=member)
        except services.NotCleared as exc:
            return Response({**domain_error_body(exc), "reasons": list(exc.reasons)}, status=400)
        return self.output(member)


class NucleicAcidTestSerializer(serializers.ModelSerializer):
    class Meta:
        model = NucleicAcidTest
        fields = [
            "id", "facility", "staff", "sample_taken_at", "test_kind", "result", "laboratory", "recorded_by",
            "corrects", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class NucleicAcidTestCreateSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    staff = StaffField()
    corrects = ScopedRelatedField(NucleicAcidTest, required=False, allow_null=True)

    class Meta:
        model = NucleicAcidTest
        fields = ["facility", "staff", "sample_taken_at", "test_kind", "result", "laboratory", "corrects"]
        validators = []


class NucleicAcidTestViewSet(ScopedModelViewSet):
    """Tests are appended, never edited: a correction is a new test pointing at the old one."""

    model = NucleicAcidTest
    serializer_class = NucleicAcidTestSerializer
    create_serializer_class = NucleicAcidTestCreateSerializer
    filterset_fields = ["facility", "staff", "result", "test_kind"]
    related = ("facility", "staff", "recorded_by")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_test(actor=self.request.user, **data)


class StandbyPolicySerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility, required=False, allow_null=True)
    standby_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=60)
    required_negative_tests = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)

    class Meta:
        model = StandbyPolicy
        fields = [
            "id", "facility", "effective_from", "standby_days", "required_negative_tests", "note", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_by", "created_at"]
        validators = []


class StandbyPolicyViewSet(ScopedModelViewSet):
    """Standby rules are appended, never edited: a change is a new row with a later date."""

    model = StandbyPolicy
    serializer_class = StandbyPolicySerializer
    filterset_fields = ["facility", "effective_from"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.set_standby_policy(actor=self.request.user, **data)


routes = [
    ("standby-shifts", StandbyShiftViewSet, "standby-shift"),
    ("standby-members", StandbyMemberViewSet, "standby-member"),
    ("nucleic-acid-tests", NucleicAcidTestViewSet, "nucleic-acid-test"),
    ("standby-policies", StandbyPolicyViewSet, "standby-policy"),
]
