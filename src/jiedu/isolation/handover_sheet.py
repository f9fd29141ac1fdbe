"""The printable hand-over sheet (出所交接单) as PDF, laid out like an official form.

Identifiers are always masked on paper, whoever prints: a sheet leaves the system's control.
The CJK font comes from the JIEDU_PDF_FONT setting; without it there is no sheet (FontMissing).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from jiedu.common.masking import mask_id_number, mask_phone
from jiedu.common.pdf import FAMILY, HEADING, new_document
from jiedu.isolation import domain
from jiedu.isolation.models import Handover, PreReleaseItem
from jiedu.isolation.release_selectors import Checklist


def _pdf() -> FPDF:
    return new_document(margin_x=18, margin_y=16)


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, size=12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)


def _table(pdf: FPDF, rows: list[list[str]], widths: tuple[int, ...], *, headings: bool = True) -> None:
    # Word wrapping still breaks Chinese between characters, and keeps English words whole.
    with pdf.table(
        col_widths=widths, headings_style=HEADING, first_row_as_headings=headings, text_align="LEFT",
        line_height=5.5, padding=(1, 1.5),
    ) as table:  # fmt: skip
        for row in rows:
            table.row([str(cell) for cell in row])


def _resident_rows(checklist: Checklist) -> list[list[str]]:
    r = checklist.resident
    released_on = timezone.localdate(r.left_at) if r.left_at else None
    return [
        [_("Name"), r.name, _("File number"), r.file_number],
        [_("Sex"), r.get_sex_display(), _("Ethnicity"), r.ethnicity],
        [_("ID number"), mask_id_number(r.id_number), _("Deciding police organ"), r.deciding_organ],
        [_("Decision number"), r.decision_number, _("Term"), f"{_date(r.term_start)} – {_date(r.term_end)}"],
        [_("Release date"), _date(released_on) or _("%(day)s (term end)") % {"day": _date(r.term_end)},
         _("Status"), r.get_status_display()],
    ]  # fmt: skip


def _item_rows(checklist: Checklist) -> list[list[str]]:
    done = dict(checklist.columns)
    began = checklist.observation_began_at
    rows = [[_("Item"), _("Date"), _("Carried out by"), _("Result or summary"), _("State")]]
    rows.append([
        _("Medical observation in the pre-release isolation zone"),
        _date(timezone.localdate(began)) if began else "",
        "",
        _("%(observed)s of %(required)s days") % {"observed": checklist.observed_days, "required": checklist.required_days},
        _("Done") if done[domain.OBSERVATION] else _("Missing"),
    ])  # fmt: skip
    for code in domain.ITEMS:
        record: PreReleaseItem | None = checklist.items.get(code)
        summary = record.summary if record else ""
        if record is not None and record.fit_for_release is not None:
            fitness = _("fit for release") if record.fit_for_release else _("not fit for release")
            summary = f"{summary}（{fitness}）" if summary else fitness
        rows.append([
            PreReleaseItem.Item(code).label, _date(record.done_on) if record else "",
            record.performed_by if record else "", summary, _("Done") if done[code] else _("Missing"),
        ])  # fmt: skip
    return rows


def _handover_rows(checklist: Checklist) -> list[list[str]]:
    rows = [
        [
            _("Receiver"),
            _("Receiving person"),
            _("Unit"),
            _("Contact phone"),
            _("Hand-over time"),
            _("Signature"),
        ]
    ]
    for code in domain.RECEIVERS:
        record: Handover | None = checklist.handovers.get(code)
        if record is None:
            rows.append([Handover.Receiver(code).label, "", "", "", "", ""])
        else:
            rows.append([
                record.get_receiver_display(), record.name, record.unit, mask_phone(record.phone),
                _time(record.handed_over_at), "",
            ])  # fmt: skip
    return rows


def handover_sheet_pdf(checklist: Checklist, *, printed_by: str) -> bytes:
    resident = checklist.resident
    pdf = _pdf()
    pdf.set_font(FAMILY, size=17)
    pdf.cell(0, 11, _("Release hand-over sheet for a resident of compulsory isolation"), align="C",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(FAMILY, size=11)
    pdf.cell(0, 8, resident.facility.name, align="C", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, _("1. The resident"))
    _table(pdf, _resident_rows(checklist), (26, 50, 30, 68), headings=False)
    _heading(pdf, _("2. Pre-release checklist"))
    _table(pdf, _item_rows(checklist), (44, 24, 26, 56, 24))
    if checklist.missing:
        pdf.set_text_color(197, 48, 48)
        pdf.multi_cell(0, 6, _("Not ready for release. Missing: %(list)s") % {"list": "; ".join(checklist.missing_sentences)},
                       align="L", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_text_color(0, 0, 0)
    _heading(pdf, _("3. Hand-over to the receivers"))
    _table(pdf, _handover_rows(checklist), (26, 22, 44, 28, 32, 22))
    _signatures(pdf)
    pdf.set_font(FAMILY, size=8)
    pdf.set_text_color(97, 110, 124)
    pdf.cell(0, 5, _("Printed by %(user)s at %(time)s") % {"user": printed_by, "time": _time(timezone.now())},
             align="R")  # fmt: skip
    return bytes(pdf.output())


def _signatures(pdf: FPDF) -> None:
    pdf.ln(5)
    pdf.set_font(FAMILY, size=11)
    line = "______________"
    for left, right in (
        (_("Resident's signature"), _("Officer in charge")),
        (_("Approved by the facility leader"), _("Seal of the facility")),
    ):
        pdf.cell(87, 9, f"{left} {line}")
        pdf.cell(0, 9, f"{right} {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 9, _("Date: ____ year __ month __ day"), align="R", new_x="LMARGIN", new_y="NEXT")
