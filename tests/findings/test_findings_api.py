"""The findings API: record, every step through its service, multipart evidence, timeline, measures, rates."""

import pytest
from findings_helpers import png, record, self_identified
from rest_framework.test import APIClient

from factories_findings import days, responsible
from jiedu.findings import services
from jiedu.findings.models import Finding

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_whole_round_trip_through_the_api(world):
    bureau, facility = client_for(world.supervisor), client_for(world.officer_a)
    created = bureau.post("/api/v1/findings/", {
        "facility": world.a.pk, "origin": "inspection", "inspection": world.inspection.pk, "method": "site_check",
        "standard": world.standard.pk, "severity": "serious", "title": "监控室值守脱岗",
        "responsible_department": world.department.pk, "responsible_staff": world.staff.pk,
        "found_on": world.inspection.starts_on.isoformat(), "deadline": days(15).isoformat(),
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    finding = created.json()
    assert (finding["campaign"], finding["team"], finding["area"], finding["status"]) == (
        world.campaign.pk, world.team.pk, world.standard.area_id, "open",
    )  # fmt: skip
    url = f"/api/v1/findings/{finding['id']}"

    assert (
        facility.post(f"{url}/start/", {"note": "已安排整改"}, format="json").json()["status"] == "rectifying"
    )
    submitted = facility.post(
        f"{url}/submit/", {"note": "已调整排班", "files": [png(), png("第二张.png")]}, format="multipart"
    )
    assert submitted.status_code == 200, submitted.json()
    verified = bureau.post(f"{url}/verify/", {"note": "复核通过"}, format="json").json()
    assert verified["status"] == "verified" and verified["rectified_on"] == days(0).isoformat()
    assert bureau.post(f"{url}/close/", {}, format="json").json()["status"] == "closed"

    events = facility.get("/api/v1/finding-events/", {"finding": finding["id"]}).json()["results"]
    assert [e["kind"] for e in events] == ["recorded", "started", "submitted", "verified", "closed"]
    assert len(events[2]["evidence"]) == 2


def test_a_refused_step_is_a_400_with_the_field(world, recorded):
    facility = client_for(world.officer_a)

    no_file = facility.post(f"/api/v1/findings/{recorded.pk}/submit/", {"note": "已整改"}, format="multipart")
    assert no_file.status_code == 400 and "files" in no_file.json()

    services.submit_rectification(actor=world.officer_a, finding=recorded, note="已整改", files=[png()])
    wrong_side = client_for(world.leader_a).post(f"/api/v1/findings/{recorded.pk}/verify/", {}, format="json")
    assert wrong_side.status_code == 400 and "non_field_errors" in wrong_side.json()
    assert facility.post(f"/api/v1/findings/{recorded.pk}/verify/", {}, format="json").status_code == 403
    late = client_for(world.supervisor).post(
        f"/api/v1/findings/{recorded.pk}/extend/",
        {"new_deadline": days(40).isoformat(), "reason": "x"},
        format="json",
    )
    assert late.status_code == 400  # a submitted finding waits for verification, not for more time


def test_the_responsible_persons_own_verification_is_a_field_error(world, member):
    from jiedu.organisation.roles import Role

    bureau_user = member(Role.BUREAU_LEADER)
    department, staff = responsible(world.a, user=bureau_user)
    finding = record(world, responsible_department=department, responsible_staff=staff)
    services.submit_rectification(actor=world.officer_a, finding=finding, note="已整改", files=[png()])

    response = client_for(bureau_user).post(f"/api/v1/findings/{finding.pk}/verify/", {}, format="json")

    assert response.status_code == 400 and "verified_by" in response.json()


def test_reject_reopen_extend_and_withdraw(world):
    bureau = client_for(world.supervisor)
    finding = record(world)
    services.submit_rectification(actor=world.officer_a, finding=finding, note="已整改", files=[png()])

    rejected = bureau.post(
        f"/api/v1/findings/{finding.pk}/reject/", {"note": "整改不到位"}, format="json"
    ).json()
    assert (rejected["status"], rejected["reopen_count"]) == ("rectifying", 1)
    extended = bureau.post(f"/api/v1/findings/{finding.pk}/extend/",
                           {"new_deadline": days(45).isoformat(), "reason": "需采购设备"}, format="json").json()  # fmt: skip
    assert extended["deadline"] == days(45).isoformat()
    withdrawn = bureau.post(
        f"/api/v1/findings/{finding.pk}/withdraw/", {"reason": "重复记录"}, format="json"
    ).json()
    assert withdrawn["status"] == "withdrawn"
    assert (
        bureau.post(
            f"/api/v1/findings/{finding.pk}/reopen/", {"reason": "再次发现"}, format="json"
        ).status_code
        == 400
    )


def test_lists_are_scoped_and_filtered(world):
    own = record(world, deadline=days(-2))
    department, staff = responsible(world.b)
    other = self_identified(world, actor=world.supervisor, facility=world.b, responsible_department=department,
                            responsible_staff=staff)  # fmt: skip
    facility = client_for(world.officer_a)

    assert [row["id"] for row in facility.get("/api/v1/findings/").json()["results"]] == [own.pk]
    assert facility.get(f"/api/v1/findings/{other.pk}/").status_code == 404
    assert facility.get("/api/v1/findings/", {"facility": world.b.pk}).status_code == 400
    bureau = client_for(world.supervisor)
    assert {row["id"] for row in bureau.get("/api/v1/findings/").json()["results"]} == {own.pk, other.pk}
    assert [row["id"] for row in bureau.get("/api/v1/findings/", {"overdue": "true"}).json()["results"]] == [
        own.pk
    ]
    assert [
        row["id"] for row in bureau.get("/api/v1/findings/", {"team": world.team.pk}).json()["results"]
    ] == [own.pk]
    assert bureau.get("/api/v1/findings/", {"overdue": "true"}).json()["results"][0]["is_overdue"] is True


def test_the_rates_endpoint_groups_by_facility_area_team_and_month(world):
    done = record(world)
    services.submit_rectification(actor=world.officer_a, finding=done, note="已整改", files=[png()])
    services.verify(actor=world.supervisor, finding=done)
    record(world, deadline=days(-1))
    bureau = client_for(world.supervisor)

    by_facility = bureau.get(
        "/api/v1/findings/rates/", {"campaign": world.campaign.pk, "by": "facility"}
    ).json()
    assert [(row["key"], row["found"], row["rectified"]) for row in by_facility["rows"]] == [
        (str(world.a.pk), 2, 1), (str(world.b.pk), 0, 0),
    ]  # fmt: skip
    assert by_facility["total"] == {"found": 2, "rectified": 1, "on_time": 1, "overdue": 1,
                                    "rectification_rate": "50.0", "on_time_rate": "100.0"}  # fmt: skip
    by_area = bureau.get("/api/v1/findings/rates/", {"campaign": world.campaign.pk, "by": "area"}).json()
    assert len(by_area["rows"]) == 2 and by_area["rows"][0]["found"] == 2
    by_team = bureau.get("/api/v1/findings/rates/", {"campaign": world.campaign.pk, "by": "team"}).json()
    assert by_team["rows"] == [
        {**by_team["rows"][0], "key": str(world.team.pk), "label": "第一现场督导组", "found": 2}
    ]
    by_month = bureau.get("/api/v1/findings/rates/", {"campaign": world.campaign.pk, "by": "month"}).json()
    assert sum(row["found"] for row in by_month["rows"]) == 2 and len(by_month["rows"]) >= 7
    facility_view = (
        client_for(world.officer_a).get("/api/v1/findings/rates/", {"campaign": world.campaign.pk}).json()
    )
    assert [row["key"] for row in facility_view["rows"]] == [str(world.a.pk)]
    assert bureau.get("/api/v1/findings/rates/", {"by": "colour"}).status_code == 400


def test_measures_through_the_api(world):
    first, second = record(world), record(world)
    leader = client_for(world.leader_a)

    created = leader.post("/api/v1/rectification-measures/", {
        "facility": world.a.pk, "campaign": world.campaign.pk, "title": "修订值班制度",
        "responsible_department": world.department.pk, "due_on": days(30).isoformat(), "findings": [first.pk, second.pk],
    }, format="json")  # fmt: skip

    assert created.status_code == 201, created.json()
    assert sorted(created.json()["findings"]) == sorted([first.pk, second.pk])
    completed = client_for(world.officer_a).post(
        f"/api/v1/rectification-measures/{created.json()['id']}/complete/", {}, format="json"
    )
    assert completed.json()["completed_on"] == days(0).isoformat()
    empty = leader.post("/api/v1/rectification-measures/", {
        "facility": world.a.pk, "title": "空措施", "responsible_department": world.department.pk,
        "due_on": days(30).isoformat(), "findings": [],
    }, format="json")  # fmt: skip
    assert empty.status_code == 400 and "findings" in empty.json()
    assert Finding.objects.count() == 2
