"""The export watermark (PI-03): first row, every printed page's header and footer, rows moved down."""

from io import BytesIO

from openpyxl import load_workbook

from jiedu.common.excel import add_watermark, build_workbook

TEXT = "王警官 (wang) 2026-11-20 10:00 导出申请 #7 & 其他"


def _sheet(content):
    return load_workbook(BytesIO(content)).active


def test_a_built_workbook_and_a_stamped_one_look_the_same():
    plain = build_workbook(
        title="戒毒人员",
        headers=["姓名", "身份证号码"],
        rows=[["李某", "150203********0034"]],
        exported_by="u",
    )
    for content in (
        add_watermark(plain, TEXT),
        build_workbook(
            title="戒毒人员", headers=["姓名", "身份证号码"], rows=[["李某", "150203********0034"]], exported_by="u",
            watermark=TEXT,
        ),
    ):  # fmt: skip
        sheet = _sheet(content)
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][0] == TEXT and rows[1][0].startswith("戒毒人员") and rows[2] == ["姓名", "身份证号码"]
        assert rows[3] == ["李某", "150203********0034"]
        assert sheet.freeze_panes == "A4"  # headers stay frozen under the watermark
        for printed in (sheet.oddHeader, sheet.evenHeader, sheet.oddFooter, sheet.evenFooter):
            assert printed.center.text == TEXT.replace("&", "&&")


def test_without_a_watermark_nothing_changes():
    sheet = _sheet(build_workbook(title="t", headers=["a"], rows=[[1]], exported_by="u"))
    assert sheet["A2"].value == "a" and sheet.freeze_panes == "A3" and not sheet.oddHeader.center.text
