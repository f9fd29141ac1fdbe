"""Builders of the uploaded workbooks for the cross-check tests (openpyxl, in memory)."""

import io

import openpyxl

DINGTALK_HEADER = ["姓名", "工号/警号", "手机号", "打卡时间", "打卡地点"]
HEALTHCODE_HEADER = ["姓名", "手机号", "健康码颜色", "所在地/定位"]


def xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dingtalk(rows) -> bytes:
    return xlsx(DINGTALK_HEADER, rows)


def healthcode(rows) -> bytes:
    return xlsx(HEALTHCODE_HEADER, rows)
