import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import VersionInput
from jiedu.common.localtime import local_day_bounds
from jiedu.environment import services
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation.models import Facility, Zone


class KeyAreaSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    zone = ScopedRelatedField(Zone, required=False, allow_null=True)

    class Meta:
        model = KeyArea
        fields = ["id", "facility", "name", "zone", "key_since", "key_until", "note", "version"]
        read_only_fields = ["id", "key_since", "key_until"]
        validators = []  # the current-name uniqueness is the service's (and the database's) job


class KeyAreaUpdateSerializer(VersionInput, KeyAreaSerializer):
    class Meta(KeyAreaSerializer.Meta):
        read_only_fields = ["id", "facility", "key_since", "key_until"]


class KeyAreaFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(label=_("Key area today"), method="filter_current")

    class Meta:
        model = KeyArea
        fields = ["facility", "zone"]

    def filter_current(self, queryset, name, value):
        current = queryset.key_on(timezone.localdate())
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class KeyAreaViewSet(ScopedModelViewSet):
    """Key areas: marked (POST), renamed or re-zoned (PATCH), unmarked from today on (POST …/unmark/)."""

    model = KeyArea
    serializer_class = KeyAreaSerializer
    update_serializer_class = KeyAreaUpdateSerializer
    related = ("zone",)
    filterset_class = KeyAreaFilter

    def perform_service_create(self, data):
        return services.create_key_area(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_key_area(
            actor=self.request.user, area=instance, expected_version=expected_version, **data
        )

    @extend_schema(request=None, responses=KeyAreaSerializer)
    @action(detail=True, methods=["post"])
    def unmark(self, request, pk=None):
        return self.output(services.unmark_key_area(actor=request.user, area=self.get_object()))


class EnvironmentRecordSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(KeyArea)

    class Meta:
        model = EnvironmentRecord
        fields = [
            "id", "facility", "area", "kind", "performed_at", "performed_by", "duration_minutes", "agent",
            "concentration", "note", "corrects", "is_retraction", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "facility", "performed_by", "corrects", "is_retraction", "created_at"]
        extra_kwargs = {"performed_at": {"required": False}}


class EnvironmentRecordCorrectionSerializer(serializers.Serializer):
    retract = serializers.BooleanField(label=_("Withdraw the record"), default=False)
    area = ScopedRelatedField(KeyArea, required=False)
    kind = serializers.ChoiceField(choices=EnvironmentRecord.Kind.choices, required=False)
    performed_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=720)
    agent = serializers.CharField(required=False, allow_blank=True, max_length=40)
    concentration = serializers.CharField(required=False, allow_blank=True, max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class EnvironmentRecordFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("From"), method="filter_from")
    date_to = django_filters.DateFilter(label=_("To"), method="filter_to")

    class Meta:
        model = EnvironmentRecord
        fields = ["facility", "area", "kind", "is_retraction"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(performed_at__gte=local_day_bounds(value)[0])

    def filter_to(self, queryset, name, value):
        return queryset.filter(performed_at__lt=local_day_bounds(value)[1])


class EnvironmentRecordViewSet(ScopedModelViewSet):
    """Append-only: records are listed and added; a correction (POST …/correct/) is a new row."""

    model = EnvironmentRecord
    serializer_class = EnvironmentRecordSerializer
    related = ("area",)
    filterset_class = EnvironmentRecordFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_environment(actor=self.request.user, **data)

    @extend_schema(
        request=EnvironmentRecordCorrectionSerializer, responses={201: EnvironmentRecordSerializer}
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        original = self.get_object()
        data = EnvironmentRecordCorrectionSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        row = services.correct_environment_record(
            actor=request.user, original=original, **data.validated_data
        )
        return self.output(row, status.HTTP_201_CREATED)


routes = [
    ("key-areas", KeyAreaViewSet, "key-area"),
    ("environment-records", EnvironmentRecordViewSet, "environment-record"),
]
