from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.reverse import reverse

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.evidence import services
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.responses import attachment_response
from jiedu.organisation.models import Facility


class EvidenceFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text=_("Where the file itself is downloaded."))

    class Meta:
        model = EvidenceFile
        fields = [
            "id", "facility", "original_name", "kind", "content_type", "size", "sha256", "caption", "uploaded_by",
            "created_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj) -> str:
        return reverse("api:evidence-file-download", args=[obj.pk], request=self.context.get("request"))


class EvidenceFileUploadSerializer(serializers.Serializer):
    facility = ScopedRelatedField(Facility)
    file = serializers.FileField(help_text=_("JPEG, PNG, PDF, XLSX or DOCX; the type is read from the bytes."))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EvidenceFileViewSet(ScopedModelViewSet):
    """Evidence files: metadata, upload (multipart) and download. Files are kept, never replaced."""

    model = EvidenceFile
    serializer_class = EvidenceFileSerializer
    create_serializer_class = EvidenceFileUploadSerializer
    filterset_fields = ["facility", "kind"]
    related = ("uploaded_by",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.store_evidence(
            actor=self.request.user, facility=data["facility"], upload=data["file"], caption=data["caption"],
            action=EvidenceFile.manage_action,
        )  # fmt: skip

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, as an attachment under its original name."""
        return attachment_response(actor=request.user, evidence=self.get_object())


routes = [("evidence-files", EvidenceFileViewSet, "evidence-file")]
