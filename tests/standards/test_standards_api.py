"""The standards API: versions (draft, publish, diff), areas and standards of drafts, self-assessments."""

import datetime

import pytest
from rest_framework.test import APIClient

from factories_standards import SelfAssessmentFactory, StandardFactory
from jiedu.organisation.roles import Role
from jiedu.standards import services
from jiedu.standards.models import CatalogueVersion, SelfAssessmentItem, Standard

STANDARD = {
    "title": "四区功能分区", "requirement": "按四区设置功能区。", "check_method": "实地查看",
    "scoring_rule": "未按四区设置扣10分。",
}  # fmt: skip


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR)


@pytest.fixture
def bureau(supervisor):
    return client_for(supervisor)


def test_the_bureau_builds_publishes_and_compares_versions_through_the_api(bureau):
    draft = bureau.post("/api/v1/catalogue-versions/", {"name": "戒毒场所规范化建设标准", "version": "2022版"}, format="json")
    assert draft.status_code == 201, draft.json()
    version_id = draft.json()["id"]
    area = bureau.post("/api/v1/standards-areas/", {"catalogue": version_id, "code": "01", "name": "基本模式"}, format="json")
    assert area.status_code == 201, area.json()
    created = bureau.post(
        "/api/v1/standards/", {"area": area.json()["id"], "code": "01-01", "max_points": "15", **STANDARD}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["catalogue"] == version_id

    published = bureau.post(f"/api/v1/catalogue-versions/{version_id}/publish/", {"effective_from": "2022-01-01"}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["standard_count"] == 1 and published.json()["total_points"] == "15.0"

    newer = bureau.post(
        "/api/v1/catalogue-versions/", {"name": "戒毒场所规范化建设标准", "version": "2026版", "based_on": version_id},
        format="json",
    ).json()  # fmt: skip
    copied = bureau.get("/api/v1/standards/", {"catalogue": newer["id"]}).json()["results"][0]
    patched = bureau.patch(
        f"/api/v1/standards/{copied['id']}/", {"max_points": "12", "version": copied["version"]}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["max_points"] == "12.0"

    diff = bureau.get(f"/api/v1/catalogue-versions/{newer['id']}/diff/", {"against": version_id}).json()
    assert diff["added"] == [] and diff["removed"] == []
    assert diff["changed"][0]["code"] == "01-01" and diff["changed"][0]["fields"] == ["max_points"]
    assert diff["changed"][0]["old"]["max_points"] == "15.0" and diff["changed"][0]["new"]["max_points"] == "12.0"


def test_a_published_version_refuses_changes_with_a_400(bureau):
    standard = StandardFactory()

    patched = bureau.patch(f"/api/v1/standards/{standard.pk}/", {"title": "改", "version": 1}, format="json")
    removed = bureau.post(f"/api/v1/standards/{standard.pk}/remove/")
    again = bureau.post(f"/api/v1/catalogue-versions/{standard.catalogue_id}/publish/", {"effective_from": "2026-01-01"}, format="json")

    assert patched.status_code == 400 and removed.status_code == 400 and again.status_code == 400
    standard.refresh_from_db()
    assert standard.title != "改" and Standard.objects.count() == 1


def test_facility_users_read_published_versions_but_neither_drafts_nor_writes(member, facility_a, supervisor):
    published = StandardFactory().catalogue
    draft = services.create_draft(actor=supervisor, name="草稿", version="2026版")
    officer = client_for(member(Role.FACILITY_OFFICER, facility_a))

    ids = {row["id"] for row in officer.get("/api/v1/catalogue-versions/").json()["results"]}

    assert ids == {published.pk}
    assert officer.get(f"/api/v1/catalogue-versions/{draft.pk}/").status_code == 404
    assert officer.post("/api/v1/catalogue-versions/", {"name": "x", "version": "y"}, format="json").status_code == 403
    assert officer.post(
        "/api/v1/standards-areas/", {"catalogue": draft.pk, "code": "01", "name": "基本模式"}, format="json"
    ).status_code == 403
    assert CatalogueVersion.objects.count() == 2 and not draft.areas.exists()


def test_a_duplicate_area_code_is_a_field_error(bureau, supervisor):
    draft = services.create_draft(actor=supervisor, name="标准", version="2026版")
    services.add_area(actor=supervisor, catalogue=draft, code="01", name="基本模式")

    response = bureau.post("/api/v1/standards-areas/", {"catalogue": draft.pk, "code": "01", "name": "其他"}, format="json")

    assert response.status_code == 400 and "code" in response.json()


def test_a_leader_self_assesses_through_the_api(member, facility_a):
    leader = client_for(member(Role.FACILITY_LEADER, facility_a))
    standard = StandardFactory(max_points="5")
    second = StandardFactory(area=standard.area, max_points="10")

    started = leader.post(
        "/api/v1/self-assessments/", {"facility": facility_a.pk, "catalogue": standard.catalogue_id, "period": "2026年度"},
        format="json",
    )  # fmt: skip
    assert started.status_code == 201, started.json()
    url = f"/api/v1/self-assessments/{started.json()['id']}/"
    too_many = leader.post(
        url + "items/", {"area": standard.area_id, "items": [{"standard": standard.pk, "points": "4"},
                                                             {"standard": second.pk, "points": "11"}]}, format="json",
    )  # fmt: skip
    assert too_many.status_code == 400 and f"points_{second.pk}" in too_many.json()
    assert SelfAssessmentItem.objects.count() == 0
    early = leader.post(url + "submit/")
    assert early.status_code == 400

    scored = leader.post(
        url + "items/", {"area": standard.area_id, "items": [{"standard": standard.pk, "points": "4", "note": "缺1处"},
                                                             {"standard": second.pk, "points": "10"}]}, format="json",
    )  # fmt: skip
    submitted = leader.post(url + "submit/")

    assert scored.status_code == 200 and scored.json()["totals"]["overall"]["points"] == "14.0"
    assert scored.json()["totals"]["overall"]["percent"] == "93.3"
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    listed = leader.get("/api/v1/self-assessments/").json()["results"]
    assert listed[0]["scored"] == 2 and listed[0]["points"] == "14.0"


def test_self_assessments_are_scoped_to_the_facility_and_the_bureau_sees_all(member, facility_a, facility_b):
    own = SelfAssessmentFactory(facility=facility_a)
    theirs = SelfAssessmentFactory(facility=facility_b)
    leader = client_for(member(Role.FACILITY_LEADER, facility_a))
    bureau = client_for(member(Role.BUREAU_LEADER))

    own_ids = {row["id"] for row in leader.get("/api/v1/self-assessments/").json()["results"]}
    bureau_ids = {row["id"] for row in bureau.get("/api/v1/self-assessments/").json()["results"]}

    assert own_ids == {own.pk} and bureau_ids == {own.pk, theirs.pk}
    assert leader.get(f"/api/v1/self-assessments/{theirs.pk}/").status_code == 404
    assert leader.post(f"/api/v1/self-assessments/{theirs.pk}/submit/").status_code == 404
    refused = leader.post(
        "/api/v1/self-assessments/", {"facility": facility_b.pk, "catalogue": own.catalogue_id, "period": "x"}, format="json"
    )
    assert refused.status_code == 400 and "facility" in refused.json()


def test_the_bureau_cannot_self_assess_for_a_facility(member, facility_a):
    catalogue = StandardFactory().catalogue
    response = client_for(member(Role.BUREAU_SUPERVISOR)).post(
        "/api/v1/self-assessments/", {"facility": facility_a.pk, "catalogue": catalogue.pk, "period": "2026年度"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403


def test_the_diff_needs_a_visible_version_to_compare_with(bureau):
    version = StandardFactory().catalogue
    assert bureau.get(f"/api/v1/catalogue-versions/{version.pk}/diff/").status_code == 400
    assert bureau.get(f"/api/v1/catalogue-versions/{version.pk}/diff/", {"against": 99999}).status_code == 400
    assert bureau.get(f"/api/v1/catalogue-versions/{version.pk}/diff/", {"against": version.pk}).json()["changed"] == []
    assert datetime.date.fromisoformat(bureau.get(f"/api/v1/catalogue-versions/{version.pk}/").json()["effective_from"])
