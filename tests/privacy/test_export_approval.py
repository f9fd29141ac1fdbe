"""PI-03 (GB/T 35273 §7.1 b): a bulk export of personal data needs a second person's approval, is
downloaded once within 24 hours, carries a requester-and-time watermark and is logged."""

import datetime
import inspect
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from export_approval import colleague_of, request_approval
from factories import ResidentFactory, StaffFactory, UserFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role
from jiedu.privacy import services
from jiedu.privacy.gates import GATES
from jiedu.privacy.models import AccessLog, ExportRequest

NOW = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def people(facility_a, facility_b):
    return {
        "a": [ResidentFactory(facility=facility_a) for _ in range(3)],
        "b": [ResidentFactory(facility=facility_b)],
        "staff": [StaffFactory(facility=facility_a) for _ in range(2)],
    }


@pytest.fixture
def officer(member, facility_a):
    user = member(Role.FACILITY_OFFICER, facility_a)
    user.display_name = "王警官"
    user.save()
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _rows(response):
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_without_approval_the_export_is_403_with_a_request_form_and_the_refusal_is_audited(officer, people):
    response = _client(officer).get("/residents/export/", {"status": "in_custody"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'action="/privacy/approvals/request/"' in body and 'name="reason"' in body
    assert "spreadsheetml" not in response["Content-Type"]
    assert AuditEvent.objects.filter(action="export.approval_missing", outcome="denied").count() == 1
    assert not AccessLog.objects.exists()


def test_the_whole_flow_request_approve_download_once_with_watermark_and_log(officer, people, facility_a):
    client = _client(officer)
    with time_machine.travel(NOW, tick=False):
        export_request = request_approval(
            client, "/residents/export/", {"status": "in_custody"}, reason="月度人员核对"
        )
        assert (export_request.status, export_request.query, export_request.facility_id) == (
            "requested", "status=in_custody", facility_a.pk,
        )  # fmt: skip
        assert export_request.expires_at == NOW + datetime.timedelta(hours=24)
        # Not yet approved: the download is still refused.
        url = f"/residents/export/?status=in_custody&approval={export_request.pk}"
        assert client.get(url).status_code == 403
        leader = colleague_of(export_request)
        approver = _client(leader)
        assert str(export_request.pk) in approver.get("/privacy/approvals/").content.decode()
        decided = approver.post(
            "/privacy/approvals/decide/", {"request": export_request.pk, "decision": "approve"}
        )
        assert decided.status_code == 302
        own = client.get("/privacy/approvals/").content.decode()
        assert f"approval={export_request.pk}" in own  # the requester's page offers the download

        response = client.get(url)
        again = client.get(url)  # single download: the same approval is spent
    assert again.status_code == 403 and "spreadsheetml" not in again["Content-Type"]
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = _rows(response)
    watermark = rows[0][0]
    assert "王警官" in watermark and officer.username in watermark
    assert str(export_request.pk) in watermark and "2026-11-20 10:00" in watermark  # local time
    sheet = load_workbook(BytesIO(response.content)).active
    assert str(export_request.pk) in sheet.oddHeader.center.text and "王警官" in sheet.oddFooter.center.text
    data = rows[3:]
    assert len(data) == 3  # facility A's residents only
    assert all("*" in row[5] for row in data)  # ID numbers masked, as everywhere
    assert not any(r.id_number in str(rows) for r in people["a"])

    export_request.refresh_from_db()
    assert export_request.status == "downloaded" and export_request.decided_by_id == leader.pk
    log = AccessLog.objects.get(kind="export")
    assert (log.actor_id, log.subject_type, log.subject_id, log.fields, log.purpose, log.facility_id) == (
        officer.pk, "privacy.exportrequest", str(export_request.pk), ["residents"], "月度人员核对", facility_a.pk,
    )  # fmt: skip
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert ["export.requested", "export.approved", "export.downloaded"] == [
        a
        for a in actions
        if a.startswith("export.") and a != "export.approval_missing" and a != "export.approval_invalid"
    ]
    assert AccessLog.objects.filter(kind="export").count() == 1


def test_nobody_approves_their_own_request_not_even_in_the_database(officer, people):
    client = _client(officer)
    export_request = request_approval(client, "/staff/export/")
    response = client.post(
        "/privacy/approvals/decide/", {"request": export_request.pk, "decision": "approve"}
    )
    assert response.status_code == 400
    assert ExportRequest.objects.get(pk=export_request.pk).status == "requested"
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportRequest.objects.filter(pk=export_request.pk).update(
            status="approved", decided_by=officer, decided_at=timezone.now()
        )


def test_the_approver_must_see_the_same_records(officer, people, member, facility_b):
    export_request = request_approval(_client(officer), "/residents/export/")
    other_leader = member(Role.FACILITY_LEADER, facility_b)
    # Another facility's leader does not even see the request (404), and the service refuses too.
    assert (
        _client(other_leader)
        .post("/privacy/approvals/decide/", {"request": export_request.pk, "decision": "approve"})
        .status_code
        == 404
    )
    with pytest.raises(AccessDenied):
        services.decide_export(actor=other_leader, export_request=export_request, approve=True)
    # A gate officer of the same facility sees no residents: not an approver either.
    gate = member(Role.GATE_OFFICER, officer.memberships.get().facility)
    with pytest.raises(AccessDenied):
        services.decide_export(actor=gate, export_request=export_request, approve=True)
    assert ExportRequest.objects.get(pk=export_request.pk).status == "requested"


def test_an_approval_expires_24_hours_after_the_request(officer, people):
    client = _client(officer)
    with time_machine.travel(NOW, tick=False) as clock:
        export_request = request_approval(client, "/residents/export/")
        services.decide_export(
            actor=colleague_of(export_request), export_request=export_request, approve=True
        )
        clock.shift(datetime.timedelta(hours=24, seconds=1))
        client.force_login(officer)  # the idle session ended long ago
        response = client.get(f"/residents/export/?approval={export_request.pk}")
    assert response.status_code == 403 and "spreadsheetml" not in response["Content-Type"]
    assert ExportRequest.objects.get(pk=export_request.pk).status == "approved"  # not spent
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(officer)
        late = request_approval(client, "/residents/export/")
        clock.shift(datetime.timedelta(hours=25))
        with pytest.raises(DomainError):
            services.decide_export(actor=colleague_of(late), export_request=late, approve=True)


def test_the_approval_covers_exactly_the_approved_filters_and_export(officer, people):
    client = _client(officer)
    export_request = request_approval(client, "/residents/export/", {"status": "in_custody"})
    services.decide_export(actor=colleague_of(export_request), export_request=export_request, approve=True)
    assert client.get(f"/residents/export/?approval={export_request.pk}").status_code == 403  # no filter
    assert client.get(f"/staff/export/?status=in_custody&approval={export_request.pk}").status_code == 403
    colleague = UserFactory()
    Membership.objects.create(
        user=colleague, facility=officer.memberships.get().facility, role=Role.FACILITY_OFFICER
    )
    # Someone else cannot use my approval.
    assert (
        _client(colleague)
        .get(f"/residents/export/?status=in_custody&approval={export_request.pk}")
        .status_code
        == 403
    )
    assert client.get(f"/residents/export/?status=in_custody&approval={export_request.pk}").status_code == 200


def test_a_rejected_request_does_not_download(officer, people):
    client = _client(officer)
    export_request = request_approval(client, "/staff/export/")
    services.decide_export(
        actor=colleague_of(export_request), export_request=export_request, approve=False, note="无必要"
    )
    assert client.get(f"/staff/export/?approval={export_request.pk}").status_code == 403
    assert "无必要" in client.get("/privacy/approvals/").content.decode()


def test_the_staff_export_masks_phones_and_ids_under_the_watermark(officer, people):
    from export_approval import approved_get

    response = approved_get(_client(officer), "/staff/export/")
    text = str(_rows(response))
    for member_ in people["staff"]:
        assert member_.name in text and member_.phone not in text and member_.id_number not in text


def test_a_request_needs_a_reason(officer, people):
    client = _client(officer)
    response = client.post(
        "/privacy/approvals/request/", {"export": "residents", "query": "", "reason": "ok"}
    )
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_bureau_wide_request_needs_a_bureau_wide_approver(member, people, facility_a):
    leader = member(Role.BUREAU_LEADER)
    export_request = request_approval(_client(leader), "/residents/export/")
    assert export_request.facility_id is None
    with pytest.raises(AccessDenied):
        services.decide_export(
            actor=member(Role.FACILITY_LEADER, facility_a), export_request=export_request, approve=True
        )
    services.decide_export(actor=member(Role.BUREAU_SUPERVISOR), export_request=export_request, approve=True)


def test_every_gated_export_is_wired_to_its_view():
    """The list in privacy/gates.py is the list of approval-gated exports (the report names them)."""
    assert {"residents", "staff"} <= set(GATES)
    for name, gate in GATES.items():
        callback = resolve(reverse(gate.url_name)).func
        assert getattr(callback, "approval_gate", None) == name, gate.url_name
        assert getattr(callback, "rate_limit_scope", None) == "export", gate.url_name


def test_exports_with_personal_identifiers_are_all_gated():
    """Every export of an app that shows (masked) identifiers is in the list: a new one must be added."""
    checked = 0
    for name, callback in _page_routes(get_resolver()):
        if "export" not in name.split(":")[-1]:
            continue
        app_dir = Path(inspect.getmodule(inspect.unwrap(callback)).__file__).parent
        source = "\n".join(path.read_text(encoding="utf-8") for path in app_dir.glob("*.py"))
        if any(marker in source for marker in ("shown_id_number", "masked_id_number", "shown_phone")):
            assert getattr(callback, "approval_gate", None), f"{name} exports identifiers without approval"
            checked += 1
    assert checked >= len(GATES)


def _page_routes(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _page_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join(filter(None, [namespace, entry.name])), entry.callback
