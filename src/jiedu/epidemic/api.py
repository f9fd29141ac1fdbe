from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.epidemic import services
from jiedu.epidemic.models import EpidemicPolicy
from jiedu.organisation.models import Facility


class PolicySerializer(serializers.ModelSerializer):
    facility = ScopedRelatedField(Facility, required=False, allow_null=True)

    class Meta:
        model = EpidemicPolicy
        fields = [
            "id", "facility", "effective_from", "temperature_interval_minutes", "fever_threshold_c",
            "ventilations_per_day", "disinfections_per_day", "pre_release_observation_days", "closed_management",
            "note", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_by", "created_at"]
        validators = []


class PolicyViewSet(ScopedModelViewSet):
    """Policies are appended, never edited: a change is a new row with a later date."""

    model = EpidemicPolicy
    serializer_class = PolicySerializer
    filterset_fields = ["facility", "effective_from"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.set_policy(actor=self.request.user, **data)


routes = [("epidemic-policies", PolicyViewSet, "epidemic-policy")]
