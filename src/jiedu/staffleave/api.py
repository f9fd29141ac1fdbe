import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.organisation.models import Facility
from jiedu.people.models import Staff
from jiedu.staffleave import domain, selectors, services
from jiedu.staffleave.models import DailyReport, LeaveArea, LeavePeriod, PatrolRecord, ReturnReport

LEVEL_CHOICES = [(domain.DEPARTMENT, _("Department review")), (domain.FACILITY, _("Facility check"))]


class LeavePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeavePeriod
        fields = ["id", "facility", "staff", "starts_on", "ends_on", "area", "created_by", "created_at"]
        read_only_fields = fields


class LeavePeriodCreateSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)
    staff = ScopedRelatedField(Staff)
    area = ScopedRelatedField(LeaveArea, required=False, allow_null=True)

    class Meta:
        model = LeavePeriod
        fields = ["facility", "staff", "starts_on", "ends_on", "area"]
        validators = []


class LeavePeriodViewSet(ScopedModelViewSet):
    model = LeavePeriod
    serializer_class = LeavePeriodSerializer
    create_serializer_class = LeavePeriodCreateSerializer
    filterset_fields = ["facility", "staff", "area"]
    related = ("facility", "staff")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.create_leave_period(actor=self.request.user, **data)


class DailyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyReport
        fields = [
            "id", "facility", "staff", "period", "day", "places_visited", "family_movements", "temperature_c",
            "symptoms", "symptoms_detail", "risk_contact", "risk_contact_detail", "health_code", "submitted_by",
            "submitted_at", "status", "department_reviewed_by", "department_reviewed_at", "facility_checked_by",
            "facility_checked_at",
        ]  # fmt: skip
        read_only_fields = fields


class DailyReportCreateSerializer(serializers.ModelSerializer):
    staff = ScopedRelatedField(
        Staff, required=False, help_text=_("Defaults to the caller's own staff record.")
    )

    class Meta:
        model = DailyReport
        fields = [
            "staff", "day", "places_visited", "family_movements", "temperature_c", "symptoms", "symptoms_detail",
            "risk_contact", "risk_contact_detail", "health_code",
        ]  # fmt: skip
        validators = []


class ReviewSerializer(serializers.Serializer):
    # Not "level": that name's enum belongs to the facility's administrative level in the schema.
    review_level = serializers.ChoiceField(choices=LEVEL_CHOICES, source="level")


class BulkReviewSerializer(ReviewSerializer):
    reports = ScopedRelatedField(DailyReport, many=True, allow_empty=False)


class DailyReportFilter(django_filters.FilterSet):
    class Meta:
        model = DailyReport
        fields = ["facility", "staff", "day", "status", "health_code"]


class DailyReportViewSet(ScopedModelViewSet):
    """Reports are submitted (POST) and reviewed through ``review`` and ``bulk-review``; never edited."""

    model = DailyReport
    serializer_class = DailyReportSerializer
    create_serializer_class = DailyReportCreateSerializer
    filterset_class = DailyReportFilter
    related = ("facility", "staff")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        staff = data.pop("staff", None) or getattr(self.request.user, "staff_profile", None)
        if staff is None:
            raise ValidationError({"staff": [_("Choose the staff member.")]})
        return services.submit_daily_report(actor=self.request.user, staff=staff, **data)

    @extend_schema(request=ReviewSerializer, responses=DailyReportSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        report = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.output(services.review_report(actor=request.user, report=report, **data.validated_data))

    @extend_schema(request=BulkReviewSerializer, responses=DailyReportSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-review")
    def bulk_review(self, request):
        data = BulkReviewSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        reviewed = services.review_reports(actor=request.user, **data.validated_data)
        return Response(
            self.serializer_class(reviewed, many=True, context=self.get_serializer_context()).data
        )


class LeaveAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaveArea
        fields = ["id", "facility", "name", "active"]
        read_only_fields = fields


class LeaveAreaCreateSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility)

    class Meta:
        model = LeaveArea
        fields = ["facility", "name"]
        validators = []


class LeaveAreaViewSet(ScopedModelViewSet):
    model = LeaveArea
    serializer_class = LeaveAreaSerializer
    create_serializer_class = LeaveAreaCreateSerializer
    filterset_fields = ["facility", "active"]
    related = ("facility",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.create_area(actor=self.request.user, **data)


class PatrolRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolRecord
        fields = [
            "id", "facility", "area", "inspector", "visited_staff", "visited_at", "observations",
            "trajectory_noted", "recorded_by",
        ]  # fmt: skip
        read_only_fields = fields


class PatrolRecordCreateSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(LeaveArea)
    visited_staff = ScopedRelatedField(Staff)

    class Meta:
        model = PatrolRecord
        fields = ["area", "visited_staff", "visited_at", "observations", "trajectory_noted"]
        validators = []


class PatrolRecordViewSet(ScopedModelViewSet):
    """Patrol visits are recorded under the area's current inspector (the service picks them); never edited."""

    model = PatrolRecord
    serializer_class = PatrolRecordSerializer
    create_serializer_class = PatrolRecordCreateSerializer
    filterset_fields = ["facility", "area", "visited_staff"]
    related = ("facility", "area")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_patrol(actor=self.request.user, **data)


class ReturnReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnReport
        fields = [
            "id", "facility", "staff", "period", "trajectory_summary", "health", "tests_summary", "submitted_by",
            "submitted_at",
        ]  # fmt: skip
        read_only_fields = fields


class PeriodForReturnReportField(ScopedRelatedField):
    """A staff member without a role sees no periods, yet files the return report for their own."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.periods_for_return_report(request.user if request else None)


class ReturnReportCreateSerializer(serializers.ModelSerializer):
    period = PeriodForReturnReportField(LeavePeriod)

    class Meta:
        model = ReturnReport
        fields = ["period", "trajectory_summary", "health", "tests_summary"]
        validators = []


class ReturnReportViewSet(ScopedModelViewSet):
    """返岗报告: filed once per leave period by the staff member or a clerk; never edited."""

    model = ReturnReport
    serializer_class = ReturnReportSerializer
    create_serializer_class = ReturnReportCreateSerializer
    filterset_fields = ["facility", "staff", "period"]
    related = ("facility", "staff")
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.submit_return_report(actor=self.request.user, **data)


routes = [
    ("leave-periods", LeavePeriodViewSet, "leave-period"),
    ("daily-reports", DailyReportViewSet, "daily-report"),
    ("leave-areas", LeaveAreaViewSet, "leave-area"),
    ("patrol-records", PatrolRecordViewSet, "patrol-record"),
    ("return-reports", ReturnReportViewSet, "return-report"),
]
