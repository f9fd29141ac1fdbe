"""API of hygiene inspections and boards; every write goes through the services.

Inspections: list, read, record (POST) and correct (PATCH of score and problems). Boards: list and
read with their frozen entries nested, ``preview`` (GET) and ``publish`` (POST) on the collection.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.api.base import PostForActionsOnly, ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import VersionInput
from jiedu.hygiene import domain, selectors, services
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection
from jiedu.organisation.models import Department, Facility

SCORE = {"max_digits": 4, "decimal_places": 1, "min_value": Decimal("0"), "max_value": Decimal("100")}


class HygieneInspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = HygieneInspection
        fields = [
            "id", "facility", "department", "inspected_on", "score", "problems", "inspector", "created_at",
            "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class HygieneInspectionCreateSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    department = ScopedRelatedField(Department)
    inspected_on = serializers.DateField()
    score = serializers.DecimalField(**SCORE)
    problems = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class HygieneInspectionCorrectSerializer(VersionInput, serializers.Serializer):
    score = serializers.DecimalField(required=False, **SCORE)
    problems = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HygieneInspectionViewSet(ScopedModelViewSet):
    """Inspections are corrected only while no published board covers their day."""

    model = HygieneInspection
    serializer_class = HygieneInspectionSerializer
    create_serializer_class = HygieneInspectionCreateSerializer
    update_serializer_class = HygieneInspectionCorrectSerializer
    filterset_fields = ["facility", "department", "inspected_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_service_create(self, data):
        return services.record_inspection(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.correct_inspection(
            actor=self.request.user, inspection=instance, expected_version=expected_version, **data
        )


class HygieneBoardEntrySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = HygieneBoardEntry
        fields = [
            "id",
            "department",
            "department_name",
            "listed_on",
            "average_score",
            "inspections",
            "reason",
        ]
        read_only_fields = fields


class HygieneBoardSerializer(serializers.ModelSerializer):
    entries = HygieneBoardEntrySerializer(many=True, read_only=True)

    class Meta:
        model = HygieneBoard
        fields = [
            "id", "facility", "period_start", "period_end", "honour_threshold", "exposure_threshold", "note",
            "published_at", "published_by", "entries",
        ]  # fmt: skip
        read_only_fields = fields


class HygieneBoardPeriodSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    honour_threshold = serializers.DecimalField(default=domain.DEFAULT_THRESHOLDS.honour, **SCORE)
    exposure_threshold = serializers.DecimalField(default=domain.DEFAULT_THRESHOLDS.exposure, **SCORE)

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": [_("The end lies before the start.")]})
        if not attrs["exposure_threshold"] < attrs["honour_threshold"]:
            raise serializers.ValidationError(
                {"exposure_threshold": [_("The exposure line must lie below the honour line.")]}
            )
        return attrs

    def thresholds(self) -> domain.Thresholds:
        data = self.validated_data
        return domain.Thresholds(honour=data["honour_threshold"], exposure=data["exposure_threshold"])


class HygieneBoardPublishSerializer(HygieneBoardPeriodSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class HygieneBoardPreviewLineSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    listed_on = serializers.ChoiceField(choices=HygieneBoardEntry.Board.choices)
    average_score = serializers.DecimalField(max_digits=4, decimal_places=1)
    inspections = serializers.IntegerField()
    reason = serializers.CharField()


class HygieneBoardPreviewSerializer(serializers.Serializer):
    departments_inspected = serializers.IntegerField(help_text=_("Departments inspected in the period."))
    inspections = serializers.IntegerField(help_text=_("Inspections in the period."))
    entries = HygieneBoardPreviewLineSerializer(many=True)


class HygieneBoardViewSet(PostForActionsOnly, ScopedModelViewSet):
    """Boards are published (``publish``), never edited: their entries are frozen at publication."""

    model = HygieneBoard
    serializer_class = HygieneBoardSerializer
    filterset_fields = ["facility", "period_start", "period_end"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("entries__department")

    @extend_schema(request=HygieneBoardPublishSerializer, responses={201: HygieneBoardSerializer})
    @action(detail=False, methods=["post"])
    def publish(self, request):
        """Compute the lists of the period from its inspections and freeze them."""
        data = HygieneBoardPublishSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        board = services.publish_board(
            actor=request.user, facility=data.validated_data["facility"],
            period_start=data.validated_data["period_start"], period_end=data.validated_data["period_end"],
            thresholds=data.thresholds(), note=data.validated_data["note"],
        )  # fmt: skip
        return self.output(self.get_queryset().get(pk=board.pk), status.HTTP_201_CREATED)

    @extend_schema(parameters=[HygieneBoardPeriodSerializer], responses=HygieneBoardPreviewSerializer)
    @action(detail=False, methods=["get"])
    def preview(self, request):
        """What publishing the period now would list (nothing is stored)."""
        data = HygieneBoardPeriodSerializer(data=request.query_params, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        lists = selectors.preview(
            values["facility"].pk, values["period_start"], values["period_end"], data.thresholds()
        )
        entries = [
            {
                "department": line.department.pk,
                "department_name": line.department.name,
                "listed_on": listed_on,
                "average_score": line.average,
                "inspections": line.inspections,
                "reason": line.reason,
            }  # fmt: skip
            for listed_on, lines in ((domain.HONOUR, lists.honour), (domain.EXPOSURE, lists.exposure))
            for line in lines
        ]
        body = {
            "departments_inspected": lists.inspected,
            "inspections": lists.inspections,
            "entries": entries,
        }
        return Response(HygieneBoardPreviewSerializer(body).data)


routes = [
    ("hygiene-inspections", HygieneInspectionViewSet, "hygiene-inspection"),
    ("hygiene-boards", HygieneBoardViewSet, "hygiene-board"),
]
