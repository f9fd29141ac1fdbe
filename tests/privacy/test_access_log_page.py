"""The audit administrator reads the personal-data access log, filtered; nobody else does (PI-02, LOG-01)."""

import pytest
from django.test import Client

from factories import ResidentFactory, StaffFactory
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role
from jiedu.privacy import services


@pytest.fixture
def logged(member, facility_a, facility_b):
    officer = member(Role.FACILITY_OFFICER, facility_a, username="officer_a")
    medic = member(Role.MEDICAL_STAFF, facility_b, username="medic_b")
    resident, staff = ResidentFactory(facility=facility_a), StaffFactory(facility=facility_a)
    services.log_view(actor=officer, subject=resident)
    services.log_view(actor=officer, subject=staff)
    services.reveal_identifier(actor=officer, person=staff, field="phone", purpose="通知家属探视时间")
    services.log_view(actor=medic, subject=ResidentFactory(facility=facility_b))
    return {"resident": resident, "staff": staff}


def _page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get("/privacy/access-log/", params)


def _rows(response) -> list[str]:
    body = response.content.decode().split('id="access-log"')[1].split("</tbody>")[0]
    return [row for row in body.split("<tr")[2:] if "access-kind-" in row]


def test_the_audit_administrator_sees_every_facility_and_filters(member, logged, facility_b):
    auditor = member(Role.AUDIT_ADMIN)
    assert len(_rows(_page(auditor))) == 4
    reveals = _rows(_page(auditor, kind="reveal"))
    assert len(reveals) == 1 and "通知家属探视时间" in reveals[0] and "officer_a" in reveals[0]
    assert logged["staff"].phone not in reveals[0]
    assert len(_rows(_page(auditor, actor="medic"))) == 1
    assert len(_rows(_page(auditor, facility=facility_b.pk))) == 1
    assert len(_rows(_page(auditor, subject_type="people.resident", subject_id=logged["resident"].pk))) == 1
    assert len(_rows(_page(auditor, purpose="探视"))) == 1
    assert _page(auditor, since="not-a-date").status_code == 200  # a bad filter is ignored, not a 500
    assert AuditEvent.objects.filter(action="privacy.access_log_viewed", actor=auditor).count() == 7


@pytest.mark.parametrize(
    "role",
    [Role.FACILITY_LEADER, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.PROSECUTOR],
)
def test_nobody_else_reads_the_access_log(member, facility_a, logged, role):
    user = member(role, facility_a if role in (Role.FACILITY_LEADER, Role.PROSECUTOR) else None)
    response = _page(user)
    assert response.status_code == 403 and "通知家属探视时间" not in response.content.decode()
    assert AuditEvent.objects.filter(action="audit.view_access_log", outcome="denied").count() == 1
