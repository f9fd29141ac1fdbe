"""The ledger pages as officers meet them: counts, filters, history, the category-dependent form,
errors beside their fields, and identity numbers masked everywhere, the export too."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from export_approval import approved_get
from factories import PASSWORD, DepartmentFactory, StaffFactory
from factories_overseas import OverseasEntryFactory, OverseasStatusFactory
from jiedu.organisation.roles import Role
from jiedu.overseas import services
from jiedu.overseas.exports import HEADERS
from jiedu.overseas.models import OverseasEntry, OverseasStatus

HTMX = {"HTTP_HX_REQUEST": "true"}
ID_NUMBER = "150102199001011234"
MASKED = "150102********1234"


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def browser(officer):
    return _client(officer)


def abroad_facts(**more):
    return {"residence_abroad": "墨尔本", "reason_abroad": "留学", "contact_method": "微信", **more}


def entry_with_id(officer, staff):
    return services.create_entry(
        actor=officer, facility=staff.facility, staff=staff, relation="child", person_name="王小明",
        id_number=ID_NUMBER, category="abroad", effective_date=timezone.localdate(), **abroad_facts(),
    )  # fmt: skip


def test_the_ledger_counts_by_category_and_filters_by_category_and_department(browser, officer, facility_a):
    brigade = DepartmentFactory(facility=facility_a, name="一大队")
    mine = entry_with_id(officer, StaffFactory(facility=facility_a, department=brigade))
    other = OverseasStatusFactory(facility=facility_a).entry
    body = browser.get("/overseas/").content.decode()
    assert 'data-category="abroad"><a href="?category=abroad"><span class="count">2</span>' in body
    assert f'data-entry-id="{mine.pk}"' in body and f'data-entry-id="{other.pk}"' in body
    assert MASKED in body and ID_NUMBER not in body
    body = browser.get(f"/overseas/?department={brigade.pk}").content.decode()
    assert f'data-entry-id="{mine.pk}"' in body and f'data-entry-id="{other.pk}"' not in body
    body = browser.get("/overseas/?category=returned").content.decode()
    assert "data-entry-id" not in body


def test_the_ledger_needs_the_staff_health_permission(member, facility_a):
    assert _client(member(Role.GATE_OFFICER, facility_a)).get("/overseas/").status_code == 403


def test_a_new_entry_is_added_and_shown_with_its_history(browser, officer, facility_a):
    staff = StaffFactory(facility=facility_a)
    today = timezone.localdate().isoformat()
    response = browser.post(
        "/overseas/new/",
        {"staff": staff.pk, "relation": "self", "id_number": ID_NUMBER, "category": "abroad",
         "effective_date": today, **abroad_facts()},
    )  # fmt: skip
    entry = OverseasEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/overseas/{entry.pk}/"
    body = browser.get(response["Location"]).content.decode()
    assert 'id="current-category" data-category="abroad"' in body and staff.name in body
    assert MASKED in body and ID_NUMBER not in body


def test_a_missing_fact_is_shown_beside_its_field_and_nothing_is_saved(browser, facility_a):
    staff = StaffFactory(facility=facility_a)
    today = timezone.localdate().isoformat()
    response = browser.post(
        "/overseas/new/",
        {"staff": staff.pk, "relation": "spouse", "person_name": "刘芳", "category": "returned",
         "effective_date": today, "return_date": today, "current_residence": "呼和浩特", "return_route": "CA934",
         "fever_or_cough": "no"},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_recent_medical_control-error"' in body
    assert 'data-category="returned"' in body  # the chosen category's fields are shown again
    assert not OverseasEntry.objects.exists()


def test_choosing_a_category_swaps_in_its_fields(browser, facility_a):
    entry = OverseasStatusFactory(facility=facility_a).entry
    for url in ("/overseas/new/", f"/overseas/{entry.pk}/"):
        body = browser.get(url, {"category": "planning", "planned_route": "KE853"}, **HTMX).content.decode()
        assert body.lstrip().startswith('<div id="status-fields"')
        assert 'name="planned_return_date"' in body and 'value="KE853"' in body
        assert 'name="residence_abroad"' not in body


def test_recording_a_new_status_keeps_the_old_one_in_the_history(browser, facility_a):
    entry = OverseasStatusFactory(facility=facility_a, effective_date=timezone.localdate() - datetime.timedelta(days=9)).entry
    today = timezone.localdate()
    form = {"category": "planning", "effective_date": today.isoformat(), "planned_route": "KE853",
            "planned_return_date": (today + datetime.timedelta(days=10)).isoformat(),
            "reported_on": today.isoformat(), "testing_quarantine_arrangements": "集中隔离14天"}  # fmt: skip
    response = browser.post(f"/overseas/{entry.pk}/", form)
    assert response.status_code == 302
    body = browser.get(f"/overseas/{entry.pk}/").content.decode()
    assert body.count('class="status-row') == 2
    assert body.index('data-category="planning"') < body.index('class="status-row abroad"')
    assert list(OverseasStatus.objects.filter(entry=entry).values_list("category", flat=True).order_by("id")) == [
        "abroad", "planning"
    ]


def test_a_reader_sees_the_history_without_the_form(member, facility_a):
    entry = OverseasStatusFactory(facility=facility_a).entry
    reader = _client(member(Role.BUREAU_LEADER))
    body = reader.get(f"/overseas/{entry.pk}/").content.decode()
    assert 'id="status-history"' in body and 'id="status-form"' not in body
    assert reader.post(f"/overseas/{entry.pk}/", {"category": "abroad"}).status_code == 403


def test_another_facilitys_entry_is_not_found(browser, facility_b):
    entry = OverseasEntryFactory(facility=facility_b)
    assert browser.get(f"/overseas/{entry.pk}/").status_code == 404


def test_the_export_has_chinese_headers_every_status_and_masked_numbers(browser, officer, facility_a):
    entry = entry_with_id(officer, StaffFactory(facility=facility_a))
    OverseasStatusFactory(facility=facility_a)
    response = approved_get(browser, "/overseas/export/")  # bulk personal data: approved first (PI-03)
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert list(rows[2]) == [str(header) for header in HEADERS]  # under the watermark and title rows
    data = rows[3:]
    assert len(data) == 2
    mine = next(row for row in data if row[0] == entry.pk)
    assert MASKED in mine and ID_NUMBER not in str(rows)
