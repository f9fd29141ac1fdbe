"""API of target-management assessment: the yearly schemes (bureau) and the scores (read-only).

Schemes are region-wide rows named by their year (``/target-schemes/2022/``). Scores are computed,
never stored: ``/target-scores/?year=`` lists one per facility the caller may see, every line
included; only the bureau (region-wide viewers) gets ranks.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from jiedu.api.base import ScopedModelViewSet
from jiedu.api.versions import VersionInput
from jiedu.assessment import selectors, services
from jiedu.assessment.models import TargetScheme

POINTS = {"max_digits": 5, "decimal_places": 1, "min_value": Decimal("0")}


class TargetSchemeSerializer(serializers.ModelSerializer):
    rectification_points = serializers.DecimalField(
        max_digits=5, decimal_places=1, read_only=True, help_text=_("Full marks less the inspection part.")
    )

    class Meta:
        model = TargetScheme
        fields = [
            "year", "full_marks", "inspection_points", "rectification_points", "open_general", "open_serious",
            "open_major", "overdue", "late_rectified", "updated_by", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class TargetSchemeInputSerializer(serializers.Serializer):
    full_marks = serializers.DecimalField(**POINTS)
    inspection_points = serializers.DecimalField(**POINTS)
    open_general = serializers.DecimalField(**POINTS)
    open_serious = serializers.DecimalField(**POINTS)
    open_major = serializers.DecimalField(**POINTS)
    overdue = serializers.DecimalField(**POINTS)
    late_rectified = serializers.DecimalField(**POINTS)


class TargetSchemeCreateSerializer(TargetSchemeInputSerializer):
    year = serializers.IntegerField(min_value=services.FIRST_YEAR, max_value=services.LAST_YEAR)


class TargetSchemeUpdateSerializer(VersionInput, TargetSchemeInputSerializer):
    pass


class YearFilter(django_filters.Filter):
    # A year is a whole number: ``?year=0.5`` is a 400, not an empty list.
    field_class = forms.IntegerField


class TargetSchemeFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year", min_value=services.FIRST_YEAR, max_value=services.LAST_YEAR)

    class Meta:
        model = TargetScheme
        fields = ["year"]


class TargetSchemeViewSet(ScopedModelViewSet):
    """Anyone who reads supervision records reads the schemes; the bureau sets them (POST, PUT, PATCH)."""

    model = TargetScheme
    serializer_class = TargetSchemeSerializer
    create_serializer_class = TargetSchemeCreateSerializer
    update_serializer_class = TargetSchemeUpdateSerializer
    lookup_field = "year"
    lookup_url_kwarg = "year"
    lookup_value_regex = r"\d{4}"
    filterset_class = TargetSchemeFilter

    def get_queryset(self):
        return TargetScheme.objects.visible_to(self.request.user).select_related("updated_by")

    def get_object(self):
        found = self.get_queryset().filter(year=self.kwargs["year"]).first()
        if found is None:
            raise Http404
        return found

    def perform_service_create(self, data):
        # A POST creates: a year that has a scheme already is a 409 with it (change it by PUT or PATCH).
        return services.set_scheme(actor=self.request.user, expected_version=0, **data)

    def perform_service_update(self, instance, data, *, expected_version):
        current = {name: getattr(instance, name) for name in selectors.SCHEME_FIELDS}
        return services.set_scheme(
            actor=self.request.user, year=instance.year, expected_version=expected_version, **{**current, **data}
        )


class ScoreLineSerializer(serializers.Serializer):
    part = serializers.ChoiceField(
        choices=[("inspection", _("Inspection part")), ("rectification", _("Rectification part"))]
    )
    kind = serializers.CharField(
        help_text=_("inspection, not_inspected, rectification, open, late or floor.")
    )
    points = serializers.DecimalField(
        max_digits=7, decimal_places=2, help_text=_("Signed: added to the total.")
    )
    text = serializers.CharField()
    finding = serializers.IntegerField(allow_null=True, help_text=_("The finding a deduction refers to."))


class TargetScoreSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    facility = serializers.IntegerField()
    facility_name = serializers.CharField()
    rank = serializers.IntegerField(
        allow_null=True, help_text=_("Among all facilities; the bureau's view only.")
    )
    inspection_part = serializers.DecimalField(max_digits=7, decimal_places=2)
    rectification_part = serializers.DecimalField(max_digits=7, decimal_places=2)
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    not_inspected = serializers.BooleanField()
    findings = serializers.IntegerField(help_text=_("Findings of the year (withdrawn ones not counted)."))
    rectified = serializers.IntegerField()
    rectification_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    overdue = serializers.IntegerField()
    lines = ScoreLineSerializer(many=True)


def score_body(ranking, row) -> dict:
    score = row.score
    return {
        "year": ranking.year, "facility": row.facility.pk, "facility_name": row.facility.short_name,
        "rank": row.rank, "inspection_part": score.inspection_part, "rectification_part": score.rectification_part,
        "total": score.total, "not_inspected": score.not_inspected, "findings": score.rates.found,
        "rectified": score.rates.rectified, "rectification_rate": score.rates.rectification_rate,
        "overdue": score.rates.overdue,
        "lines": [
            {"part": line.part, "kind": line.kind, "points": line.points, "text": line.text, "finding": line.finding_id}
            for line in score.lines
        ],
    }  # fmt: skip


class TargetScoreViewSet(viewsets.ViewSet):
    """The year's scores of every facility the caller may see, best first."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("Assessment year; this year if left out."))],
        responses=TargetScoreSerializer(many=True),
    )  # fmt: skip
    def list(self, request):
        value = request.query_params.get("year", "")
        if value and not (value.isascii() and value.isdigit() and services.FIRST_YEAR <= int(value) <= services.LAST_YEAR):
            raise serializers.ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
        year = int(value) if value else timezone.localdate().year
        ranking = selectors.scores(request.user, year)
        return Response(
            TargetScoreSerializer([score_body(ranking, row) for row in ranking.rows], many=True).data
        )


routes = [
    ("target-schemes", TargetSchemeViewSet, "target-scheme"),
    ("target-scores", TargetScoreViewSet, "target-score"),
]
