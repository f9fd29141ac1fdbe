"""The version a client read, sent back with every change of an editable record.

Output serializers show ``version`` (read-only: it counts the record's changes). Inputs of PUT and
PATCH require it, so a tablet never overwrites blindly: a version older than the record's is a 409
with the record as it is now (``api.errors``); a missing one is a 400. Finding steps accept it
optionally (``OptionalVersionInput``): sent and stale, the step is a 409 too.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

HELP = _("The version of the record you read; a change made meanwhile by someone else answers 409.")


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=HELP)

    def validate(self, attrs):
        # A PATCH makes every field optional (partial); the version stays required all the same.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return super().validate(attrs)


class OptionalVersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False, help_text=HELP)
