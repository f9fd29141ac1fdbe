"""A saved cross-check's findings as a spreadsheet: the run's files on every row, then the finding.

The detail names the person and places but never a phone number (the run stores none), and staff are
identified by police number and name.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

from jiedu.crosscheck.models import CrossCheckFinding

HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Facility"),
    gettext_lazy("Date"),
    gettext_lazy("DingTalk file"),
    gettext_lazy("Health-code file"),
    gettext_lazy("Uploaded by"),
    gettext_lazy("Kind"),
    gettext_lazy("Row"),
    gettext_lazy("Police or staff number"),
    pgettext_lazy("person", "Name"),
    gettext_lazy("Detail"),
)


def export_row(finding: CrossCheckFinding) -> list:
    run, staff = finding.run, finding.staff
    return [
        finding.pk,
        run.facility.short_name,
        run.day,
        run.dingtalk_file_name,
        run.healthcode_file_name,
        str(run.uploaded_by),
        finding.get_kind_display(),
        finding.row,
        staff.police_number if staff else "",
        staff.name if staff else "",
        finding.detail,
    ]
