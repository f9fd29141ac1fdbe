"""Read-only API of saved cross-check runs, with their findings."""

from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun


class CrossCheckFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossCheckFinding
        fields = ["id", "kind", "staff", "row", "detail"]
        read_only_fields = fields


class CrossCheckRunSerializer(serializers.ModelSerializer):
    findings = CrossCheckFindingSerializer(many=True, read_only=True)

    class Meta:
        model = CrossCheckRun
        fields = [
            "id", "facility", "day", "uploaded_by", "dingtalk_file_name", "dingtalk_sha256",
            "healthcode_file_name", "healthcode_sha256", "dingtalk_rows", "healthcode_rows",
            "findings_count", "created_at", "findings",
        ]  # fmt: skip
        read_only_fields = fields


class CrossCheckRunViewSet(ScopedModelViewSet):
    model = CrossCheckRun
    serializer_class = CrossCheckRunSerializer
    filterset_fields = ["facility", "day"]
    related = ("facility",)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("findings")


routes = [("crosscheck-runs", CrossCheckRunViewSet, "crosscheck-run")]
