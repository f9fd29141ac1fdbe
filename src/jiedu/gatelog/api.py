import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.gatelog import selectors, services
from jiedu.gatelog.models import GateEvent
from jiedu.organisation.models import Facility
from jiedu.people.models import Staff


class GateEventSerializer(serializers.ModelSerializer):
    refusal_reason_labels = serializers.SerializerMethodField(help_text=_("The refusal reasons in words."))

    class Meta:
        model = GateEvent
        fields = [
            "id", "facility", "event_kind", "subject_kind", "subject_name", "staff", "organisation", "vehicle_plate",
            "approver", "approval_purpose", "approval_valid_until", "temperature_c", "disinfected",
            "security_checked", "received_by", "occurred_at", "outcome", "refusal_reasons", "refusal_reason_labels",
            "closed_management", "fever_threshold_c", "registered_by", "corrects", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_refusal_reason_labels(self, obj) -> list[str]:
        return [label for _code, label in obj.refusal_items]


class GateEventCreateSerializer(serializers.ModelSerializer):
    """A refused entry is a recorded event (201, outcome "refused"); only input that cannot
    describe a passage is a 400."""

    facility = ScopedRelatedField(Facility)
    staff = ScopedRelatedField(Staff, required=False, allow_null=True)
    corrects = ScopedRelatedField(GateEvent, required=False, allow_null=True)
    occurred_at = serializers.DateTimeField(required=False, help_text=_("Defaults to now."))

    class Meta:
        model = GateEvent
        fields = [
            "facility", "event_kind", "subject_kind", "subject_name", "staff", "organisation", "vehicle_plate",
            "approver", "approval_purpose", "approval_valid_until", "temperature_c", "disinfected",
            "security_checked", "received_by", "occurred_at", "corrects",
        ]  # fmt: skip
        validators = []


class GateEventFilter(django_filters.FilterSet):
    day = django_filters.DateFilter(method="on_day", label=_("Local date"))

    class Meta:
        model = GateEvent
        fields = ["facility", "event_kind", "subject_kind", "outcome"]

    def on_day(self, queryset, name, value):
        start, end = selectors.local_day_bounds(value)
        return queryset.filter(occurred_at__gte=start, occurred_at__lt=end)


class GateEventViewSet(ScopedModelViewSet):
    """Gate events are appended, never edited or deleted: a correction is a new event."""

    model = GateEvent
    serializer_class = GateEventSerializer
    create_serializer_class = GateEventCreateSerializer
    filterset_class = GateEventFilter
    related = ("facility", "registered_by")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_gate_event(actor=self.request.user, **data)


routes = [("gate-events", GateEventViewSet, "gate-event")]
