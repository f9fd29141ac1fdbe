from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.accounts.models import User
from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.idempotency import IdempotentPosts
from jiedu.evidence.api import EvidenceFileSerializer
from jiedu.organisation.models import Facility
from jiedu.standards.models import CatalogueVersion, Standard
from jiedu.supervision import domain, selectors, services
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team, VideoSession

METHODS = list(domain.METHOD_FIELDS)


class UserField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.filter(is_active=True), **kwargs)


# --- Campaigns and teams -------------------------------------------------------------------------


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "campaign", "name", "kind", "leader", "members", "created_at"]
        read_only_fields = fields


class TeamCreateSerializer(serializers.Serializer):
    campaign = ScopedRelatedField(Campaign)
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=Team.Kind.choices)
    leader = UserField(help_text=_("A member of the bureau's leadership."))
    members = serializers.ListField(child=UserField(), allow_empty=False)


class TeamViewSet(IdempotentPosts, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The bureau's teams (no facility of their own): listed by campaign and added; read them by id
    through their campaign (``campaigns/{id}/``), which is where scoping applies."""

    model = Team
    serializer_class = TeamSerializer
    filterset_fields = ["campaign", "kind"]

    def get_queryset(self):
        return Team.objects.visible_to(self.request.user).select_related("leader").prefetch_related("members")

    def get_serializer_class(self):
        return TeamCreateSerializer if self.action == "create" else TeamSerializer

    @extend_schema(request=TeamCreateSerializer, responses={201: TeamSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TeamCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        team = services.add_team(actor=request.user, **serializer.validated_data)
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class CampaignSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(
        Facility, required=False, allow_null=True, help_text=_("Only for a facility's own self-inspection.")
    )
    facilities = ScopedRelatedField(Facility, many=True, required=False)
    catalogue = ScopedRelatedField(CatalogueVersion, required=False, allow_null=True)
    teams = TeamSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "facility", "name", "kind", "catalogue", "basis", "starts_on", "ends_on", "facilities", "teams",
            "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "teams", "created_by", "created_at"]
        validators = []  # a taken name is the service's field error


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()


class CampaignProgressSerializer(serializers.Serializer):
    in_scope = serializers.IntegerField(help_text=_("Facilities in scope the caller may see."))
    inspected = serializers.IntegerField(help_text=_("Of those, facilities with a completed inspection."))
    percent = serializers.IntegerField()
    by_status = serializers.SerializerMethodField()

    @extend_schema_field(StatusCountSerializer(many=True))
    def get_by_status(self, obj) -> list[dict]:
        return [{"status": value, "count": count} for value, _label, count in obj.status_counts]


class CampaignViewSet(ScopedModelViewSet):
    """Campaigns are set up, not edited. A facility's user sees those that include its facility."""

    model = Campaign
    serializer_class = CampaignSerializer
    filterset_fields = ["kind", "catalogue"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("facilities", "teams__members")

    def perform_service_create(self, data):
        return services.create_campaign(actor=self.request.user, **data)

    @extend_schema(responses=CampaignProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Facilities inspected over facilities in scope, and inspections by status."""
        progress = selectors.campaign_progress(request.user, self.get_object())
        return Response(CampaignProgressSerializer(progress).data)


# --- Inspections ---------------------------------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer):
    methods = serializers.SerializerMethodField(help_text=_("site_check, ledger_review, video_patrol, talk."))

    class Meta:
        model = Inspection
        fields = [
            "id", "facility", "campaign", "team", "starts_on", "ends_on", "methods", "status", "summary", "evidence",
            "created_by", "completed_at", "completed_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_methods(self, obj) -> list[str]:
        return list(domain.methods_of({name: getattr(obj, name) for name in domain.METHOD_FIELDS.values()}))


class InspectionPlanSerializer(serializers.Serializer):
    campaign = ScopedRelatedField(Campaign)
    facility = ScopedRelatedField(Facility)
    team = ScopedRelatedField(Team, required=False, allow_null=True, help_text=_("Empty for a self-inspection."))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    methods = serializers.ListField(child=serializers.ChoiceField(choices=METHODS), allow_empty=False)


class CompleteSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class AreaScoreSerializer(serializers.Serializer):
    area = serializers.IntegerField(source="area.pk")
    code = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    earned = serializers.DecimalField(max_digits=7, decimal_places=1, source="score.earned")
    applicable_max = serializers.DecimalField(max_digits=7, decimal_places=1, source="score.applicable_max")
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, source="score.percent", allow_null=True)
    judged = serializers.IntegerField(source="score.judged")


class EvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InspectionViewSet(ScopedModelViewSet):
    """Planned (POST), then started and completed through their actions."""

    model = Inspection
    serializer_class = InspectionSerializer
    create_serializer_class = InspectionPlanSerializer
    filterset_fields = ["facility", "campaign", "team", "status"]
    related = ("campaign",)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("evidence")

    def perform_service_create(self, data):
        return services.plan_inspection(actor=self.request.user, **data)

    @extend_schema(request=None, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self.output(services.start_inspection(actor=request.user, inspection=self.get_object()))

    @extend_schema(request=CompleteSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        inspection = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        completed = services.complete_inspection(actor=request.user, inspection=inspection, **serializer.validated_data)
        return self.output(completed)

    @extend_schema(responses=AreaScoreSerializer(many=True))
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        """Earned / applicable maximum per area of the campaign's catalogue."""
        sheet = selectors.inspection_scores(self.get_object(), with_standards=False)
        return Response(AreaScoreSerializer(sheet.areas, many=True).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceFileSerializer(many=True)}
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """Attach files (multipart, ``files`` repeated) while the inspection is in progress."""
        inspection = self.get_object()
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stored = services.attach_evidence(
            actor=request.user, inspection=inspection, uploads=serializer.validated_data["files"],
            caption=serializer.validated_data["caption"],
        )  # fmt: skip
        context = self.get_serializer_context()
        return Response(EvidenceFileSerializer(stored, many=True, context=context).data, status=status.HTTP_201_CREATED)


# --- Results -------------------------------------------------------------------------------------


class InspectionResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionResult
        fields = [
            "id", "facility", "inspection", "standard", "verdict", "points", "note", "recorded_by", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ResultEntrySerializer(serializers.Serializer):
    standard = ScopedRelatedField(Standard)
    verdict = serializers.ChoiceField(choices=InspectionResult.Verdict.choices)
    points = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None,
        help_text=_("Empty: met earns the maximum, not met 0; never for not applicable."),
    )  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionResultCreateSerializer(ResultEntrySerializer):
    inspection = ScopedRelatedField(Inspection)


class BulkResultsSerializer(serializers.Serializer):
    inspection = ScopedRelatedField(Inspection)
    results = ResultEntrySerializer(many=True, allow_empty=False)


class InspectionResultViewSet(ScopedModelViewSet):
    """One standard's verdict (POST; again for a standard judged before) or several at once (bulk)."""

    model = InspectionResult
    serializer_class = InspectionResultSerializer
    create_serializer_class = InspectionResultCreateSerializer
    filterset_fields = ["facility", "inspection", "standard", "verdict"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_result(actor=self.request.user, **data)

    @extend_schema(request=BulkResultsSerializer, responses={201: InspectionResultSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """All entries or, on any error, none; errors name the input as ``points-<standard id>``."""
        serializer = BulkResultsSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        saved = services.record_results(
            actor=request.user, inspection=serializer.validated_data["inspection"],
            entries=serializer.validated_data["results"],
        )  # fmt: skip
        return Response(InspectionResultSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)


# --- Video sessions ------------------------------------------------------------------------------


class VideoSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VideoSession
        fields = [
            "id", "facility", "inspection", "areas_watched", "cameras", "started_at", "ended_at", "observations",
            "inspector", "screenshots", "signed_off_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class VideoSessionCreateSerializer(serializers.Serializer):
    inspection = ScopedRelatedField(Inspection)
    areas_watched = serializers.CharField()
    cameras = serializers.CharField(required=False, allow_blank=True, default="")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    observations = serializers.CharField(required=False, allow_blank=True, default="")
    inspector = UserField(required=False, allow_null=True, help_text=_("A member of the team; default: the caller."))


class VideoSessionViewSet(ScopedModelViewSet):
    """Recorded (POST), then signed off by the inspector; then it no longer changes."""

    model = VideoSession
    serializer_class = VideoSessionSerializer
    create_serializer_class = VideoSessionCreateSerializer
    filterset_fields = ["facility", "inspection", "inspector"]
    related = ("inspection__campaign",)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("screenshots")

    def perform_service_create(self, data):
        return services.record_video_session(actor=self.request.user, **data)

    @extend_schema(request=None, responses=VideoSessionSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self.output(services.sign_off_video_session(actor=request.user, session=self.get_object()))


routes = [
    ("campaigns", CampaignViewSet, "campaign"),
    ("supervision-teams", TeamViewSet, "supervision-team"),
    ("inspections", InspectionViewSet, "inspection"),
    ("inspection-results", InspectionResultViewSet, "inspection-result"),
    ("video-sessions", VideoSessionViewSet, "video-session"),
]
