"""The upload → dry run → save flow, the saved runs and the API, as an officer meets them."""

import datetime

import pytest
from crosscheck_sheets import dingtalk, healthcode
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from factories import PASSWORD, StaffFactory
from factories_crosscheck import CrossCheckFindingFactory, CrossCheckRunFactory
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun
from jiedu.organisation.roles import Role

DAY = datetime.date(2026, 11, 20)


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def clerk(member, facility_a):
    StaffFactory(facility=facility_a, name="张三", police_number="150001", phone="13900000001")
    return member(Role.FACILITY_OFFICER, facility_a)


def _files(facility, *, checkins=None, codes=None):
    checkins = checkins or dingtalk([["张三", "150001", "", "2026-11-20 08:00", "赛罕区"]])
    codes = codes or healthcode([["张三", "13900000001", "红码", "赛罕区"], ["路人", "13900000009", "绿", "新城区"]])
    return {
        "facility": facility.pk, "day": DAY.isoformat(),
        "dingtalk": SimpleUploadedFile("钉钉.xlsx", checkins),
        "healthcode": SimpleUploadedFile("健康码.xlsx", codes),
    }  # fmt: skip


def test_dry_run_shows_the_report_and_saves_nothing(clerk, facility_a):
    client = _client(clerk)
    assert client.get(reverse("crosscheck:upload")).status_code == 200
    # when both files are checked
    response = client.post(reverse("crosscheck:upload"), _files(facility_a))
    # then the counts are shown, a save button offered, and nothing stored
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="crosscheck-save"' in html
    assert 'data-kind="code_not_green" data-count="1"' in html
    assert 'data-kind="unmatched_healthcode" data-count="1"' in html
    assert "13900000009" not in html
    assert CrossCheckRun.objects.count() == 0 and CrossCheckFinding.objects.count() == 0


def test_save_after_dry_run_stores_the_run_once(clerk, facility_a):
    client = _client(clerk)
    # The same bytes twice: a workbook built again may carry a later timestamp, hence another hash.
    checkins = dingtalk([["张三", "150001", "", "2026-11-20 08:00", "赛罕区"]])
    codes = healthcode([["张三", "13900000001", "红码", "赛罕区"], ["路人", "13900000009", "绿", "新城区"]])
    client.post(reverse("crosscheck:upload"), _files(facility_a, checkins=checkins, codes=codes))
    # when saved
    response = client.post(reverse("crosscheck:save"))
    # then the run detail page shows it
    run = CrossCheckRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("crosscheck:run_detail", args=[run.pk])
    assert run.facility == facility_a and run.day == DAY and run.findings_count == 2
    detail = client.get(response.url).content.decode()
    assert f'data-run-id="{run.pk}"' in detail
    # checking and saving the same files again is refused
    client.post(reverse("crosscheck:upload"), _files(facility_a, checkins=checkins, codes=codes))
    again = client.post(reverse("crosscheck:save"), follow=True)
    assert CrossCheckRun.objects.count() == 1
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_malformed_file_shows_row_errors_and_offers_no_save(clerk, facility_a):
    client = _client(clerk)
    bad = healthcode([["张三", "12", "紫", "赛罕区"]])
    response = client.post(reverse("crosscheck:upload"), _files(facility_a, codes=bad))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="crosscheck-problems"' in html and 'data-row="2"' in html
    assert 'id="crosscheck-save"' not in html
    assert client.post(reverse("crosscheck:save")).status_code == 302
    assert CrossCheckRun.objects.count() == 0


def test_renamed_non_xlsx_is_refused_on_the_page(clerk, facility_a):
    files = _files(facility_a)
    files["dingtalk"] = SimpleUploadedFile("钉钉.xlsx", b"not a workbook")
    response = _client(clerk).post(reverse("crosscheck:upload"), files)
    assert response.status_code == 400
    assert 'class="crosscheck-refusal" data-file="dingtalk"' in response.content.decode()


def test_upload_needs_manage_staff_health(member, facility_a):
    leader = member(Role.BUREAU_LEADER)  # may read staff health, may not manage it
    assert _client(leader).get(reverse("crosscheck:upload")).status_code == 403
    assert _client(leader).get(reverse("crosscheck:runs")).status_code == 200


def test_runs_list_and_api_show_only_visible_runs(clerk, facility_a, facility_b):
    mine = CrossCheckFindingFactory(facility=facility_a).run
    CrossCheckRunFactory(facility=facility_b)
    html = _client(clerk).get(reverse("crosscheck:runs")).content.decode()
    assert f'data-run-id="{mine.pk}"' in html and html.count("data-run-id=") == 1
    api = APIClient()
    api.force_authenticate(clerk)
    body = api.get("/api/v1/crosscheck-runs/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["id"] for row in rows] == [mine.pk]
    detail = api.get(f"/api/v1/crosscheck-runs/{mine.pk}/").json()
    assert detail["findings"][0]["kind"] == "unmatched_dingtalk"
