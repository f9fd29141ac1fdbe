"""Excel import into a draft: the dry run lists every bad row and saves nothing; confirming saves all rows
or none; a version exported and imported again is the same catalogue."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import PASSWORD
from jiedu.common.errors import DomainError
from jiedu.organisation.roles import Role
from jiedu.standards import importing, selectors, services
from jiedu.standards.domain import COLUMNS
from jiedu.standards.models import Area, CatalogueVersion, Standard

HEADERS = [header for _name, header in COLUMNS]


def sheet(rows, headers=HEADERS, title=None) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def line(code, area_code="01", area_name="基本模式", points=10, title=None, **extra):
    values = {
        "方面编号": area_code, "方面名称": area_name, "标准编号": code, "标准名称": title or f"标准{code}",
        "建设要求": "建立台账。", "检查方法": "查阅台账", "分值": points, "评分规则": "未建立扣2分。",
        "应备佐证材料": "", "依据": "《戒毒条例》",
    }  # fmt: skip
    values.update(extra)
    return [values[h] for h in HEADERS]


def upload(data: bytes, name="标准.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR)


@pytest.fixture
def client(supervisor):
    client = Client()
    assert client.login(username=supervisor.username, password=PASSWORD)
    return client


@pytest.fixture
def draft(supervisor):
    return services.create_draft(actor=supervisor, name="戒毒场所规范化建设标准", version="2026版")


def test_the_dry_run_lists_every_bad_row_with_its_column_and_saves_nothing(client, draft):
    data = sheet([
        line("01-01"),
        line("01-02", points=0),
        line("01-01", title="重复"),
        line("01-03", area_name="教育矫正"),
        line("", title=" "),
        line("01-04", points="2.55", 评分规则=""),
    ])  # fmt: skip

    response = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(data)})

    body = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in body and 'id="import-confirm"' not in body
    expected = [
        (3, "分值"), (4, "标准编号"), (5, "方面名称"), (6, "标准编号"), (6, "标准名称"), (7, "分值"), (7, "评分规则"),
    ]  # fmt: skip
    for row, column in expected:
        assert f'data-row="{row}" data-column="{column}"' in body, (row, column)
    assert body.count("<tr data-row=") == len(expected)
    assert Standard.objects.count() == 0 and Area.objects.count() == 0
    assert "standards_import_pending" not in client.session


def test_a_good_file_is_previewed_then_saved_on_confirmation(client, supervisor, draft):
    area = services.add_area(actor=supervisor, catalogue=draft, code="01", name="基本模式")
    services.add_standard(
        actor=supervisor, area=area, code="01-01", title="旧标题", requirement="旧", check_method="旧", max_points="5",
        scoring_rule="旧",
    )  # fmt: skip
    data = sheet([line("01-01", points=15), line("01-02", points=2.5), line("02-01", "02", "教育矫正")], title="标准")

    preview = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(data)})

    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="import-preview" class="card" data-rows="3"' in body
    assert 'data-area-code="02" data-count="1"' in body and 'id="import-confirm"' in body
    assert Standard.objects.count() == 1  # nothing saved yet

    saved = client.post(f"/standards/versions/{draft.pk}/import/confirm/")

    assert saved.status_code == 302
    rows = {s.code: (s.title, s.max_points, s.area.code) for s in Standard.objects.select_related("area")}
    assert rows == {
        "01-01": ("标准01-01", Decimal("15"), "01"), "01-02": ("标准01-02", Decimal("2.5"), "01"),
        "02-01": ("标准02-01", Decimal("10"), "02"),
    }  # fmt: skip
    assert list(draft.areas.order_by("position").values_list("code", flat=True)) == ["01", "02"]
    assert "standards_import_pending" not in client.session
    assert client.post(f"/standards/versions/{draft.pk}/import/confirm/").status_code == 302  # expired: nothing twice
    assert Standard.objects.count() == 3


def test_confirming_after_the_draft_was_published_saves_nothing(client, supervisor, draft):
    area = services.add_area(actor=supervisor, catalogue=draft, code="01", name="基本模式")
    services.add_standard(
        actor=supervisor, area=area, code="01-01", title="t", requirement="r", check_method="c", max_points="5",
        scoring_rule="s",
    )  # fmt: skip
    client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(sheet([line("01-09")]))})
    services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2026, 1, 1))

    response = client.post(f"/standards/versions/{draft.pk}/import/confirm/", follow=True)

    assert Standard.objects.count() == 1 and "01-09" not in set(Standard.objects.values_list("code", flat=True))
    assert response.status_code == 200


def test_import_saves_all_rows_or_none(supervisor, draft):
    rows = [
        dict(zip([name for name, _h in COLUMNS], line(code), strict=True)) for code in ("01-01", "01-02", "01-03")
    ]
    rows[2]["max_points"] = "101"

    with pytest.raises(DomainError) as refused:
        services.import_rows(actor=supervisor, catalogue=draft, rows=rows)

    assert "分值" in refused.value.message
    assert Standard.objects.count() == 0 and Area.objects.count() == 0
    result = services.import_rows(actor=supervisor, catalogue=draft, rows=rows[:2])
    assert (result.areas_created, result.standards_created, result.rows) == (1, 2, 2)


def test_a_version_exported_and_imported_into_an_empty_draft_is_the_same_catalogue(client, supervisor, draft):
    # given a published version with two areas (one standard with half points and a legal basis)
    source = services.create_draft(actor=supervisor, name="戒毒场所规范化建设标准", version="2022版")
    first = services.add_area(actor=supervisor, catalogue=source, code="01", name="基本模式")
    second = services.add_area(actor=supervisor, catalogue=source, code="02", name="教育矫正")
    for area, code, points in ((first, "01-01", "12.5"), (first, "01-02", "7"), (second, "02-01", "10")):
        services.add_standard(
            actor=supervisor, area=area, code=code, title=f"标准{code}", requirement="要求\n第二行", check_method="查看",
            max_points=points, scoring_rule="扣完为止", expected_evidence="台账", legal_basis="《中华人民共和国禁毒法》",
        )  # fmt: skip
    services.publish(actor=supervisor, catalogue=source, effective_from=datetime.date(2022, 1, 1))
    # when it is exported and the file is imported into the empty draft
    exported = client.get(f"/standards/versions/{source.pk}/export/")
    assert exported.status_code == 200
    client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(exported.content)})
    client.post(f"/standards/versions/{draft.pk}/import/confirm/")
    # then both versions hold the same rows
    source = CatalogueVersion.objects.get(pk=source.pk)
    assert selectors.diff(source, draft).is_empty
    assert len(selectors.catalogue_rows(draft)) == 3


def test_the_blank_template_has_the_headers_and_imports_as_nothing(client, draft):
    response = client.get("/standards/template/")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert list(rows[1]) == HEADERS

    refused = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(response.content)})

    assert refused.status_code == 400 and Standard.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"MZ\x90\x00 not a workbook", "xlsx"),
        (b"PK\x03\x04 broken zip", "xlsx"),
        (sheet([line("01-01")], headers=[h for h in HEADERS if h != "评分规则"]), "评分规则"),
        (sheet([["x"]], headers=["姓名", "手机号"]), "标准编号"),
    ],
)
def test_files_that_cannot_be_used_are_refused_as_a_whole(client, draft, data, fragment):
    response = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(data)}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 400 and 'class="field-error"' in body
    assert fragment in body and Standard.objects.count() == 0


def test_too_many_rows_are_refused(monkeypatch, supervisor, draft):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    with pytest.raises(importing.SheetRefused):
        importing.check_upload(sheet([line(f"01-{n:02d}") for n in range(10)]), existing_areas={}, existing_codes=set())


def test_a_facility_user_cannot_import(member, facility_a, draft):
    leader = member(Role.FACILITY_LEADER, facility_a)
    client = Client()
    client.login(username=leader.username, password=PASSWORD)
    response = client.post(f"/standards/versions/{draft.pk}/import/", {"file": upload(sheet([line("01-01")]))})
    assert response.status_code == 403 and Standard.objects.count() == 0
