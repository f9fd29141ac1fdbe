"""The per-inspection report as PDF and Word: the facility, results by area, shortfalls, sessions, findings."""

import datetime
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from docx import Document

from factories import PASSWORD, DepartmentFactory, StaffFactory
from jiedu.findings.models import Finding
from jiedu.organisation.roles import Role
from jiedu.supervision import services

SESSION_START = datetime.datetime(2026, 4, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def recorded(inspection, standards, supervisor, facility_a):
    """The inspection with two results (one partly met), a signed-off session and a finding."""
    services.record_results(
        actor=supervisor, inspection=inspection,
        entries=[{"standard": standards[0], "verdict": "met"},
                 {"standard": standards[1], "verdict": "partly", "points": Decimal("2.5"), "note": "谈话记录缺两次"}],
    )  # fmt: skip
    session = services.record_video_session(
        actor=supervisor, inspection=inspection, areas_watched="二大队宿舍区", cameras="二大队宿舍走廊-03",
        started_at=SESSION_START, ended_at=SESSION_START + datetime.timedelta(hours=1),
    )  # fmt: skip
    services.sign_off_video_session(actor=supervisor, session=session)
    department = DepartmentFactory(facility=facility_a, name="二大队")
    staff = StaffFactory(facility=facility_a, department=department)
    Finding.objects.create(
        facility=facility_a, campaign=inspection.campaign, inspection=inspection, origin="inspection",
        standard=standards[1], title="个别谈话记录不完整", responsible_department=department, responsible_staff=staff,
        found_on=datetime.date(2026, 4, 1), deadline=datetime.date(2026, 5, 1), recorded_by=supervisor,
    )  # fmt: skip
    return inspection


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_pdf_names_the_facility_and_the_findings(recorded, supervisor, tmp_path):
    response = _client(supervisor).get(f"/supervision/inspections/{recorded.pk}/report.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert recorded.facility.name in text
    assert "个别谈话记录不完整" in text and "二大队宿舍走廊-03" in text and "谈话记录缺两次" in text


def test_the_word_file_holds_the_results_table(recorded, supervisor):
    response = _client(supervisor).get(f"/supervision/inspections/{recorded.pk}/report.docx")

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    document = Document(BytesIO(response.content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert any(row[0] == "A1 基本模式" and row[2] == "12.5" and row[3] == "15.0" for row in rows)
    assert any("个别谈话记录不完整" in row for row in rows)
    text = "\n".join(p.text for p in document.paragraphs)
    assert recorded.facility.name in text


def test_the_report_lists_only_findings_the_reader_may_see(recorded, member, facility_a):
    from jiedu.supervision.report import inspection_report

    assert len(inspection_report(member(Role.FACILITY_OFFICER, facility_a), recorded).findings) == 1
    assert inspection_report(member(Role.GATE_OFFICER, facility_a), recorded).findings == []


def test_without_the_font_the_pdf_page_says_so(recorded, supervisor, settings, tmp_path):
    settings.JIEDU_PDF_FONT = str(tmp_path / "missing.ttc")

    response = _client(supervisor).get(f"/supervision/inspections/{recorded.pk}/report.pdf")

    assert response.status_code == 503 and 'id="font-missing"' in response.content.decode()


def test_another_facilitys_report_answers_404(recorded, member, facility_b):
    client = _client(member(Role.FACILITY_LEADER, facility_b))
    assert client.get(f"/supervision/inspections/{recorded.pk}/report.pdf").status_code == 404
    assert client.get(f"/supervision/inspections/{recorded.pk}/report.docx").status_code == 404
