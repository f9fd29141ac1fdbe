from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.organisation.models import Department, Facility
from jiedu.people.models import Staff
from jiedu.screening import services
from jiedu.screening.models import Commitment, ScreeningForm, ScreeningRound


class ScreeningRoundSerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility, required=False, allow_null=True)
    facilities = ScopedRelatedField(Facility, many=True, required=False)
    departments = ScopedRelatedField(Department, many=True, required=False)
    # The model's default made explicit: without it an omitted kind never reached the service (a 500).
    kind = serializers.ChoiceField(choices=ScreeningRound.Kind.choices, default=ScreeningRound.Kind.SCREENING)

    class Meta:
        model = ScreeningRound
        fields = [
            "id", "facility", "name", "kind", "starts_on", "ends_on", "facilities", "departments", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_by", "created_at"]


class ScreeningRoundViewSet(ScopedModelViewSet):
    """Rounds are set up, not edited; a facility's user sees its own and the region's rounds."""

    model = ScreeningRound
    serializer_class = ScreeningRoundSerializer
    filterset_fields = ["facility", "kind"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("facilities", "departments")

    def perform_service_create(self, data):
        return services.create_round(actor=self.request.user, **data)


class ScreeningFormSerializer(serializers.ModelSerializer):
    round = ScopedRelatedField(ScreeningRound)
    staff = ScopedRelatedField(Staff)

    class Meta:
        model = ScreeningForm
        fields = [
            "id", "facility", "round", "staff", "travelled", "travel_places", "risk_contact", "risk_contact_details",
            "symptoms", "symptom_details", "family_risk", "family_details", "submitted_at", "submitted_by",
        ]  # fmt: skip
        read_only_fields = ["id", "facility", "submitted_at", "submitted_by"]
        validators = []  # one form per staff and round: the service answers with a field error


class ScreeningFormViewSet(ScopedModelViewSet):
    model = ScreeningForm
    serializer_class = ScreeningFormSerializer
    related = ("staff",)
    filterset_fields = ["facility", "round", "staff"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.submit_form(actor=self.request.user, **data)


class CommitmentSerializer(serializers.ModelSerializer):
    round = ScopedRelatedField(ScreeningRound)
    staff = ScopedRelatedField(Staff)

    class Meta:
        model = Commitment
        fields = ["id", "facility", "round", "staff", "signed_on", "paper_filed_at", "recorded_by", "created_at"]
        read_only_fields = ["id", "facility", "recorded_by", "created_at"]
        validators = []


class CommitmentViewSet(ScopedModelViewSet):
    model = Commitment
    serializer_class = CommitmentSerializer
    related = ("staff",)
    filterset_fields = ["facility", "round", "staff"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_commitment(actor=self.request.user, **data)


routes = [
    ("screening-rounds", ScreeningRoundViewSet, "screening-round"),
    ("screening-forms", ScreeningFormViewSet, "screening-form"),
    ("commitments", CommitmentViewSet, "commitment"),
]
