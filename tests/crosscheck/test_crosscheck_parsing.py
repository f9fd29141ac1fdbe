import datetime
import io
import zipfile

import openpyxl
import pytest
from crosscheck_sheets import dingtalk, healthcode, xlsx

from jiedu.crosscheck import parsing


def test_good_dingtalk_file_is_parsed():
    # given a DingTalk export with two check-ins
    data = dingtalk([
        ["张三", "150001", "13900000001", "2026-11-20 08:01:00", "呼和浩特市赛罕区"],
        ["李四", "", "", datetime.datetime(2026, 11, 20, 8, 5), "新城区"],
    ])  # fmt: skip
    # when it is parsed
    rows, errors = parsing.parse_dingtalk(data)
    # then both rows come back, without errors
    assert errors == []
    assert [(r.row, r.name, r.police_number, r.phone) for r in rows] == [
        (2, "张三", "150001", "13900000001"), (3, "李四", "", ""),
    ]  # fmt: skip
    assert rows[1].checked_at == datetime.datetime(2026, 11, 20, 8, 5)


def test_header_variants_and_colour_spellings_are_accepted():
    data = xlsx(
        ["名字", "手机号码", "健康码", "所在地"],
        [["张三", "139 0000 0001", "黄码", "赛罕区"], ["李四", 13900000002, "绿", "新城区"]],
    )
    rows, errors = parsing.parse_healthcode(data)
    assert errors == []
    assert [(r.phone, r.colour) for r in rows] == [("13900000001", "yellow"), ("13900000002", "green")]


def test_missing_column_refuses_the_file():
    data = xlsx(["姓名", "手机号", "所在地"], [["张三", "13900000001", "赛罕区"]])
    with pytest.raises(parsing.SheetRefused) as refused:
        parsing.parse_healthcode(data)
    assert "健康码颜色" in refused.value.message


def test_bad_rows_are_reported_with_row_and_column():
    # given rows with a missing name, a bad phone and an unknown colour, and an unreadable time
    codes = healthcode([["", "13900000001", "绿码", "赛罕区"], ["张三", "12345", "紫码", "赛罕区"]])
    checkins = dingtalk([["王五", "1", "", "昨天早上", "赛罕区"]])
    # when parsed
    _, code_errors = parsing.parse_healthcode(codes)
    _, checkin_errors = parsing.parse_dingtalk(checkins)
    # then each problem names its row and column
    assert [(e.row, e.column) for e in code_errors] == [(2, "姓名"), (3, "手机号"), (3, "健康码颜色")]
    assert [(e.row, e.column) for e in checkin_errors] == [(2, "打卡时间")]


def test_non_xlsx_bytes_are_refused():
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(b"MZ\x90\x00 this is an executable renamed to .xlsx")
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(b"PK\x03\x04 broken zip")


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(buffer.getvalue())


def test_oversize_file_is_refused_before_reading():
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(b"PK\x03\x04" + b"\0" * parsing.MAX_BYTES)


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    data = dingtalk([["张三", "1", "", "08:00", "赛罕区"]] * 5)
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(data)


def test_parsing_is_refused_without_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(dingtalk([]))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def test_entity_expansion_inside_the_workbook_is_refused():
    # given a real workbook whose sheet XML is replaced by a billion-laughs document
    original = zipfile.ZipFile(io.BytesIO(dingtalk([["张三", "1", "", "08:00", "赛罕区"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = BILLION_LAUGHS.encode()
            archive.writestr(item, content)
    # when it is parsed, then it is refused as a whole
    with pytest.raises(parsing.SheetRefused):
        parsing.parse_dingtalk(buffer.getvalue())
