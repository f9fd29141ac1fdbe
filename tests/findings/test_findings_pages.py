"""Pages as the facility and the bureau use them: record, rectify with a file, verify and close; the
figures line follows; another facility's finding is a 404; the lists, rates and exports show the right rows."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from findings_helpers import png, record, self_identified
from openpyxl import load_workbook

from factories import PASSWORD
from factories_findings import days, make_inspection, responsible
from jiedu.evidence.models import EvidenceFile
from jiedu.findings import services
from jiedu.findings.models import Finding, RectificationMeasure
from jiedu.standards.models import Standard
from jiedu.supervision.models import InspectionResult

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def read(finding, step: str) -> dict:
    """The hidden version a step's card carries: the finding's version as the page showed it."""
    return {f"{step}-expected_version": Finding.objects.get(pk=finding.pk).version}


def figures(body):
    import re

    line = re.search(r'id="findings-figures" data-found="(\d+)" data-rectified="(\d+)" data-rate="([\d.]*)" '
                     r'data-overdue="(\d+)"', body)  # fmt: skip
    return line.groups()


def test_the_facility_submits_with_a_file_the_bureau_verifies_and_closes_and_the_figures_follow(
    world, recorded
):
    officer, supervisor = login(world.officer_a), login(world.supervisor)
    assert figures(supervisor.get("/findings/").content.decode()) == ("1", "0", "0.0", "0")

    page = officer.get(f"/findings/{recorded.pk}/").content.decode()
    assert 'id="step-submit"' in page and 'id="step-verify"' not in page
    response = officer.post(
        f"/findings/{recorded.pk}/submit/",
        {"submit-note": "已补齐值班记录并组织学习", "submit-files": [png()], **read(recorded, "submit")},
    )
    assert response.status_code == 302
    assert Finding.objects.get(pk=recorded.pk).status == "submitted"

    page = supervisor.get(f"/findings/{recorded.pk}/").content.decode()
    assert 'id="step-verify"' in page and "整改照片.png" in page
    assert f"/evidence/{EvidenceFile.objects.get().pk}/download/" in page
    verified = supervisor.post(f"/findings/{recorded.pk}/verify/", {"verify-note": "复核通过", **read(recorded, "verify")})
    assert verified.status_code == 302
    assert supervisor.post(f"/findings/{recorded.pk}/close/", read(recorded, "close")).status_code == 302

    assert Finding.objects.get(pk=recorded.pk).status == "closed"
    assert figures(supervisor.get("/findings/").content.decode()) == ("1", "1", "100.0", "0")
    timeline = supervisor.get(f"/findings/{recorded.pk}/").content.decode()
    assert timeline.count('data-kind="') == 4 and "复核通过" in timeline


def test_a_submission_without_a_file_shows_the_error_beside_the_field(world, recorded):
    officer = login(world.officer_a)

    response = officer.post(
        f"/findings/{recorded.pk}/submit/", {"submit-note": "已整改", **read(recorded, "submit")}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200 and 'id="step-submit"' in body and "<html" not in body
    assert 'id="id_submit-files-error"' in body
    assert Finding.objects.get(pk=recorded.pk).status == "open"


def test_the_responsible_person_sees_no_verification_and_cannot_force_it(world, member):
    from jiedu.organisation.roles import Role

    leader = member(Role.FACILITY_LEADER, world.a)
    department, staff = responsible(world.a, user=leader)
    finding = self_identified(world, responsible_department=department, responsible_staff=staff)
    services.submit_rectification(actor=world.officer_a, finding=finding, note="已整改", files=[png()])
    client = login(leader)

    assert 'id="step-verify"' not in client.get(f"/findings/{finding.pk}/").content.decode()
    response = client.post(f"/findings/{finding.pk}/verify/", {"verify-note": "自己核", **read(finding, "verify")})

    body = response.content.decode()
    assert (
        response.status_code == 400
        and 'id="step-verify"' in body
        and 'class="errorlist" role="alert"' in body
    )
    assert Finding.objects.get(pk=finding.pk).status == "submitted"


def test_htmx_success_reloads_the_page(world, recorded):
    response = login(world.officer_a).post(
        f"/findings/{recorded.pk}/start/", read(recorded, "start"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_a_facility_sees_only_its_own_findings_and_the_bureau_all(world):
    own = record(world)
    other_department, other_staff = responsible(world.b)
    other = self_identified(world, actor=world.supervisor, facility=world.b, responsible_department=other_department,
                            responsible_staff=other_staff, title="乙所问题")  # fmt: skip
    officer = login(world.officer_a)

    body = officer.get("/findings/").content.decode()
    assert f'data-finding-id="{own.pk}"' in body and "乙所问题" not in body
    assert officer.get(f"/findings/{other.pk}/").status_code == 404
    assert officer.post(f"/findings/{other.pk}/start/", read(other, "start")).status_code == 404
    assert "乙所问题" in login(world.supervisor).get("/findings/").content.decode()


def test_the_filters_narrow_the_list_and_the_export(world):
    late = record(world, deadline=days(-2), title="逾期问题")
    record(world, title="未到期问题")
    client = login(world.supervisor)

    body = client.get("/findings/", {"overdue": "on"}).content.decode()
    assert "逾期问题" in body and "未到期问题" not in body and figures(body)[0] == "1"

    sheet = load_workbook(BytesIO(client.get("/findings/export/", {"overdue": "on"}).content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == [late.pk] and rows[0][9] == "逾期问题"
    assert client.get("/findings/", {"status": "closed"}).content.decode().count("data-finding-id=") == 0


def test_the_overdue_page_lists_days_and_the_responsible(world):
    late = record(world, deadline=days(-4))

    body = login(world.supervisor).get("/findings/overdue/").content.decode()

    assert f'data-finding-id="{late.pk}" data-days-overdue="4"' in body and world.staff.name in body


def test_recording_from_an_inspection_prefills_its_choices(world):
    weak = Standard.objects.filter(catalogue=world.campaign.catalogue).order_by("code").last()
    InspectionResult.objects.create(facility=world.a, inspection=world.inspection, standard=weak, verdict="not_met",
                                    points=Decimal("0"), recorded_by=world.supervisor)  # fmt: skip
    client = login(world.supervisor)
    page = client.get(f"/findings/new/?inspection={world.inspection.pk}").content.decode()
    assert 'value="site_check"' in page and 'value="video_patrol"' not in page and world.standard.code in page
    assert page.index(f'value="{weak.pk}"') < page.index(f'value="{world.standard.pk}"')  # judged not met: first

    response = client.post(f"/findings/new/?inspection={world.inspection.pk}", {
        "method": "ledger_review", "standard": world.standard.pk, "severity": "serious", "oversight": "internal",
        "title": "台账登记不规范", "responsible_department": world.department.pk, "responsible_staff": world.staff.pk,
        "found_on": world.inspection.starts_on.isoformat(), "deadline": days(20).isoformat(),
    })  # fmt: skip

    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/findings/{finding.pk}/"
    assert (finding.origin, finding.campaign, finding.method) == (
        "inspection",
        world.campaign,
        "ledger_review",
    )


def test_a_bad_record_shows_field_errors_and_saves_nothing(world):
    response = login(world.leader_a).post("/findings/new/", {
        "severity": "general", "oversight": "internal", "title": "消防器材过期",
        "responsible_department": world.department.pk, "responsible_staff": world.staff.pk,
        "found_on": days(-1).isoformat(), "deadline": days(-3).isoformat(),
    })  # fmt: skip

    assert response.status_code == 400 and 'id="id_deadline-error"' in response.content.decode()
    assert Finding.objects.count() == 0


def test_another_facilitys_inspection_cannot_be_recorded_against(world):
    other = make_inspection(campaign=world.campaign, facility=world.b, team=world.team)
    assert login(world.officer_a).get(f"/findings/new/?inspection={other.pk}").status_code == 404


def test_the_rates_page_derives_the_figures_and_exports_them(world):
    done = record(world)
    services.submit_rectification(actor=world.officer_a, finding=done, note="已整改", files=[png()])
    services.verify(actor=world.supervisor, finding=done)
    record(world, deadline=days(-1))
    client = login(world.supervisor)

    body = client.get("/findings/rates/", {"campaign": world.campaign.pk}).content.decode()

    for grouping in ("facility", "area", "team", "month"):
        assert f'id="rates-by-{grouping}"' in body
    assert body.count('data-found="2" data-rectified="1" data-rate="50.0" data-overdue="1"') == 4
    assert world.b.short_name in body and "第一现场督导组" in body
    sheet = load_workbook(
        BytesIO(client.get("/findings/rates/export/", {"campaign": world.campaign.pk}).content)
    ).active
    totals = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] in ("合计", "Total")]
    assert len(totals) == 4 and all(row[2:5] == (2, 1, 50.0) for row in totals)


def test_measures_are_listed_with_their_findings_and_recorded_by_the_leadership(world):
    first, second = record(world), record(world, title="谈话记录缺失")
    client = login(world.leader_a)

    response = client.post(f"/findings/measures/?campaign={world.campaign.pk}", {
        "campaign": world.campaign.pk, "title": "建立值班记录日查制度", "responsible_department": world.department.pk,
        "due_on": days(30).isoformat(), "findings": [first.pk, second.pk],
    })  # fmt: skip

    assert response.status_code == 302
    body = client.get(f"/findings/measures/?campaign={world.campaign.pk}").content.decode()
    assert 'data-found="2" data-measures="1"' in body and "谈话记录缺失" in body
    measure = RectificationMeasure.objects.get()
    assert login(world.officer_a).post(f"/findings/measures/{measure.pk}/complete/", {}).status_code == 302
    assert RectificationMeasure.objects.get().completed_on is not None


def test_an_inspection_of_another_facility_needs_the_right_facility_for_self_identified_findings(
    world, member
):
    client = login(world.supervisor)
    page = client.get("/findings/new/").content.decode()
    assert 'id="facility-chooser"' in page and world.b.short_name in page
    page = client.get(f"/findings/new/?facility={world.a.pk}").content.decode()
    assert 'id="finding-form"' in page and world.staff.name in page
