"""Printed documents as PDF (fpdf2) with the CJK font named by the JIEDU_PDF_FONT setting.

Without a readable font there is no document: ``FontMissing`` tells the page to say so.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTCollection
from fpdf import FPDF, FontFace

FAMILY = "cjk"
HEADING = FontFace(emphasis="", fill_color=(235, 240, 247))


class FontMissing(Exception):
    """The configured CJK font file is missing or unreadable."""


def font_path() -> Path:
    return Path(settings.JIEDU_PDF_FONT)


def _collection_index(path: Path) -> int:
    """In a font collection (.ttc), the Simplified Chinese face; the first face otherwise."""
    if path.suffix.lower() not in {".ttc", ".otc"}:
        return 0
    names = [font["name"].getDebugName(4) or "" for font in TTCollection(str(path), lazy=True).fonts]
    return next((i for i, name in enumerate(names) if name.endswith(" SC")), 0)


def new_document(*, margin_x: float = 15, margin_y: float = 15) -> FPDF:
    """An A4 document with the CJK font registered as ``FAMILY`` and its first page added."""
    path = font_path()
    if not path.is_file():
        raise FontMissing(str(path))
    pdf = FPDF(format="A4")
    pdf.set_margins(margin_x, margin_y, margin_x)
    pdf.set_auto_page_break(True, margin=margin_y)
    try:
        pdf.add_font(FAMILY, fname=str(path), collection_font_number=_collection_index(path))
    except Exception as exc:  # any unreadable font file means the same thing to the user
        raise FontMissing(str(path)) from exc
    pdf.add_page()
    return pdf
