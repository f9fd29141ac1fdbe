import datetime
from io import BytesIO

from openpyxl import load_workbook

from jiedu.common.excel import build_workbook, xlsx_response


def test_workbook_has_a_title_line_chinese_headers_and_the_rows():
    content = build_workbook(
        title="门岗登记台账", headers=["时间", "姓名", "体温"],
        rows=[[datetime.datetime(2026, 11, 1, 8, 30, tzinfo=datetime.UTC), "张三", 36.5]], exported_by="门岗民警",
    )  # fmt: skip
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A1"].value.startswith("门岗登记台账  ·  门岗民警")
    assert [c.value for c in sheet[2]] == ["时间", "姓名", "体温"]
    assert sheet["A3"].value == datetime.datetime(2026, 11, 1, 16, 30)  # shown in local time
    assert sheet["B3"].value == "张三" and sheet["C3"].value == 36.5


def test_formulas_typed_by_users_are_kept_as_text():
    content = build_workbook(title="t", headers=["备注"], rows=[["=HYPERLINK(\"http://x\")"], ["-1+2"]], exported_by="u")
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A3"].value == "'=HYPERLINK(\"http://x\")" and sheet["A4"].value == "'-1+2"


def test_response_is_an_uncached_attachment_with_a_chinese_file_name():
    response = xlsx_response(filename="门岗台账.xlsx", title="t", headers=["a"], rows=[], user="u")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "UTF-8''%E9%97%A8" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
