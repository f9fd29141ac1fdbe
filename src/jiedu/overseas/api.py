import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jiedu.api.base import ScopedModelViewSet, ScopedRelatedField
from jiedu.organisation.scoping import get_visible_or_404
from jiedu.overseas import selectors, services
from jiedu.overseas.models import Category, OverseasEntry, OverseasStatus, Relation
from jiedu.people.models import Staff

FACT_FIELDS = [
    "return_date", "current_residence", "return_route", "fever_or_cough", "recent_medical_control",
    "planned_return_date", "planned_route", "reported_on", "testing_quarantine_arrangements",
    "residence_abroad", "reason_abroad", "contact_method",
]  # fmt: skip


class OverseasStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = OverseasStatus
        fields = [
            "id", "facility", "entry", "category", "effective_date", *FACT_FIELDS, "notes", "recorded_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class OverseasStatusInputSerializer(serializers.Serializer):
    """A status's category and facts; which facts are required depends on the category (the
    service answers 400 naming the missing field)."""

    category = serializers.ChoiceField(choices=Category.choices)
    effective_date = serializers.DateField()
    return_date = serializers.DateField(required=False, allow_null=True)
    current_residence = serializers.CharField(required=False, allow_blank=True, max_length=200)
    return_route = serializers.CharField(required=False, allow_blank=True, max_length=300)
    fever_or_cough = serializers.BooleanField(required=False, allow_null=True, default=None)
    recent_medical_control = serializers.CharField(required=False, allow_blank=True)
    planned_return_date = serializers.DateField(required=False, allow_null=True)
    planned_route = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reported_on = serializers.DateField(required=False, allow_null=True)
    testing_quarantine_arrangements = serializers.CharField(required=False, allow_blank=True)
    residence_abroad = serializers.CharField(required=False, allow_blank=True, max_length=120)
    reason_abroad = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_method = serializers.CharField(required=False, allow_blank=True, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class OverseasStatusCreateSerializer(OverseasStatusInputSerializer):
    entry = ScopedRelatedField(OverseasEntry)


class OverseasEntryCreateSerializer(OverseasStatusInputSerializer):
    """The person and their first status; the facility is the staff member's."""

    staff = ScopedRelatedField(Staff)
    relation = serializers.ChoiceField(choices=Relation.choices)
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    id_number = serializers.CharField(
        required=False, allow_blank=True, max_length=30, default="", write_only=True,
        help_text=_("Stored encrypted; answers show it masked."),
    )  # fmt: skip


class OverseasEntrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    current_category = serializers.CharField(read_only=True, help_text=_("The category in force."))
    current_since = serializers.DateField(read_only=True, help_text=_("When the category in force took effect."))

    class Meta:
        model = OverseasEntry
        fields = [
            "id", "facility", "staff", "relation", "name", "id_number_masked", "current_category", "current_since",
            "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class OverseasEntryFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        field_name="current_category", choices=Category.choices, label=_("Category in force")
    )

    class Meta:
        model = OverseasEntry
        fields = ["facility", "staff", "relation"]


class OverseasEntryViewSet(ScopedModelViewSet):
    """People in the overseas ledger. Entries are kept: a change of category is a new status."""

    model = OverseasEntry
    serializer_class = OverseasEntrySerializer
    create_serializer_class = OverseasEntryCreateSerializer
    filterset_class = OverseasEntryFilter
    related = ("facility", "staff")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.with_current_status(super().get_queryset()).order_by("id")

    def get_object(self):
        # The answer carries the category in force, as the list does.
        return get_visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])

    def perform_service_create(self, data):
        entry = services.create_entry(actor=self.request.user, facility=data["staff"].facility, **data)
        return self.get_queryset().get(pk=entry.pk)


class OverseasStatusViewSet(ScopedModelViewSet):
    """Statuses are appended, never edited: the latest one is the category in force."""

    model = OverseasStatus
    serializer_class = OverseasStatusSerializer
    create_serializer_class = OverseasStatusCreateSerializer
    filterset_fields = ["facility", "entry", "category"]
    related = ("recorded_by",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_service_create(self, data):
        return services.record_status(actor=self.request.user, **data)


routes = [
    ("overseas-entries", OverseasEntryViewSet, "overseas-entry"),
    ("overseas-statuses", OverseasStatusViewSet, "overseas-status"),
]
