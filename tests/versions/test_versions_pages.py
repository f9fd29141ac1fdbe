"""Every edit page, opened before someone else saved the same record: saving it shows the conflict
(409, the saved value beside the typed one) and overwrites nothing; saving again from the conflict
page, which now carries the current version, is a deliberate overwrite and goes through.
Finding steps have their own tests in tests/findings/test_findings_conflicts.py."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from factories import PASSWORD
from factories_assessment import TargetSchemeFactory
from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from factories_hygiene import HygieneInspectionFactory
from factories_standards import AreaFactory, CatalogueVersionFactory, StandardFactory
from jiedu.assessment import services as assessment
from jiedu.assessment.models import TargetScheme
from jiedu.environment import services as environment
from jiedu.environment.models import EnvironmentRecord
from jiedu.hygiene import services as hygiene
from jiedu.organisation.roles import Role
from jiedu.standards import services as standards
from jiedu.standards.models import CatalogueVersion

pytestmark = pytest.mark.django_db

SCHEME = {
    "full_marks": "100", "inspection_points": "70", "open_general": "0.5", "open_serious": "1",
    "open_major": "2", "overdue": "1", "late_rectified": "0.2",
}  # fmt: skip
VERSION = re.compile(r'name="expected_version" value="(\d+)"')


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.user = user
    return client


def _draft():
    return CatalogueVersionFactory(status=CatalogueVersion.Status.DRAFT)


def _standard_form(standard, title):
    return {
        "area": standard.area_id, "code": standard.code, "title": title, "requirement": standard.requirement,
        "check_method": standard.check_method, "max_points": str(standard.max_points),
        "scoring_rule": standard.scoring_rule, "expected_evidence": "", "legal_basis": "", "position": "",
    }  # fmt: skip


@dataclass(frozen=True)
class EditPage:
    name: str
    make: Callable  # facility -> record
    url: Callable  # record -> url
    role: str
    form: Callable  # (record, value) -> POST data without the version
    theirs: Callable  # (actor, record, value) -> someone else's save through the service
    saved: Callable  # record -> the field's value in the database
    values: tuple[str, str]  # (theirs, mine)
    bureau: bool = False


PAGES = [
    EditPage(
        "key-area", lambda f: KeyAreaFactory(facility=f), lambda a: f"/environment/areas/{a.pk}/edit/",
        Role.FACILITY_LEADER, lambda a, v: {"name": a.name, "zone": "", "note": v},
        lambda actor, a, v: environment.update_key_area(actor=actor, area=a, note=v),
        lambda a: type(a).objects.get(pk=a.pk).note, ("二楼", "三楼"),
    ),
    EditPage(
        "hygiene-inspection", lambda f: HygieneInspectionFactory(facility=f), lambda i: f"/hygiene/{i.pk}/correct/",
        Role.FACILITY_LEADER, lambda i, v: {"score": str(i.score), "problems": v},
        lambda actor, i, v: hygiene.correct_inspection(actor=actor, inspection=i, problems=v),
        lambda i: type(i).objects.get(pk=i.pk).problems, ("地面有水渍", "窗台积灰"),
    ),
    EditPage(
        "standards-area", lambda f: AreaFactory(catalogue=_draft()), lambda a: f"/standards/areas/{a.pk}/edit/",
        Role.BUREAU_SUPERVISOR, lambda a, v: {"code": a.code, "name": v, "position": a.position},
        lambda actor, a, v: standards.update_area(actor=actor, area=a, name=v),
        lambda a: type(a).objects.get(pk=a.pk).name, ("教育矫正", "生活卫生"), bureau=True,
    ),
    EditPage(
        "standard", lambda f: StandardFactory(area__catalogue=_draft()),
        lambda s: f"/standards/standards/{s.pk}/edit/", Role.BUREAU_SUPERVISOR, _standard_form,
        lambda actor, s, v: standards.update_standard(actor=actor, standard=s, title=v),
        lambda s: type(s).objects.get(pk=s.pk).title, ("值班制度", "交接班制度"), bureau=True,
    ),
    EditPage(
        "target-scheme", lambda f: TargetSchemeFactory(year=2026), lambda s: "/assessment/scheme/?year=2026",
        Role.BUREAU_SUPERVISOR, lambda s, v: {**SCHEME, "overdue": v},
        lambda actor, s, v: assessment.set_scheme(actor=actor, year=2026, **{**SCHEME, "overdue": Decimal(v)}),
        lambda s: str(TargetScheme.objects.get(year=2026).overdue), ("1.5", "2.0"), bureau=True,
    ),
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_an_edit_page_opened_before_someone_elses_save_shows_the_conflict_and_saves_nothing(
    member, facility_a, page
):
    record = page.make(facility_a)
    user = member(page.role, None if page.bureau else facility_a)
    client = login(user)
    opened = client.get(page.url(record)).content.decode()
    read = int(VERSION.search(opened).group(1))
    theirs, mine = page.values
    page.theirs(member(page.role, None if page.bureau else facility_a), type(record).objects.get(pk=record.pk), theirs)

    response = client.post(page.url(record), {**page.form(record, mine), "expected_version": read})

    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="conflict"' in body
    assert re.search(rf"<td[^>]*data-current>{re.escape(theirs)}</td><td[^>]*data-yours>{re.escape(mine)}</td>", body)
    assert page.saved(record) == theirs
    # The conflict page carries the version now saved: saving again overwrites knowingly.
    again = int(VERSION.search(body).group(1))
    assert again == read + 1
    assert client.post(page.url(record), {**page.form(record, mine), "expected_version": again}).status_code == 302
    assert page.saved(record) == mine


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_an_edit_page_without_its_version_asks_to_open_it_again(member, facility_a, page):
    record = page.make(facility_a)
    client = login(member(page.role, None if page.bureau else facility_a))
    before = page.saved(record)

    response = client.post(page.url(record), page.form(record, page.values[1]))

    assert response.status_code == 400 and "此页面已过期：请重新打开并再次填写修改。" in response.content.decode()
    assert page.saved(record) == before


def test_a_scheme_set_meanwhile_for_a_year_the_page_showed_empty_is_not_overwritten(member):
    client = login(member(Role.BUREAU_SUPERVISOR))
    opened = client.get("/assessment/scheme/?year=2027").content.decode()
    assert VERSION.search(opened).group(1) == "0"
    assessment.set_scheme(actor=member(Role.BUREAU_SUPERVISOR), year=2027, **{**SCHEME, "overdue": Decimal("1.5")})

    response = client.post("/assessment/scheme/?year=2027", {**SCHEME, "overdue": "3", "expected_version": 0})

    assert response.status_code == 409 and 'id="conflict"' in response.content.decode()
    assert TargetScheme.objects.get(year=2027).overdue == Decimal("1.5")


def test_withdrawing_a_record_someone_corrected_meanwhile_is_refused_on_the_card(member, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    original = EnvironmentRecordFactory(facility=facility_a, area=KeyAreaFactory(facility=facility_a))
    environment.correct_environment_record(actor=officer, original=original, duration_minutes=30)

    response = login(officer).post(f"/environment/records/{original.pk}/retract/", HTTP_HX_REQUEST="true")

    assert response.status_code == 409
    assert "该记录已被更正，请更正最新的一条。" in response.content.decode()
    assert not EnvironmentRecord.objects.filter(is_retraction=True).exists()
