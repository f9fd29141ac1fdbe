import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import VersionInput
from jiedu.organisation.models import Department, Facility, Room, Zone
from jiedu.people import presentation, services
from jiedu.people.models import Resident, Staff
from jiedu.people.selectors import search_people
from jiedu.privacy.api import AccessLoggedRetrieveMixin, SeesSomeRecords

ALWAYS_MASKED = _("Always masked; the full number only through the logged reveal step.")


class _MaskedIdentifiers(serializers.Serializer):
    id_number = serializers.SerializerMethodField(help_text=ALWAYS_MASKED)

    def get_id_number(self, obj) -> str:
        return presentation.shown_id_number(self.context["request"].user, obj)


class MaskedPhoneMixin(serializers.Serializer):
    """``phone``, always masked; the full number only through the logged reveal step."""

    phone = serializers.SerializerMethodField(help_text=ALWAYS_MASKED)

    def get_phone(self, obj) -> str:
        return presentation.shown_phone(self.context["request"].user, obj)


class ResidentSerializer(_MaskedIdentifiers, serializers.ModelSerializer):
    class Meta:
        model = Resident
        fields = [
            "id", "facility", "file_number", "name", "sex", "ethnicity", "id_number", "deciding_organ",
            "decision_number", "decision_date", "term_start", "term_end", "current_zone", "current_room", "status",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class ResidentAdmitSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    id_number = serializers.CharField(max_length=30, write_only=True)
    current_zone = ScopedRelatedField(Zone, required=False, allow_null=True)
    current_room = ScopedRelatedField(Room, required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Resident
        fields = [
            "facility", "id_number", "file_number", "name", "sex", "ethnicity", "deciding_organ",
            "decision_number", "decision_date", "term_start", "term_end", "current_zone", "current_room",
        ]  # fmt: skip
        validators = []


class ResidentUpdateSerializer(VersionInput, serializers.ModelSerializer):
    current_zone = ScopedRelatedField(Zone, required=False, allow_null=True)
    current_room = ScopedRelatedField(Room, required=False, allow_null=True)

    class Meta:
        model = Resident
        fields = [*sorted(services.RESIDENT_EDITABLE), "version"]
        validators = []


class _PeopleFilter(django_filters.FilterSet):
    """``q`` searches names and numbers, and whole ID or phone numbers through the blind index."""

    q = django_filters.CharFilter(method="search")

    def search(self, queryset, name, value):
        return search_people(queryset, value)


class ResidentFilter(_PeopleFilter):
    q = django_filters.CharFilter(method="search", label=_("Name, file number or full ID number"))

    class Meta:
        model = Resident
        fields = ["facility", "current_zone", "status", "sex"]


class ResidentViewSet(AccessLoggedRetrieveMixin, ScopedModelViewSet):
    model = Resident
    permission_classes = [*ScopedModelViewSet.permission_classes, SeesSomeRecords]
    serializer_class = ResidentSerializer
    create_serializer_class = ResidentAdmitSerializer
    update_serializer_class = ResidentUpdateSerializer
    filterset_class = ResidentFilter

    def perform_service_create(self, data):
        return services.admit_resident(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_resident(
            actor=self.request.user, resident=instance, expected_version=expected_version, **data
        )


class StaffSerializer(_MaskedIdentifiers, MaskedPhoneMixin, serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = [
            "id", "facility", "department", "kind", "police_number", "name", "sex", "position", "is_leadership",
            "id_number", "phone", "status", "version",
        ]  # fmt: skip
        read_only_fields = fields


class StaffCreateSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    department = ScopedRelatedField(Department, required=False, allow_null=True)
    id_number = serializers.CharField(max_length=30, write_only=True)
    phone = serializers.CharField(max_length=20, write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Staff
        fields = [
            "facility", "department", "kind", "police_number", "name", "sex", "position", "is_leadership",
            "id_number", "phone", "status",
        ]  # fmt: skip
        validators = []


class StaffUpdateSerializer(VersionInput, serializers.ModelSerializer):
    department = ScopedRelatedField(Department, required=False, allow_null=True)
    phone = serializers.CharField(max_length=20, write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Staff
        fields = [*sorted(services.STAFF_EDITABLE), "version"]
        validators = []


class StaffFilter(_PeopleFilter):
    q = django_filters.CharFilter(method="search", label=_("Name, police number, full ID or phone number"))

    class Meta:
        model = Staff
        fields = ["facility", "department", "status", "is_leadership"]


class StaffViewSet(AccessLoggedRetrieveMixin, ScopedModelViewSet):
    model = Staff
    permission_classes = [*ScopedModelViewSet.permission_classes, SeesSomeRecords]
    serializer_class = StaffSerializer
    create_serializer_class = StaffCreateSerializer
    update_serializer_class = StaffUpdateSerializer
    filterset_class = StaffFilter

    def perform_service_create(self, data):
        return services.create_staff(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_staff(
            actor=self.request.user, staff=instance, expected_version=expected_version, **data
        )
