"""Temperature readings, whole zone rounds (all or nothing) and fever alerts over the API."""

from collections.abc import Mapping

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.api.base import PostForActionsOnly, ScopedModelViewSet, ScopedRelatedField
from jiedu.api.idempotency import IdempotentPosts
from jiedu.health import domain, services
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.organisation.models import Room, Zone
from jiedu.people.models import Resident


def temperature_field(**kwargs):
    return serializers.DecimalField(
        label=_("Temperature (°C)"), max_digits=3, decimal_places=1,
        min_value=domain.LOWEST_C, max_value=domain.HIGHEST_C, **kwargs,
    )  # fmt: skip


class ReadingSerializer(serializers.ModelSerializer):
    fever_alert = serializers.SerializerMethodField(help_text=_("The alert this reading raised, if any."))

    class Meta:
        model = TemperatureReading
        fields = [
            "id", "facility", "resident", "measured_at", "temperature_c", "measured_by", "zone", "corrects",
            "note", "fever_alert", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_fever_alert(self, reading) -> int | None:
        alert = getattr(reading, "fever_alert", None)  # a missing reverse one-to-one is an AttributeError
        return alert.pk if alert else None

    def to_representation(self, reading):
        """The declared fields, each formatted by its own field, without DRF's per-field lookup
        machinery: a round answers with hundreds of readings, and that machinery was most of the
        cost of the answer. ``tests/health/test_health_api.py`` holds it equal to the generic path."""
        fields = self.fields
        return {
            "id": reading.pk,
            "facility": reading.facility_id,
            "resident": reading.resident_id,
            "measured_at": fields["measured_at"].to_representation(reading.measured_at),
            "temperature_c": fields["temperature_c"].to_representation(reading.temperature_c),
            "measured_by": reading.measured_by_id,
            "zone": reading.zone_id,
            "corrects": reading.corrects_id,
            "note": reading.note,
            "fever_alert": self.get_fever_alert(reading),
            "created_at": fields["created_at"].to_representation(reading.created_at),
        }

    def generic_representation(self, reading):
        return super().to_representation(reading)


class ReadingCreateSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    temperature_c = temperature_field()
    measured_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReadingCorrectSerializer(serializers.Serializer):
    temperature_c = temperature_field()
    note = serializers.CharField(max_length=200)


class ReadingFilter(django_filters.FilterSet):
    measured_after = django_filters.IsoDateTimeFilter(field_name="measured_at", lookup_expr="gte")
    measured_before = django_filters.IsoDateTimeFilter(field_name="measured_at", lookup_expr="lt")

    class Meta:
        model = TemperatureReading
        fields = ["facility", "resident", "zone"]


class TemperatureReadingViewSet(ScopedModelViewSet):
    """Readings are appended, never edited: a wrong one is corrected by a new reading."""

    model = TemperatureReading
    serializer_class = ReadingSerializer
    create_serializer_class = ReadingCreateSerializer
    filterset_class = ReadingFilter
    related = ("fever_alert",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_reading(actor=self.request.user, **data)

    @extend_schema(request=ReadingCorrectSerializer, responses={201: ReadingSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        reading = self.get_object()
        data = ReadingCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = services.correct_reading(actor=request.user, reading=reading, **data.validated_data)
        return self.output(correction, status.HTTP_201_CREATED)


class RoundRowSerializer(serializers.Serializer):
    resident = ScopedRelatedField(Resident)
    temperature_c = temperature_field()

    def run_validation(self, data=serializers.empty):
        """A well-formed row is validated by its two fields directly (hundreds of rows per round);
        any row they refuse goes the generic way, so its errors are exactly DRF's."""
        if isinstance(data, Mapping) and "resident" in data and "temperature_c" in data:
            fields = self.fields
            try:
                return {
                    "resident": fields["resident"].run_validation(data["resident"]),
                    "temperature_c": fields["temperature_c"].run_validation(data["temperature_c"]),
                }
            except serializers.ValidationError:
                pass
        return super().run_validation(data)


class RoundSerializer(serializers.Serializer):
    zone = ScopedRelatedField(Zone)
    measured_at = serializers.DateTimeField(required=False, allow_null=True)
    readings = RoundRowSerializer(many=True, allow_empty=False)

    def to_internal_value(self, data):
        # A round names hundreds of residents: load them in one query, not one per row.
        rows = data.get("readings") if isinstance(data, Mapping) else None
        if isinstance(rows, list):
            field = self.fields["readings"].child.fields["resident"]
            field.preload(row.get("resident") for row in rows if isinstance(row, Mapping))
        return super().to_internal_value(data)


class RoundResultSerializer(serializers.Serializer):
    readings = ReadingSerializer(many=True)
    fever_alerts = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ids of the alerts raised.")
    )


class TemperatureRoundViewSet(IdempotentPosts, viewsets.GenericViewSet):
    """A zone's whole round in one request: one bad row and nothing is saved (400 with
    ``{"readings": {"<row index>": {"<field>": [message]}}}`` for the bad rows only)."""

    serializer_class = RoundSerializer

    @extend_schema(request=RoundSerializer, responses={201: RoundResultSerializer})
    def create(self, request):
        data = RoundSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        rows = [(row["resident"], row["temperature_c"]) for row in data.validated_data["readings"]]
        try:
            result = services.record_round(
                actor=request.user, zone=data.validated_data["zone"], readings=rows,
                measured_at=data.validated_data.get("measured_at"),
            )  # fmt: skip
        except services.RoundError as exc:
            # The shape DRF gives row errors of a nested list: bad rows only, keyed by index.
            body = {
                index: {field: [message] for field, message in problems.items()}
                for index, problems in exc.rows.items()
            }
            return Response({"readings": body}, status=status.HTTP_400_BAD_REQUEST)
        context = self.get_serializer_context()
        return Response(
            {
                "readings": ReadingSerializer(result.readings, many=True, context=context).data,
                "fever_alerts": [alert.pk for alert in result.alerts],
            },
            status=status.HTTP_201_CREATED,
        )


class FeverAlertSerializer(serializers.ModelSerializer):
    temperature_c = serializers.DecimalField(
        source="reading.temperature_c", max_digits=3, decimal_places=1, read_only=True
    )
    isolation_room = serializers.PrimaryKeyRelatedField(
        source="isolation_stay.room", read_only=True, allow_null=True
    )

    class Meta:
        model = FeverAlert
        fields = [
            "id", "facility", "resident", "reading", "temperature_c", "raised_at", "status", "recheck_due_at",
            "resolved_at", "resolved_by", "dismissal_reason", "isolation_stay", "isolation_room",
        ]  # fmt: skip
        read_only_fields = fields


class AcceptIsolationSerializer(serializers.Serializer):
    room = ScopedRelatedField(Room, required=False, allow_null=True, help_text=_("Empty: the proposed room."))


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class FeverAlertViewSet(PostForActionsOnly, ScopedModelViewSet):
    """Alerts are raised by readings; they are settled by isolating the resident or, after a
    normal re-check, dismissed."""

    model = FeverAlert
    serializer_class = FeverAlertSerializer
    filterset_fields = ["facility", "resident", "status"]
    related = ("reading", "isolation_stay")
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=AcceptIsolationSerializer, responses=FeverAlertSerializer)
    @action(detail=True, methods=["post"], url_path="accept-isolation")
    def accept_isolation(self, request, pk=None):
        alert = self.get_object()
        data = AcceptIsolationSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        alert = services.accept_isolation(
            actor=request.user, alert=alert, room=data.validated_data.get("room")
        )
        return self.output(alert)

    @extend_schema(request=DismissSerializer, responses=FeverAlertSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        alert = self.get_object()
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.output(services.dismiss_alert(actor=request.user, alert=alert, **data.validated_data))


routes = [
    ("temperature-readings", TemperatureReadingViewSet, "temperature-reading"),
    ("temperature-rounds", TemperatureRoundViewSet, "temperature-round"),
    ("fever-alerts", FeverAlertViewSet, "fever-alert"),
]
