"""Findings API: record and list findings, take each rectification step, read the timeline, the measures
and the rectification rates. Every step goes through its service; a refused step is a 400 with field errors.
A step may carry the finding's ``version`` as the client read it: a step taken meanwhile by someone else
then makes it a 409 with the finding as it is now."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import OptionalVersionInput
from jiedu.findings import domain, selectors, services
from jiedu.findings.models import Finding, FindingEvent, RectificationMeasure
from jiedu.organisation.models import Department, Facility
from jiedu.people.models import Staff
from jiedu.standards.models import Area, Standard
from jiedu.supervision.models import Campaign, Inspection, Team

BY = ("facility", "area", "team", "month")


class FindingSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(
        source="inspection.team_id", read_only=True, allow_null=True, default=None
    )
    area = serializers.IntegerField(source="standard.area_id", read_only=True, allow_null=True, default=None)
    responsible_staff_name = serializers.CharField(source="responsible_staff.name", read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text=_("Past the deadline today, not rectified."))

    class Meta:
        model = Finding
        fields = [
            "id", "facility", "campaign", "inspection", "team", "origin", "oversight", "method", "standard", "area",
            "severity", "title", "description", "responsible_department", "responsible_staff",
            "responsible_staff_name", "found_on", "deadline", "status", "is_overdue", "evidence", "recorded_by",
            "submitted_at", "submitted_by", "rectified_on", "verified_at", "verified_by", "closed_at", "reopen_count",
            "withdrawn_reason", "created_at", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return domain.is_overdue(obj.status, obj.deadline, timezone.localdate())


class FindingCreateSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    origin = serializers.ChoiceField(choices=Finding.Origin.choices)
    inspection = ScopedRelatedField(Inspection, required=False, allow_null=True)
    campaign = ScopedRelatedField(Campaign, required=False, allow_null=True)
    standard = ScopedRelatedField(Standard, required=False, allow_null=True)
    method = serializers.ChoiceField(choices=Finding.Method.choices, required=False, allow_blank=True)
    oversight = serializers.ChoiceField(choices=Finding.Oversight.choices, required=False)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    responsible_department = ScopedRelatedField(Department)
    responsible_staff = ScopedRelatedField(Staff)
    found_on = serializers.DateField()
    deadline = serializers.DateField()
    files = serializers.ListField(child=serializers.FileField(), required=False)
    at = serializers.DateTimeField(
        required=False, help_text=_("When it was recorded, if entered afterwards.")
    )


class StepSerializer(OptionalVersionInput, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, help_text=_("When it happened, if entered afterwards."))


class NoteRequiredSerializer(StepSerializer):
    note = serializers.CharField(allow_blank=True)


class SubmitSerializer(NoteRequiredSerializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=True, default=list)


class ReasonSerializer(OptionalVersionInput, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=200)
    at = serializers.DateTimeField(required=False)


class ExtendSerializer(ReasonSerializer):
    new_deadline = serializers.DateField()


class FindingFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(field_name="standard__area", queryset=Area.objects.none())
    team = django_filters.ModelChoiceFilter(field_name="inspection__team", queryset=Team.objects.none())
    found_from = django_filters.DateFilter(field_name="found_on", lookup_expr="gte")
    found_until = django_filters.DateFilter(field_name="found_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(label=_("Overdue today"), method="filter_overdue")

    class Meta:
        model = Finding
        fields = ["facility", "campaign", "inspection", "status", "severity", "origin"]

    def filter_overdue(self, queryset, name, value):
        late = selectors.overdue(queryset, timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class RateFiguresSerializer(serializers.Serializer):
    found = serializers.IntegerField()
    rectified = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rectification_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class RateRowSerializer(RateFiguresSerializer):
    key = serializers.CharField(
        allow_null=True, help_text=_("Facility, area or team id, or YYYY-MM; null: none.")
    )
    label = serializers.CharField()


class RateTableSerializer(serializers.Serializer):
    by = serializers.CharField()
    rows = RateRowSerializer(many=True)
    total = RateFiguresSerializer()


class RatesQuerySerializer(serializers.Serializer):
    campaign = ScopedRelatedField(Campaign, required=False)
    by = serializers.ChoiceField(choices=[(b, b) for b in BY], default="facility")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


def _figures(rates) -> dict:
    return {
        "found": rates.found, "rectified": rates.rectified, "on_time": rates.on_time, "overdue": rates.overdue,
        "rectification_rate": rates.rectification_rate, "on_time_rate": rates.on_time_rate,
    }  # fmt: skip


def _key(key) -> str | None:
    if key is None:
        return None
    return key.strftime("%Y-%m") if hasattr(key, "strftime") else str(key)


class FindingViewSet(ScopedModelViewSet):
    """Findings and their rectification: each step is a POST on the finding (multipart for ``submit``)."""

    model = Finding
    serializer_class = FindingSerializer
    create_serializer_class = FindingCreateSerializer
    filterset_class = FindingFilter
    related = ("inspection", "standard", "responsible_staff")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("evidence")

    def perform_service_create(self, data):
        return services.record_finding(actor=self.request.user, **data)

    def _step(self, request, service, input_serializer):
        finding = self.get_object()
        data = input_serializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        step = dict(data.validated_data)
        expected_version = step.pop("version", None)
        return self.output(service(actor=request.user, finding=finding, expected_version=expected_version, **step))

    @extend_schema(request=StepSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(request, services.start_rectification, StepSerializer)

    @extend_schema(request={"multipart/form-data": SubmitSerializer}, responses=FindingSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def submit(self, request, pk=None):
        """What was done (``note``) and at least one evidence file (``files``, repeated)."""
        return self._step(request, services.submit_rectification, SubmitSerializer)

    @extend_schema(request=StepSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verification passed: never by the responsible person or the submitter; the bureau for inspections."""
        return self._step(request, services.verify, StepSerializer)

    @extend_schema(request=NoteRequiredSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Verification failed: back to rectifying (counted as reopened)."""
        return self._step(request, services.reject, NoteRequiredSerializer)

    @extend_schema(request=StepSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, services.close, StepSerializer)

    @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, services.reopen, ReasonSerializer)

    @extend_schema(request=ExtendSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(request, services.extend_deadline, ExtendSerializer)

    @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, services.withdraw, ReasonSerializer)

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", int, required=False),
            OpenApiParameter("by", str, enum=list(BY), required=False),
            OpenApiParameter("start", str, required=False, description=_("First day found (YYYY-MM-DD).")),
            OpenApiParameter("end", str, required=False, description=_("Last day found (YYYY-MM-DD).")),
        ],
        responses=RateTableSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def rates(self, request):
        """Found, rectified, rates and overdue (today) per facility, area, team or month found."""
        query = RatesQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        criteria = dict(query.validated_data)
        by = criteria.pop("by")
        table = selectors.RATE_TABLES[by](request.user, **criteria, as_of=timezone.localdate())
        body = {
            "by": table.by,
            "rows": [{"key": _key(row.key), "label": row.label, **_figures(row.rates)} for row in table.rows],
            "total": _figures(table.total),
        }
        return Response(RateTableSerializer(body).data)


class FindingEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor")

    class Meta:
        model = FindingEvent
        fields = [
            "id", "facility", "finding", "kind", "actor", "actor_name", "at", "note", "evidence", "deadline_before",
            "deadline_after",
        ]  # fmt: skip
        read_only_fields = fields


class FindingEventViewSet(ScopedModelViewSet):
    """The timeline of findings, read-only (steps are taken on the finding)."""

    model = FindingEvent
    serializer_class = FindingEventSerializer
    filterset_fields = ["facility", "finding", "kind"]
    related = ("actor",)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("evidence")


class RectificationMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationMeasure
        fields = [
            "id", "facility", "campaign", "title", "description", "responsible_department", "due_on", "completed_on",
            "findings", "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RectificationMeasureCreateSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    campaign = ScopedRelatedField(Campaign, required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    responsible_department = ScopedRelatedField(Department)
    due_on = serializers.DateField()
    findings = serializers.ListField(child=ScopedRelatedField(Finding), allow_empty=True)


class CompleteMeasureSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False)


class RectificationMeasureViewSet(ScopedModelViewSet):
    """整改措施: a facility's measures against its findings; ``complete`` marks one carried out."""

    model = RectificationMeasure
    serializer_class = RectificationMeasureSerializer
    create_serializer_class = RectificationMeasureCreateSerializer
    filterset_fields = ["facility", "campaign"]
    related = ("campaign",)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("findings")

    def perform_service_create(self, data):
        return services.record_measure(actor=self.request.user, **data)

    @extend_schema(request=CompleteMeasureSerializer, responses=RectificationMeasureSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        measure = self.get_object()
        data = CompleteMeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.output(
            services.complete_measure(actor=request.user, measure=measure, **data.validated_data)
        )


routes = [
    ("findings", FindingViewSet, "finding"),
    ("finding-events", FindingEventViewSet, "finding-event"),
    ("rectification-measures", RectificationMeasureViewSet, "rectification-measure"),
]
