"""The hygiene ledger and a published board as spreadsheet rows, Chinese headers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.hygiene import domain
from jiedu.hygiene.models import HygieneBoardEntry

LEDGER_HEADERS = (
    _("No."), _("Facility"), _("Department"), _("Inspected on"), _("Score"), _("Problems found"), pgettext_lazy("hygiene", "Inspector"),
    _("Recorded at"),
)  # fmt: skip

BOARD_HEADERS = (
    _("List"), _("Place"), _("Department"), _("Average score"), _("Inspections"), _("Reason"), _("Facility"),
    _("Period start"), _("Period end"), _("Published at"),
)  # fmt: skip


def ledger_row(inspection) -> list:
    return [
        inspection.pk, inspection.facility.short_name, inspection.department.name, inspection.inspected_on,
        float(inspection.score), inspection.problems, str(inspection.inspector), inspection.created_at,
    ]  # fmt: skip


def board_rows(board, lists):
    labels = dict(HygieneBoardEntry.Board.choices)
    for key, lines in ((domain.HONOUR, lists.honour), (domain.EXPOSURE, lists.exposure)):
        for place, line in enumerate(lines, start=1):
            yield [
                str(labels[key]), place, line.department.name, float(line.average), line.inspections, line.reason,
                board.facility.short_name, board.period_start, board.period_end, board.published_at,
            ]  # fmt: skip
