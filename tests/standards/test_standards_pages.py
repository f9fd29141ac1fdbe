"""Catalogue pages (versions, detail, full text, diff, draft editing, publishing, export) and self-assessment pages."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from factories import PASSWORD
from factories_standards import SelfAssessmentFactory
from jiedu.organisation.roles import Role
from jiedu.standards import services
from jiedu.standards.models import CatalogueVersion, SelfAssessment, SelfAssessmentItem, Standard

HTMX = {"HTTP_HX_REQUEST": "true"}
STANDARD = {
    "requirement": "按四区设置功能区。", "check_method": "实地查看", "scoring_rule": "未按四区设置扣10分，扣完为止。",
    "legal_basis": "司法部《全国统一的司法行政戒毒工作基本模式》",
}  # fmt: skip


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR)


@pytest.fixture
def catalogue(supervisor):
    """A published 2022 version (two areas, three standards) and a 2026 draft based on it with changes."""
    draft = services.create_draft(actor=supervisor, name="戒毒场所规范化建设标准", version="2022版")
    basic = services.add_area(actor=supervisor, catalogue=draft, code="01", name="基本模式")
    safety = services.add_area(actor=supervisor, catalogue=draft, code="11", name="安全管理", is_illustrative=True)
    services.add_standard(actor=supervisor, area=basic, code="01-01", title="四区功能分区", max_points="15", **STANDARD)
    services.add_standard(actor=supervisor, area=basic, code="01-02", title="分期分区流转", max_points="5", **STANDARD)
    services.add_standard(actor=supervisor, area=safety, code="11-01", title="安全责任制", max_points="10", **STANDARD)
    published = services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    new = services.create_draft(actor=supervisor, name=published.name, version="2026版", based_on=published)
    services.update_standard(actor=supervisor, standard=new.standards.get(code="01-02"), max_points="8")
    services.remove_standard(actor=supervisor, standard=new.standards.get(code="11-01"))
    services.add_standard(actor=supervisor, area=new.areas.get(code="01"), code="01-03", title="出所衔接", max_points="7", **STANDARD)
    return published, new


# --- Catalogue -----------------------------------------------------------------------------------


def test_facility_users_see_published_versions_the_bureau_also_drafts(member, facility_a, supervisor, catalogue):
    published, draft = catalogue
    officer_page = login(member(Role.FACILITY_OFFICER, facility_a)).get("/standards/").content.decode()
    bureau_page = login(supervisor).get("/standards/").content.decode()

    assert f'data-version-id="{published.pk}"' in officer_page and f'data-version-id="{draft.pk}"' not in officer_page
    assert 'id="new-draft"' not in officer_page
    assert f'data-version-id="{draft.pk}"' in bureau_page and 'id="new-draft"' in bureau_page


def test_a_draft_is_not_found_by_facility_users_and_the_catalogue_needs_the_view_role(member, facility_a, catalogue):
    _published, draft = catalogue
    assert login(member(Role.FACILITY_LEADER, facility_a)).get(f"/standards/versions/{draft.pk}/").status_code == 404
    gate = login(member(Role.GATE_OFFICER, facility_a))
    assert gate.get("/standards/").status_code == 403
    assert gate.get(f"/standards/versions/{catalogue[0].pk}/").status_code == 403


def test_the_version_page_shows_areas_with_counts_and_points_and_the_full_text_on_demand(member, facility_a, catalogue):
    published, _draft = catalogue
    client = login(member(Role.FACILITY_OFFICER, facility_a))

    body = client.get(f"/standards/versions/{published.pk}/").content.decode()
    standard = published.standards.get(code="01-01")
    text = client.get(f"/standards/standards/{standard.pk}/", **HTMX).content.decode()

    assert 'data-area-code="01" data-count="2" data-points="20"' in body
    assert 'data-areas="2" data-standards="3" data-points="30"' in body
    assert "illustrative" in body or "示例" in body or 'class="badge muted"' in body
    assert "扣完为止" not in body  # the long texts come on demand
    assert "<html" not in text and "未按四区设置扣10分，扣完为止。" in text and "基本模式》" in text
    assert 'id="version-publish"' not in body and 'href="/standards/versions/%d/export/"' % published.pk in body


def test_the_diff_page_shows_added_removed_and_changed_standards(supervisor, catalogue):
    published, draft = catalogue

    body = login(supervisor).get(f"/standards/versions/{draft.pk}/diff/").content.decode()

    assert 'data-added="1"' in body and 'data-removed="1"' in body and 'data-changed="1"' in body
    assert '<li data-code="01-03">' in body and '<li data-code="11-01">' in body
    assert 'data-code="01-02" data-fields="max_points"' in body
    assert '<td class="wrap std-old">5</td><td class="wrap std-new">8</td>' in body
    other = login(supervisor).get(f"/standards/versions/{published.pk}/diff/", {"against": draft.pk}).content.decode()
    assert '<li data-code="11-01">' in other and 'data-added="1"' in other


def test_the_supervisor_edits_a_draft_with_errors_next_to_the_field(supervisor, catalogue):
    _published, draft = catalogue
    client = login(supervisor)
    area = draft.areas.get(code="01")

    duplicate = client.post(f"/standards/versions/{draft.pk}/areas/new/", {"code": "01", "name": "新方面"})
    created = client.post(f"/standards/versions/{draft.pk}/areas/new/", {"code": "02", "name": "教育矫正"})
    too_many = client.post(
        f"/standards/versions/{draft.pk}/standards/new/",
        {"area": area.pk, "code": "01-09", "title": "新标准", "max_points": "120", **STANDARD},
    )
    added = client.post(
        f"/standards/versions/{draft.pk}/standards/new/",
        {"area": area.pk, "code": "01-09", "title": "新标准", "max_points": "2.5", **STANDARD},
    )
    standard = draft.standards.get(code="01-09")
    edited = client.post(
        f"/standards/standards/{standard.pk}/edit/",
        {
            "area": area.pk, "code": "01-09", "title": "新标准（修订）", "max_points": "3", **STANDARD,
            "expected_version": standard.version,
        },  # fmt: skip
    )

    assert duplicate.status_code == 400 and 'id="id_code-error"' in duplicate.content.decode()
    assert created.status_code == 302 and draft.areas.filter(code="02").exists()
    assert too_many.status_code == 400 and 'id="id_max_points-error"' in too_many.content.decode()
    assert added.status_code == 302 and edited.status_code == 302
    standard.refresh_from_db()
    assert (standard.title, standard.max_points) == ("新标准（修订）", Decimal("3"))
    assert client.post(f"/standards/standards/{standard.pk}/remove/").status_code == 302
    assert not draft.standards.filter(code="01-09").exists()


def test_a_published_version_offers_no_editing_and_refuses_posts(supervisor, catalogue):
    published, _draft = catalogue
    client = login(supervisor)
    standard = published.standards.get(code="01-01")

    body = client.get(f"/standards/versions/{published.pk}/").content.decode()
    response = client.post(
        f"/standards/standards/{standard.pk}/edit/",
        {
            "area": standard.area_id, "code": "01-01", "title": "改", "max_points": "1", **STANDARD,
            "expected_version": standard.version,
        },  # fmt: skip
    )
    client.post(f"/standards/standards/{standard.pk}/remove/")
    client.post(f"/standards/versions/{published.pk}/areas/new/", {"code": "09", "name": "新"})

    assert 'id="add-area"' not in body and "/edit/" not in body
    assert response.status_code == 302
    standard.refresh_from_db()
    assert (standard.title, standard.max_points) == ("四区功能分区", Decimal("15"))
    assert published.areas.count() == 2 and published.standards.count() == 3


def test_publishing_from_the_page_retires_the_old_version(supervisor, catalogue):
    published, draft = catalogue
    client = login(supervisor)
    services.remove_area(actor=supervisor, area=draft.areas.get(code="11"))  # left empty by the fixture

    too_early = client.post(f"/standards/versions/{draft.pk}/publish/", {"effective_from": "2021-06-01"})
    done = client.post(f"/standards/versions/{draft.pk}/publish/", {"effective_from": "2026-01-01"})

    assert too_early.status_code == 400 and 'id="id_effective_from-error"' in too_early.content.decode()
    assert done.status_code == 302
    assert CatalogueVersion.objects.get(pk=draft.pk).status == "published"
    assert CatalogueVersion.objects.get(pk=published.pk).status == "retired"


def test_the_bureau_creates_a_draft_based_on_a_version(supervisor, catalogue):
    published, _draft = catalogue

    response = login(supervisor).post(
        "/standards/versions/new/", {"name": published.name, "version": "2027版", "based_on": published.pk}
    )

    created = CatalogueVersion.objects.get(version="2027版")
    assert response.status_code == 302 and created.standards.count() == 3 and created.status == "draft"


def test_the_export_is_the_template_filled_in(member, facility_a, catalogue):
    published, _draft = catalogue

    response = login(member(Role.FACILITY_OFFICER, facility_a)).get(f"/standards/versions/{published.pk}/export/")

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("方面编号", "方面名称", "标准编号")
    assert [row[2] for row in rows[2:]] == ["01-01", "01-02", "11-01"]
    assert rows[2][6] == 15 and rows[2][7] == "未按四区设置扣10分，扣完为止。"


# --- Self-assessments ----------------------------------------------------------------------------


@pytest.fixture
def leader_a(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


@pytest.fixture
def assessment(leader_a, facility_a, catalogue):
    return services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue[0], period="2026年度自查")


def test_a_facility_sees_only_its_self_assessments_the_bureau_all(member, facility_a, facility_b, leader_a, assessment):
    theirs = SelfAssessmentFactory(facility=facility_b)

    own_page = login(leader_a).get("/standards/self-assessments/").content.decode()
    bureau_page = login(member(Role.BUREAU_LEADER)).get("/standards/self-assessments/").content.decode()

    assert f'data-assessment-id="{assessment.pk}"' in own_page and f'data-assessment-id="{theirs.pk}"' not in own_page
    assert f'data-assessment-id="{assessment.pk}"' in bureau_page and f'data-assessment-id="{theirs.pk}"' in bureau_page
    assert login(leader_a).get(f"/standards/self-assessments/{theirs.pk}/").status_code == 404
    assert login(leader_a).get(f"/standards/self-assessments/{theirs.pk}/summary/").status_code == 404


def test_a_leader_starts_a_self_assessment_once_per_period(leader_a, facility_a, catalogue):
    client = login(leader_a)
    payload = {"facility": facility_a.pk, "catalogue": catalogue[0].pk, "period": "2026年度自查"}

    page = client.get("/standards/self-assessments/new/").content.decode()
    first = client.post("/standards/self-assessments/new/", payload)
    second = client.post("/standards/self-assessments/new/", payload)

    assert f'value="{catalogue[1].pk}"' not in page  # drafts are not offered
    assert first.status_code == 302 and SelfAssessment.objects.count() == 1
    assert second.status_code == 400 and 'id="id_period-error"' in second.content.decode()


def test_an_officer_reads_but_cannot_start_or_score(member, facility_a, assessment):
    officer = login(member(Role.FACILITY_OFFICER, facility_a))
    area = assessment.catalogue.areas.get(code="01")

    assert officer.get("/standards/self-assessments/new/").status_code == 403
    body = officer.get(f"/standards/self-assessments/{assessment.pk}/").content.decode()
    posted = officer.post(f"/standards/self-assessments/{assessment.pk}/score/", {"area": area.pk})

    assert 'name="area"' not in body and posted.status_code == 403


def _score_payload(area, values, prefix=None):
    prefix = prefix or f"a{area.pk}"
    data = {"area": area.pk}
    for standard in area.standards.order_by("position"):
        points, note = values.get(standard.code, ("", ""))
        data[f"{prefix}-points_{standard.pk}"] = points
        data[f"{prefix}-note_{standard.pk}"] = note
    return data


def test_an_area_is_saved_with_htmx_and_the_totals_follow(leader_a, assessment):
    client = login(leader_a)
    area = assessment.catalogue.areas.get(code="01")

    page = client.get(f"/standards/self-assessments/{assessment.pk}/").content.decode()
    response = client.post(
        f"/standards/self-assessments/{assessment.pk}/score/",
        _score_payload(area, {"01-01": ("12.5", "台账不全"), "01-02": ("5", "")}), **HTMX,
    )  # fmt: skip

    body = response.content.decode()
    assert f'id="area-{area.pk}"' in page and page.count('name="area"') == 2
    assert response.status_code == 200 and "<html" not in body
    assert 'data-points="17.5" data-scored="2"' in body  # the card
    assert 'id="assessment-totals" class="tiles" hx-swap-oob="true"' in body and 'data-points="17.5"' in body
    assert dict(assessment.items.values_list("standard__code", "points")) == {"01-01": Decimal("12.5"), "01-02": Decimal("5")}


def test_points_above_the_maximum_show_next_to_the_field_and_save_nothing(leader_a, assessment):
    client = login(leader_a)
    area = assessment.catalogue.areas.get(code="01")
    over = area.standards.get(code="01-02")

    response = client.post(
        f"/standards/self-assessments/{assessment.pk}/score/",
        _score_payload(area, {"01-01": ("15", ""), "01-02": ("6", "")}), **HTMX,
    )  # fmt: skip

    assert response.status_code == 400
    assert f'id="id_a{area.pk}-points_{over.pk}-error"' in response.content.decode()
    assert SelfAssessmentItem.objects.count() == 0


def test_without_htmx_the_area_save_redirects_back_to_the_area(leader_a, assessment):
    area = assessment.catalogue.areas.get(code="11")
    response = login(leader_a).post(
        f"/standards/self-assessments/{assessment.pk}/score/", _score_payload(area, {"11-01": ("9", "")})
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#area-{area.pk}")


def test_the_summary_shows_totals_by_area_and_submitting_makes_it_read_only(leader_a, assessment):
    client = login(leader_a)
    basic, safety = (assessment.catalogue.areas.get(code=c) for c in ("01", "11"))
    client.post(f"/standards/self-assessments/{assessment.pk}/score/", _score_payload(basic, {"01-01": ("15", ""), "01-02": ("2.5", "")}))

    early = client.post(f"/standards/self-assessments/{assessment.pk}/submit/")
    assert early.status_code == 302 and SelfAssessment.objects.get().status == "draft"
    client.post(f"/standards/self-assessments/{assessment.pk}/score/", _score_payload(safety, {"11-01": ("8", "")}))
    summary = client.get(f"/standards/self-assessments/{assessment.pk}/summary/").content.decode()
    client.post(f"/standards/self-assessments/{assessment.pk}/submit/")
    after = client.get(f"/standards/self-assessments/{assessment.pk}/").content.decode()
    late = client.post(f"/standards/self-assessments/{assessment.pk}/score/", _score_payload(safety, {"11-01": ("1", "")}))

    assert 'data-area-code="01" data-points="17.5" data-percent="87.5"' in summary
    assert 'data-area-code="11" data-points="8" data-percent="80.0"' in summary
    assert 'id="summary-totals" data-points="25.5" data-percent="85.0"' in summary and 'id="submit-form"' in summary
    assert SelfAssessment.objects.get().status == "submitted"
    assert 'name="area"' not in after and late.status_code == 400
    assert SelfAssessmentItem.objects.get(standard__code="11-01").points == Decimal("8")


def test_scoring_refers_only_to_standards_of_the_assessed_version(leader_a, assessment, catalogue):
    other_area = catalogue[1].areas.get(code="01")
    response = login(leader_a).post(
        f"/standards/self-assessments/{assessment.pk}/score/", _score_payload(other_area, {"01-01": ("1", "")})
    )
    assert response.status_code == 302 and SelfAssessmentItem.objects.count() == 0
    assert Standard.objects.filter(catalogue=catalogue[1]).exists()
