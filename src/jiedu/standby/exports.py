"""The nucleic-acid test ledger as a spreadsheet: one row per test, every field, Chinese headers.

Staff are named by name and police number only (no ID or phone numbers), so nothing needs masking.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.standby.models import NucleicAcidTest

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("Police or staff number"),
    gettext_lazy("Sample taken at"),
    gettext_lazy("Test kind"),
    gettext_lazy("Result"),
    gettext_lazy("Laboratory"),
    gettext_lazy("Recorded by"),
    gettext_lazy("Recorded at"),
    gettext_lazy("Corrects no."),
    gettext_lazy("Corrected by no."),
)


def export_row(test: NucleicAcidTest) -> list:
    correction = getattr(test, "correction", None)
    return [
        test.pk,
        test.facility.short_name,
        test.staff.name,
        test.staff.police_number,
        test.sample_taken_at,
        test.get_test_kind_display(),
        test.get_result_display(),
        test.laboratory,
        str(test.recorded_by),
        test.created_at,
        test.corrects_id,
        correction.pk if correction is not None else None,
    ]
