"""Versioning (drafts, publishing, nothing recorded ever changes), draft editing and self-assessments."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from factories_standards import (
    AreaFactory,
    CatalogueVersionFactory,
    SelfAssessmentFactory,
    SelfAssessmentItemFactory,
    StandardFactory,
)
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.standards import services
from jiedu.standards.models import Area, CatalogueVersion, SelfAssessment, SelfAssessmentItem, Standard

STANDARD = {
    "code": "01-01", "title": "四区功能分区", "requirement": "按四区设置功能区。", "check_method": "实地查看",
    "max_points": "15", "scoring_rule": "未按四区设置扣10分。",
}  # fmt: skip


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR)


@pytest.fixture
def leader_a(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


def draft_with_standard(actor, *, version="2022版"):
    draft = services.create_draft(actor=actor, name="戒毒场所规范化建设标准", version=version)
    area = services.add_area(actor=actor, catalogue=draft, code="01", name="基本模式")
    standard = services.add_standard(actor=actor, area=area, **STANDARD)
    return draft, area, standard


# --- Drafts and publishing -----------------------------------------------------------------------


def test_a_supervisor_drafts_edits_and_publishes_a_version(supervisor):
    draft, area, standard = draft_with_standard(supervisor)

    published = services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))

    assert published.status == "published" and published.published_by == supervisor
    assert published.published_at is not None and standard.max_points == Decimal("15")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "standards.draft_created", "standards.area_added", "standards.standard_added", "standards.published",
    ]  # fmt: skip


@pytest.mark.parametrize("role", [Role.BUREAU_LEADER, Role.FACILITY_LEADER])
def test_only_the_catalogues_managers_draft_versions(member, facility_a, role):
    actor = member(role, None if role == Role.BUREAU_LEADER else facility_a)
    with pytest.raises(AccessDenied):
        services.create_draft(actor=actor, name="标准", version="2022版")
    assert CatalogueVersion.objects.count() == 0


def test_a_published_version_refuses_every_change(supervisor):
    draft, area, standard = draft_with_standard(supervisor)
    services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    area.catalogue.refresh_from_db()
    standard.catalogue.refresh_from_db()

    attempts = [
        lambda: services.add_area(actor=supervisor, catalogue=area.catalogue, code="02", name="教育矫正"),
        lambda: services.update_area(actor=supervisor, area=area, name="改名"),
        lambda: services.remove_area(actor=supervisor, area=area),
        lambda: services.add_standard(actor=supervisor, area=area, **{**STANDARD, "code": "01-02"}),
        lambda: services.update_standard(actor=supervisor, standard=standard, max_points="5"),
        lambda: services.remove_standard(actor=supervisor, standard=standard),
        lambda: services.import_rows(actor=supervisor, catalogue=area.catalogue, rows=[]),
        lambda: services.publish(actor=supervisor, catalogue=area.catalogue, effective_from=datetime.date(2023, 1, 1)),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError):
            attempt()
    standard.refresh_from_db()
    assert (standard.max_points, Area.objects.get().name) == (Decimal("15"), "基本模式")
    assert Standard.objects.count() == 1


def test_publishing_a_new_version_retires_the_old_and_changes_nothing_recorded_against_it(supervisor, leader_a, facility_a):
    # given a published 2022 version and a self-assessment scored against it
    draft, area, standard = draft_with_standard(supervisor)
    old = services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=old, period="2022年度")
    services.score_area(actor=leader_a, assessment=assessment, area=area, scores={standard.pk: ("12.5", "台账不全")})
    # when a 2026 draft based on it is edited and published
    new = services.create_draft(actor=supervisor, name=old.name, version="2026版", based_on=old)
    copied = new.standards.get(code="01-01")
    services.update_standard(actor=supervisor, standard=copied, max_points="20", title="四区功能分区（修订）")
    new = services.publish(actor=supervisor, catalogue=new, effective_from=datetime.date(2026, 1, 1))
    # then the old version is retired, its rows and the recorded score untouched
    old.refresh_from_db()
    standard.refresh_from_db()
    item = SelfAssessmentItem.objects.select_related("standard").get()
    assert old.status == "retired" and new.status == "published"
    assert (standard.title, standard.max_points) == ("四区功能分区", Decimal("15"))
    assert item.standard == standard and item.standard.title == "四区功能分区" and item.points == Decimal("12.5")
    assert copied.pk != standard.pk and Standard.objects.get(pk=copied.pk).max_points == Decimal("20")


def test_a_draft_based_on_a_version_copies_its_areas_and_standards(supervisor):
    base, _area, _standard = draft_with_standard(supervisor)
    services.add_area(actor=supervisor, catalogue=base, code="11", name="安全管理", is_illustrative=True)

    draft = services.create_draft(actor=supervisor, name=base.name, version="2026版", based_on=base)

    assert list(draft.areas.values_list("code", "name", "is_illustrative")) == [
        ("01", "基本模式", False), ("11", "安全管理", True),
    ]  # fmt: skip
    assert list(draft.standards.values_list("code", "area__code", "max_points")) == [("01-01", "01", Decimal("15"))]
    assert base.standards.count() == 1


def test_the_new_version_must_come_into_force_after_the_one_it_replaces(supervisor):
    old, _area, _standard = draft_with_standard(supervisor)
    services.publish(actor=supervisor, catalogue=old, effective_from=datetime.date(2022, 1, 1))
    new = services.create_draft(actor=supervisor, name=old.name, version="2026版", based_on=old)

    with pytest.raises(DomainError) as refused:
        services.publish(actor=supervisor, catalogue=new, effective_from=datetime.date(2021, 12, 31))

    assert refused.value.field == "effective_from"
    old.refresh_from_db()
    assert old.status == "published" and CatalogueVersion.objects.get(pk=new.pk).status == "draft"


def test_an_empty_version_or_area_is_not_published(supervisor):
    draft = services.create_draft(actor=supervisor, name="标准", version="1版")
    with pytest.raises(DomainError):
        services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    area = services.add_area(actor=supervisor, catalogue=draft, code="01", name="基本模式")
    services.add_standard(actor=supervisor, area=area, **STANDARD)
    services.add_area(actor=supervisor, catalogue=draft, code="02", name="教育矫正")
    with pytest.raises(DomainError) as refused:
        services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    assert "教育矫正" in str(refused.value.message)


def test_duplicate_version_area_and_standard_codes_are_field_errors(supervisor):
    draft, area, _standard = draft_with_standard(supervisor)
    cases = [
        (lambda: services.create_draft(actor=supervisor, name=draft.name, version=draft.version), "version"),
        (lambda: services.add_area(actor=supervisor, catalogue=draft, code="01", name="其他"), "code"),
        (lambda: services.add_area(actor=supervisor, catalogue=draft, code="02", name="基本模式"), "name"),
        (lambda: services.add_standard(actor=supervisor, area=area, **STANDARD), "code"),
        (lambda: services.add_standard(actor=supervisor, area=area, **{**STANDARD, "code": "9", "max_points": "0"}), "max_points"),
        (lambda: services.add_standard(actor=supervisor, area=area, **{**STANDARD, "code": "9", "scoring_rule": ""}), "scoring_rule"),
    ]  # fmt: skip
    for attempt, field in cases:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.field == field


def test_an_area_with_standards_is_not_removed_but_a_moved_standard_frees_it(supervisor):
    draft, area, standard = draft_with_standard(supervisor)
    other = services.add_area(actor=supervisor, catalogue=draft, code="02", name="教育矫正")
    with pytest.raises(DomainError):
        services.remove_area(actor=supervisor, area=area)

    services.update_standard(actor=supervisor, standard=standard, area=other)
    services.remove_area(actor=supervisor, area=area)

    assert list(draft.areas.values_list("code", flat=True)) == ["02"]
    assert Standard.objects.get().area == other


def test_the_database_refuses_points_out_of_range_and_duplicate_codes(db):
    area = AreaFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardFactory(area=area, max_points=Decimal("0"))
    StandardFactory(area=area, code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardFactory(area=area, code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueVersion.objects.create(name="n", version="v", status="published", created_by=area.catalogue.created_by)


# --- Self-assessments ----------------------------------------------------------------------------


@pytest.fixture
def published(supervisor):
    draft, area, standard = draft_with_standard(supervisor)
    second = services.add_standard(actor=supervisor, area=area, **{**STANDARD, "code": "01-02", "max_points": "5"})
    services.publish(actor=supervisor, catalogue=draft, effective_from=datetime.date(2022, 1, 1))
    draft.refresh_from_db()
    return draft, area, standard, second


def test_a_facility_leader_scores_an_area_and_submits(leader_a, facility_a, published):
    catalogue, area, first, second = published
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")

    services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("15", ""), second.pk: ("2.5", "缺记录")})
    services.score_area(actor=leader_a, assessment=assessment, area=area, scores={second.pk: ("4", "已补齐")})
    submitted = services.submit_self_assessment(actor=leader_a, assessment=assessment)

    assert submitted.status == "submitted" and submitted.submitted_by == leader_a
    assert dict(assessment.items.values_list("standard__code", "points")) == {"01-01": Decimal("15"), "01-02": Decimal("4")}
    assert assessment.items.get(standard=second).note == "已补齐"
    actions = set(AuditEvent.objects.filter(facility_id=facility_a.pk).values_list("action", flat=True))
    assert actions == {
        "standards.self_assessment_started", "standards.self_assessment_scored", "standards.self_assessment_submitted",
    }  # fmt: skip


def test_points_above_the_maximum_save_nothing_of_the_area(leader_a, facility_a, published):
    catalogue, area, first, second = published
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")

    with pytest.raises(DomainError) as refused:
        services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("15", ""), second.pk: ("5.5", "")})

    assert refused.value.field == f"points_{second.pk}" and "01-02" in refused.value.message
    assert SelfAssessmentItem.objects.count() == 0
    with pytest.raises(DomainError):
        services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("-1", "")})


def test_a_standard_of_another_area_or_version_is_refused(leader_a, facility_a, published):
    catalogue, area, first, _second = published
    foreign = StandardFactory()
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")

    with pytest.raises(DomainError):
        services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("1", ""), foreign.pk: ("1", "")})
    with pytest.raises(DomainError):
        services.score_area(actor=leader_a, assessment=assessment, area=foreign.area, scores={foreign.pk: ("1", "")})
    assert SelfAssessmentItem.objects.count() == 0


def test_submitting_needs_every_standard_and_then_nothing_changes(leader_a, facility_a, published):
    catalogue, area, first, second = published
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")
    services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("10", "")})

    with pytest.raises(DomainError):
        services.submit_self_assessment(actor=leader_a, assessment=assessment)
    services.score_area(actor=leader_a, assessment=assessment, area=area, scores={second.pk: ("5", "")})
    services.submit_self_assessment(actor=leader_a, assessment=assessment)

    with pytest.raises(DomainError):
        services.score_area(actor=leader_a, assessment=assessment, area=area, scores={first.pk: ("1", "")})
    with pytest.raises(DomainError):
        services.submit_self_assessment(actor=leader_a, assessment=assessment)
    assert assessment.items.get(standard=first).points == Decimal("10")


def test_only_a_published_version_is_assessed_once_per_period(leader_a, facility_a, supervisor, published):
    catalogue = published[0]
    draft = services.create_draft(actor=supervisor, name=catalogue.name, version="2026版", based_on=catalogue)
    with pytest.raises(DomainError) as refused:
        services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=draft, period="2026年度")
    assert refused.value.field == "catalogue"

    services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")
    with pytest.raises(DomainError) as refused:
        services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")
    assert refused.value.field == "period" and SelfAssessment.objects.count() == 1


@pytest.mark.parametrize("role", [Role.FACILITY_OFFICER, Role.PROSECUTOR, Role.BUREAU_SUPERVISOR])
def test_only_the_facilitys_own_leaders_self_assess(member, facility_a, facility_b, leader_a, published, role):
    catalogue, area, first, _second = published
    other = member(role, None if role == Role.BUREAU_SUPERVISOR else facility_a)
    with pytest.raises(AccessDenied):
        services.start_self_assessment(actor=other, facility=facility_a, catalogue=catalogue, period="2026年度")
    with pytest.raises(AccessDenied):
        services.start_self_assessment(actor=leader_a, facility=facility_b, catalogue=catalogue, period="2026年度")
    assessment = services.start_self_assessment(actor=leader_a, facility=facility_a, catalogue=catalogue, period="2026年度")
    with pytest.raises(AccessDenied):
        services.score_area(actor=other, assessment=assessment, area=area, scores={first.pk: ("1", "")})


def test_the_database_refuses_negative_points_and_a_second_item_per_standard(facility_a):
    item = SelfAssessmentItemFactory(facility=facility_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessmentItemFactory(facility=facility_a, assessment=item.assessment, standard=item.standard)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessmentItem.objects.filter(pk=item.pk).update(points=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessmentFactory(facility=facility_a, status="submitted")


def test_published_factory_versions_are_consistent(db):
    version = CatalogueVersionFactory()
    assert version.status == "published" and version.effective_from and version.published_at
