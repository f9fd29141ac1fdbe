"""The gate page and the gate log as officers meet them: verdicts, errors beside fields, exports."""

import datetime
import re
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from factories import PASSWORD, MembershipFactory
from factories_gatelog import GateEventFactory
from jiedu.gatelog.exports import HEADERS
from jiedu.gatelog.models import GateEvent, RefusalReason
from jiedu.organisation.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def gate(member, facility_a):
    return _client(member(Role.GATE_OFFICER, facility_a))


def visitor(facility, **overrides):
    valid_until = timezone.localtime() + datetime.timedelta(hours=4)
    data = {
        "facility": facility.pk, "event_kind": "entry", "subject_kind": "visitor", "subject_name": "陈律师",
        "organisation": "蒙正律师事务所", "approver": "王所长", "approval_purpose": "律师会见",
        "approval_valid_until": valid_until.strftime("%Y-%m-%dT%H:%M"), "temperature_c": "36.6",
        "disinfected": "on", "security_checked": "on",
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_gate_page_offers_big_toggles_and_hides_a_single_facility(gate, facility_a):
    body = gate.get("/gate/").content.decode()
    assert 'id="gate-form"' in body and 'name="event_kind"' in body and 'name="subject_kind"' in body
    assert f'type="hidden" name="facility" value="{facility_a.pk}"' in body
    assert 'inputmode="decimal"' in body


def test_a_fever_is_refused_in_place_with_its_reason(gate, facility_a):
    response = gate.post("/gate/", visitor(facility_a, temperature_c="37.6"), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="gate-desk"')  # the partial, not the whole page
    assert 'id="gate-result"' in body and 'data-outcome="refused"' in body and 'data-reason="fever"' in body
    assert "37.6 ℃ ≥ 37.3 ℃" in body
    event = GateEvent.objects.get()
    assert event.outcome == "refused" and event.refusal_reasons == ["fever"]
    assert f'data-event-id="{event.pk}"' in body.split('id="gate-recent"')[1]  # listed among today's


def test_every_missing_check_is_named(gate, facility_a):
    data = visitor(facility_a, approver="", approval_purpose="", approval_valid_until="", temperature_c="",
                   disinfected=None, security_checked=None)  # fmt: skip
    body = gate.post("/gate/", data, **HTMX).content.decode()
    for reason in (
        "approval_missing",
        "temperature_missing",
        "disinfection_missing",
        "security_check_missing",
    ):
        assert f'data-reason="{reason}"' in body


def test_an_admitted_entry_shows_green_and_the_form_keeps_the_kind(gate, facility_a):
    body = gate.post("/gate/", visitor(facility_a), **HTMX).content.decode()
    assert 'data-outcome="admitted"' in body
    assert re.search(r'name="subject_kind" value="visitor"[^>]*checked', body)
    name_input = re.search(r'<input[^>]*name="subject_name"[^>]*>', body).group(0)
    assert "value=" not in name_input  # a fresh form for the next person


def test_without_javascript_the_verdict_follows_a_redirect(gate, facility_a):
    response = gate.post("/gate/", visitor(facility_a, temperature_c="38.0"))
    assert response.status_code == 302
    event = GateEvent.objects.get()
    assert response["Location"] == f"/gate/?event={event.pk}"
    assert 'data-outcome="refused"' in gate.get(response["Location"]).content.decode()


def test_bad_input_is_shown_beside_the_field_in_chinese_and_nothing_is_saved(gate, facility_a):
    response = gate.post("/gate/", visitor(facility_a, temperature_c="50"), **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_temperature_c-error"' in body and "43.0" in body
    response = gate.post("/gate/", visitor(facility_a, subject_name=""), **HTMX)
    assert 'id="id_subject_name-error"' in response.content.decode() and "必填" in response.content.decode()
    response = gate.post("/gate/", visitor(facility_a, subject_kind="vehicle", vehicle_plate=""), **HTMX)
    assert 'id="id_vehicle_plate-error"' in response.content.decode()
    assert not GateEvent.objects.exists()


def test_another_facilitys_gate_cannot_be_chosen(gate, facility_b):
    response = gate.post("/gate/", visitor(facility_b), **HTMX)
    assert response.status_code == 400 and not GateEvent.objects.exists()


def test_another_facilitys_event_is_not_shown_by_its_number(gate, facility_b):
    event = GateEventFactory(facility=facility_b)
    assert gate.get(f"/gate/?event={event.pk}").status_code == 404


def test_roles_without_gate_duty_read_the_log_but_do_not_record(member, facility_a):
    prosecutor = _client(member(Role.PROSECUTOR, facility_a))
    assert prosecutor.get("/gate/").status_code == 403
    assert prosecutor.get("/gate/log/").status_code == 200
    station = _client(member(Role.STATION_WORKER, facility_a))
    assert station.get("/gate/log/").status_code == 403
    assert station.get("/gate/log/export/").status_code == 403


def test_the_log_shows_today_first_and_filters_by_outcome(gate, facility_a, facility_b):
    now = timezone.now()
    admitted = GateEventFactory(facility=facility_a, occurred_at=now, subject_name="今日访客")
    refused = GateEventFactory(facility=facility_a, occurred_at=now, refused=True, subject_name="发热访客")
    GateEventFactory(
        facility=facility_a, occurred_at=now - datetime.timedelta(days=3), subject_name="三天前访客"
    )
    GateEventFactory(facility=facility_b, occurred_at=now, subject_name="乙所访客")
    body = gate.get("/gate/log/").content.decode()
    assert "今日访客" in body and "发热访客" in body and "三天前访客" not in body and "乙所访客" not in body
    body = gate.get("/gate/log/", {"day": "", "outcome": "refused"}).content.decode()
    assert f'data-event-id="{refused.pk}"' in body and f'data-event-id="{admitted.pk}"' not in body
    assert "三天前访客" not in body


def test_the_excel_export_has_chinese_headers_and_every_field(gate, facility_a, facility_b):
    now = timezone.now()
    event = GateEventFactory(facility=facility_a, occurred_at=now, refused=True, subject_name="发热访客")
    GateEventFactory(facility=facility_b, occurred_at=now, subject_name="乙所访客")
    response = gate.get("/gate/log/export/", {"day": timezone.localdate().isoformat()})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    with translation.override("zh-hans"):
        headers = [str(h) for h in HEADERS]
    assert [c.value for c in sheet[2]] == headers
    assert {"戒毒所", "时间", "姓名", "结果"} <= set(headers)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 1
    with translation.override("en"):
        english = [str(h) for h in HEADERS]  # look cells up by the untranslated column names
    row = dict(zip(english, rows[0], strict=True))
    assert row["No."] == event.pk and row["Name"] == "发热访客" and row["Temperature (°C)"] == 38.1
    assert row["Approved by"] == "王所长" and row["Fever threshold applied (°C)"] == 37.3
    with translation.override("zh-hans"):
        assert row["Refusal reasons"] == str(RefusalReason.FEVER.label)


def test_turning_pages_keeps_the_first_visits_day(gate, facility_a):
    GateEventFactory(
        facility=facility_a,
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        subject_name="三天前访客",
    )
    assert "三天前访客" not in gate.get("/gate/log/", {"page": "1"}).content.decode()


def test_the_export_link_carries_every_filter_even_all_dates(gate, facility_a):
    body = gate.get("/gate/log/", {"day": "", "outcome": "refused"}).content.decode()
    assert 'href="/gate/log/export/?day=&amp;event_kind=&amp;subject_kind=&amp;outcome=refused"' in body
    today = timezone.localdate().isoformat()
    assert f'href="/gate/log/export/?day={today}&amp;event_kind=' in gate.get("/gate/log/").content.decode()


def test_an_officer_of_two_gates_chooses_the_facility(member, facility_a, facility_b):
    user = member(Role.GATE_OFFICER, facility_a)
    MembershipFactory(user=user, facility=facility_b, role=Role.GATE_OFFICER)
    client = _client(user)
    assert '<select name="facility"' in client.get("/gate/").content.decode()
    client.post("/gate/", visitor(facility_b), **HTMX)
    assert GateEvent.objects.get().facility == facility_b
