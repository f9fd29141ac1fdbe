"""Two people acting on the same finding: the step taken on an older read than the other's is refused
as stale (API 409 with the finding as it is now; pages show the conflict) and changes nothing."""

import pytest
from django.test import Client
from findings_helpers import png, record, self_identified
from rest_framework.test import APIClient

from factories import PASSWORD
from factories_findings import days
from jiedu.audit.models import AuditEvent
from jiedu.findings import services
from jiedu.findings.models import Finding, FindingEvent
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def submitted(world):
    """An inspection finding of facility A, its rectification submitted: the bureau verifies it."""
    finding = record(world)
    return services.submit_rectification(actor=world.officer_a, finding=finding, note="已整改", files=[png()])


def test_two_verifiers_holding_the_same_version_one_wins_the_other_gets_409(world, submitted):
    url = f"/api/v1/findings/{submitted.pk}/verify/"
    first, second = api(world.supervisor), api(world.bureau_leader)
    read = first.get(f"/api/v1/findings/{submitted.pk}/").json()["version"]
    assert second.get(f"/api/v1/findings/{submitted.pk}/").json()["version"] == read

    won = first.post(url, {"note": "复核通过", "version": read}, format="json")
    audited = AuditEvent.objects.count()
    lost = second.post(url, {"note": "复核通过", "version": read}, format="json")

    assert won.status_code == 200 and won.json()["version"] == read + 1
    assert lost.status_code == 409
    assert lost.json()["current"]["status"] == "verified"
    assert lost.json()["current"]["verified_by"] == world.supervisor.pk
    assert lost.json()["current"]["version"] == read + 1
    assert FindingEvent.objects.filter(finding=submitted, kind=FindingEvent.Kind.VERIFIED).count() == 1
    assert AuditEvent.objects.count() == audited


def test_a_step_with_the_current_version_or_none_goes_through(world, submitted):
    client = api(world.supervisor)
    read = Finding.objects.get(pk=submitted.pk).version

    verified = client.post(f"/api/v1/findings/{submitted.pk}/verify/", {"version": read}, format="json")
    closed = client.post(f"/api/v1/findings/{submitted.pk}/close/", {}, format="json")

    assert verified.status_code == 200 and verified.json()["version"] == read + 1
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["version"] == read + 2


def test_a_stale_step_on_a_multipart_submission_is_a_409_too(world):
    finding = self_identified(world)
    read = finding.version
    services.extend_deadline(actor=world.leader_a, finding=finding, new_deadline=days(30), reason="材料待补")

    response = api(world.officer_a).post(
        f"/api/v1/findings/{finding.pk}/submit/", {"note": "已整改", "files": [png()], "version": read},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 409 and response.json()["current"]["deadline"] == days(30).isoformat()
    assert Finding.objects.get(pk=finding.pk).status == "open"


STEPS = {
    "start": {"start-note": "开始整改"},
    "submit": {"submit-note": "已整改"},
    "verify": {"verify-note": "复核通过"},
    "reject": {"reject-note": "缺少照片"},
    "close": {"close-note": ""},
    "reopen": {"reopen-reason": "问题复现"},
    "extend": {"extend-new_deadline": days(40).isoformat(), "extend-reason": "设备待采购"},
    "withdraw": {"withdraw-reason": "误录"},
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_page_taken_on_an_older_read_shows_the_conflict_and_changes_nothing(world, member, step):
    """The facility leader may take every step of a self-identified finding; another leader extended
    the deadline meanwhile. The version is checked first, whatever the step's own rules say."""
    finding = self_identified(world)
    read = finding.version
    services.extend_deadline(
        actor=member(Role.FACILITY_LEADER, world.a), finding=finding, new_deadline=days(20), reason="材料待补"
    )
    events = FindingEvent.objects.filter(finding=finding).count()
    data = {**STEPS[step], f"{step}-expected_version": read}
    if step == "submit":
        data["submit-files"] = [png()]

    response = login(world.leader_a).post(f"/findings/{finding.pk}/{step}/", data)

    body = response.content.decode()
    assert response.status_code == 409
    assert f'id="step-{step}"' in body and 'id="conflict"' in body
    assert f'name="{step}-expected_version" value="{read + 1}"' in body
    after = Finding.objects.get(pk=finding.pk)
    assert (after.status, after.deadline, after.version) == ("open", days(20), read + 1)
    assert FindingEvent.objects.filter(finding=finding).count() == events


def test_a_stale_step_through_htmx_swaps_the_card_with_the_conflict(world, submitted):
    read = Finding.objects.get(pk=submitted.pk).version
    services.verify(actor=world.bureau_leader, finding=submitted, note="复核通过")

    response = login(world.supervisor).post(
        f"/findings/{submitted.pk}/verify/", {"verify-note": "", "verify-expected_version": read},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    body = response.content.decode()
    assert response.status_code == 409 and "<html" not in body
    assert 'id="step-verify"' in body and 'id="conflict"' in body
    assert FindingEvent.objects.filter(finding=submitted, kind=FindingEvent.Kind.VERIFIED).count() == 1


def test_the_detail_page_cards_carry_the_findings_version(world):
    finding = self_identified(world)
    body = login(world.leader_a).get(f"/findings/{finding.pk}/").content.decode()
    assert f'name="start-expected_version" value="{finding.version}"' in body
