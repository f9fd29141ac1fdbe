"""API of the standards catalogue and of self-assessments; every write goes through the services.

Versions, areas and standards are region-wide: their routes name the id ``version_id``,
``area_id`` and ``standard_id`` and answer 404 for what the caller may not see (drafts are the
bureau's). Self-assessments belong to a facility and are scoped like every facility record.
"""

from django.db.models import Count, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.api.versions import VersionInput
from jiedu.organisation.models import Facility
from jiedu.standards import selectors, services
from jiedu.standards.models import Area, CatalogueVersion, SelfAssessment, SelfAssessmentItem, Standard


class _RegionWideViewSet(ScopedModelViewSet):
    """Rows of no facility: looked up among ``get_queryset()`` only, so invisible means 404."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_object(self):
        value = str(self.kwargs[self.lookup_url_kwarg])
        found = self.get_queryset().filter(pk=value).first() if value.isascii() and value.isdigit() else None
        if found is None:
            raise Http404
        return found


# --- Catalogue versions ------------------------------------------------------------------------


class CatalogueVersionSerializer(serializers.ModelSerializer):
    standard_count = serializers.IntegerField(read_only=True, help_text=_("Number of standards."))
    total_points = serializers.DecimalField(
        max_digits=7, decimal_places=1, read_only=True, allow_null=True, help_text=_("Sum of the maximum points.")
    )

    class Meta:
        model = CatalogueVersion
        fields = [
            "id", "name", "version", "status", "effective_from", "notes", "based_on", "published_at",
            "published_by", "created_by", "created_at", "standard_count", "total_points",
        ]  # fmt: skip
        read_only_fields = fields


class CatalogueVersionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    version = serializers.CharField(max_length=20)
    based_on = ScopedRelatedField(CatalogueVersion, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PublishSerializer(serializers.Serializer):
    effective_from = serializers.DateField()


class StandardRowSerializer(serializers.Serializer):
    area_code = serializers.CharField()
    area_name = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    requirement = serializers.CharField()
    check_method = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=5, decimal_places=1)
    scoring_rule = serializers.CharField()
    expected_evidence = serializers.CharField()
    legal_basis = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField(), help_text=_("Names of the changed fields."))
    old = StandardRowSerializer()
    new = StandardRowSerializer()


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField(help_text=_("Id of the version compared against."))
    new = serializers.IntegerField(help_text=_("Id of this version."))
    added = StandardRowSerializer(many=True)
    removed = StandardRowSerializer(many=True)
    changed = ChangeSerializer(many=True)


class CatalogueVersionViewSet(_RegionWideViewSet):
    """Versions: list and read; create a draft (optionally based on a version), publish, compare."""

    model = CatalogueVersion
    serializer_class = CatalogueVersionSerializer
    create_serializer_class = CatalogueVersionCreateSerializer
    lookup_url_kwarg = "version_id"
    filterset_fields = ["name", "status"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.versions(self.request.user).annotate(
            standard_count=Count("standards"), total_points=Sum("standards__max_points")
        ).order_by("name", "-created_at")

    def perform_service_create(self, data):
        draft = services.create_draft(actor=self.request.user, **data)
        return self.get_queryset().get(pk=draft.pk)

    @extend_schema(request=PublishSerializer, responses=CatalogueVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, version_id=None):
        """Draft → published; the version in force under the same name is retired, unchanged."""
        version = self.get_object()
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.publish(actor=request.user, catalogue=version, **data.validated_data)
        return self.output(self.get_queryset().get(pk=version.pk))

    @extend_schema(
        parameters=[
            OpenApiParameter("against", OpenApiTypes.INT, required=True, description=_("Version to compare with."))
        ],
        responses=DiffSerializer,
    )  # fmt: skip
    @action(detail=True, methods=["get"])
    def diff(self, request, version_id=None):
        """Standards added, removed and changed (with the changed fields) from ``against`` to this version."""
        version = self.get_object()
        against_id = request.query_params.get("against", "")
        if not (against_id.isascii() and against_id.isdigit()):
            raise serializers.ValidationError({"against": [_("Give the id of the version to compare with.")]})
        against = self.get_queryset().filter(pk=against_id).first()
        if against is None:
            raise serializers.ValidationError({"against": [_("No such version.")]})
        diff = selectors.diff(against, version)
        body = {
            "old": against.pk, "new": version.pk,
            "added": [row.as_dict() for row in diff.added],
            "removed": [row.as_dict() for row in diff.removed],
            "changed": [
                {"code": c.code, "fields": list(c.fields), "old": c.old.as_dict(), "new": c.new.as_dict()}
                for c in diff.changed
            ],
        }  # fmt: skip
        return Response(DiffSerializer(body).data)


# --- Areas and standards -------------------------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    catalogue = ScopedRelatedField(CatalogueVersion)

    class Meta:
        model = Area
        fields = ["id", "catalogue", "code", "name", "position", "is_illustrative", "version"]
        read_only_fields = ["id"]
        validators = []  # unique code and name per version: the service answers with a field error


class AreaUpdateSerializer(VersionInput, serializers.Serializer):
    code = serializers.CharField(max_length=10, required=False)
    name = serializers.CharField(max_length=40, required=False)
    position = serializers.IntegerField(min_value=0, max_value=999, required=False)
    is_illustrative = serializers.BooleanField(required=False)


class _RemoveMixin:
    remove_service = None

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, **kwargs):
        """Remove it from a draft version (published versions never change)."""
        type(self).remove_service(actor=request.user, **{self.model._meta.model_name: self.get_object()})
        return Response(status=204)


class AreaViewSet(_RemoveMixin, _RegionWideViewSet):
    model = Area
    serializer_class = AreaSerializer
    update_serializer_class = AreaUpdateSerializer
    lookup_url_kwarg = "area_id"
    filterset_fields = ["catalogue"]
    remove_service = services.remove_area

    def get_queryset(self):
        return selectors.areas(self.request.user).order_by("catalogue", "position", "code")

    def perform_service_create(self, data):
        return services.add_area(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_area(actor=self.request.user, area=instance, expected_version=expected_version, **data)


class StandardSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(Area)

    class Meta:
        model = Standard
        fields = [
            "id", "catalogue", "area", "code", "title", "requirement", "check_method", "max_points",
            "scoring_rule", "expected_evidence", "legal_basis", "position", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "catalogue"]
        extra_kwargs = {"position": {"required": False}}
        validators = []


class StandardUpdateSerializer(VersionInput, StandardSerializer):
    class Meta(StandardSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in StandardSerializer.Meta.fields}


class StandardViewSet(_RemoveMixin, _RegionWideViewSet):
    """Standards of any visible version; filter by ``catalogue`` and ``area``."""

    model = Standard
    serializer_class = StandardSerializer
    update_serializer_class = StandardUpdateSerializer
    lookup_url_kwarg = "standard_id"
    filterset_fields = ["catalogue", "area"]
    remove_service = services.remove_standard

    def get_queryset(self):
        return selectors.standards(self.request.user).order_by("catalogue", "area__position", "position", "code")

    def perform_service_create(self, data):
        return services.add_standard(actor=self.request.user, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        return services.update_standard(
            actor=self.request.user, standard=instance, expected_version=expected_version, **data
        )


# --- Self-assessments ----------------------------------------------------------------------------


class SelfAssessmentItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfAssessmentItem
        fields = ["standard", "points", "note"]
        read_only_fields = fields


class AreaTotalSerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=1)
    max_points = serializers.DecimalField(max_digits=7, decimal_places=1)
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, help_text=_("Points as a percentage of the maximum."))
    scored = serializers.IntegerField()
    count = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    overall = AreaTotalSerializer()
    areas = AreaTotalSerializer(many=True)


class SelfAssessmentSerializer(serializers.ModelSerializer):
    items = SelfAssessmentItemSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField(help_text=_("Points by area and in all, with the percentage of the maximum."))

    class Meta:
        model = SelfAssessment
        fields = [
            "id", "facility", "catalogue", "period", "status", "created_by", "created_at", "submitted_at",
            "submitted_by", "items", "totals",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, obj) -> dict:
        sheet = selectors.assessment_sheet(obj)

        def line(area, total):
            return {
                "area": area.pk if area else None, "code": area.code if area else "",
                "name": area.name if area else "",
                "points": total.points, "max_points": total.max_points, "percent": total.percent,
                "scored": total.scored, "count": total.count,
            }  # fmt: skip

        return TotalsSerializer(
            {"overall": line(None, sheet.total), "areas": [line(b.area, b.total) for b in sheet.areas]}
        ).data


class SelfAssessmentListSerializer(serializers.ModelSerializer):
    scored = serializers.IntegerField(read_only=True, help_text=_("Standards given points so far."))
    points = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True, allow_null=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id", "facility", "catalogue", "period", "status", "created_by", "created_at", "submitted_at",
            "submitted_by", "scored", "points",
        ]  # fmt: skip
        read_only_fields = fields


class SelfAssessmentCreateSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    catalogue = ScopedRelatedField(CatalogueVersion)
    period = serializers.CharField(max_length=40)


class ScoreItemSerializer(serializers.Serializer):
    standard = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=5, decimal_places=1)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ScoreAreaSerializer(serializers.Serializer):
    area = ScopedRelatedField(Area)
    items = ScoreItemSerializer(many=True, allow_empty=False)


class SelfAssessmentViewSet(ScopedModelViewSet):
    """A facility's self-assessments; points are given per area in bulk, then the whole is submitted."""

    model = SelfAssessment
    serializer_class = SelfAssessmentSerializer
    create_serializer_class = SelfAssessmentCreateSerializer
    related = ("facility", "catalogue")
    filterset_fields = ["facility", "catalogue", "status", "period"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action == "list":
            return selectors.self_assessments(self.request.user).filter(pk__in=rows.values("pk"))
        return rows.prefetch_related("items")

    def get_serializer_class(self):
        if self.action == "list":
            return SelfAssessmentListSerializer
        return super().get_serializer_class()

    def perform_service_create(self, data):
        return services.start_self_assessment(actor=self.request.user, **data)

    @extend_schema(request=ScoreAreaSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Points for standards of one area, all saved or none; errors name ``points_<standard id>``."""
        assessment = self.get_object()
        data = ScoreAreaSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        scores = {item["standard"]: (item["points"], item["note"]) for item in data.validated_data["items"]}
        area = data.validated_data["area"]
        services.score_area(actor=request.user, assessment=assessment, area=area, scores=scores)
        return self.output(self.get_object())

    @extend_schema(request=None, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit once every standard is scored; read-only afterwards."""
        services.submit_self_assessment(actor=request.user, assessment=self.get_object())
        return self.output(self.get_object())


routes = [
    ("catalogue-versions", CatalogueVersionViewSet, "catalogue-version"),
    ("standards-areas", AreaViewSet, "standards-area"),
    ("standards", StandardViewSet, "standard"),
    ("self-assessments", SelfAssessmentViewSet, "self-assessment"),
]
