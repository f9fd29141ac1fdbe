"""Every editable record over the API: a write based on an old read is a 409 with the record as it is
now and changes nothing; a write with the current version goes through and counts; PUT and PATCH
without a version are refused. The list of editable endpoints is checked against the router, so a
new PUT or PATCH endpoint cannot be left out."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from factories import (
    CommunityStationFactory,
    DepartmentFactory,
    ResidentFactory,
    RoomFactory,
    StaffFactory,
    ZoneFactory,
)
from factories_assessment import TargetSchemeFactory
from factories_environment import KeyAreaFactory
from factories_hygiene import HygieneInspectionFactory
from factories_standards import AreaFactory, CatalogueVersionFactory, StandardFactory
from jiedu.api.urls import router
from jiedu.audit.models import AuditEvent
from jiedu.common.models import VersionedModel
from jiedu.organisation.roles import Role
from jiedu.standards.models import CatalogueVersion

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _draft():
    return CatalogueVersionFactory(status=CatalogueVersion.Status.DRAFT)


@dataclass(frozen=True)
class Editable:
    route: str
    make: Callable  # facility -> the record
    role: str
    field: str
    theirs: object  # the change someone else saves first
    mine: object  # the change sent with the version read before theirs
    methods: tuple[str, ...] = ("put", "patch")
    bureau: bool = False  # the role is region-wide (no facility membership)
    key: Callable = lambda record: record.pk  # the id in the URL


EDITABLE = [
    Editable("facilities", lambda f: f, Role.FACILITY_LEADER, "address", "一号院", "二号院"),
    Editable("departments", lambda f: DepartmentFactory(facility=f), Role.FACILITY_LEADER, "name", "一大队", "二大队"),
    Editable("zones", lambda f: ZoneFactory(facility=f), Role.FACILITY_LEADER, "name", "东区", "西区"),
    Editable("rooms", lambda f: RoomFactory(zone__facility=f, capacity=8), Role.FACILITY_LEADER, "capacity", 6, 4),
    Editable("stations", lambda f: CommunityStationFactory(facility=f), Role.FACILITY_LEADER, "address", "甲路", "乙路"),
    Editable("staff", lambda f: StaffFactory(facility=f), Role.FACILITY_LEADER, "position", "大队长", "教导员"),
    Editable("residents", lambda f: ResidentFactory(facility=f), Role.FACILITY_OFFICER, "name", "王五", "赵六"),
    Editable("key-areas", lambda f: KeyAreaFactory(facility=f), Role.FACILITY_LEADER, "note", "二楼", "三楼"),
    Editable(
        "hygiene-inspections", lambda f: HygieneInspectionFactory(facility=f), Role.FACILITY_LEADER,
        "problems", "地面有水渍", "窗台积灰", methods=("patch",),
    ),  # fmt: skip
    Editable(
        "standards-areas", lambda f: AreaFactory(catalogue=_draft()), Role.BUREAU_SUPERVISOR, "name", "教育矫正",
        "生活卫生", methods=("patch",), bureau=True,
    ),  # fmt: skip
    Editable(
        "standards", lambda f: StandardFactory(area__catalogue=_draft()), Role.BUREAU_SUPERVISOR, "title",
        "值班制度", "交接班制度", methods=("patch",), bureau=True,
    ),  # fmt: skip
    Editable(
        "target-schemes", lambda f: TargetSchemeFactory(year=2026), Role.BUREAU_SUPERVISOR, "overdue", "1.5",
        "2.0", bureau=True, key=lambda scheme: scheme.year,
    ),  # fmt: skip
]
CASES = [pytest.param(e, method, id=f"{e.route}-{method}") for e in EDITABLE for method in e.methods]


def _client(member, editable, facility):
    client = APIClient()
    client.force_authenticate(member(editable.role, None if editable.bureau else facility))
    return client


def _body(client, editable, url, method, change, version) -> dict:
    """A PATCH sends the change; a PUT sends every writable field as read, with the change."""
    if method == "patch":
        return {editable.field: change, "version": version}
    shown = client.get(url).json()
    viewset = dict((prefix, vs) for prefix, vs, _basename in router.registry)[editable.route]
    inputs = (viewset.update_serializer_class or viewset.serializer_class)().fields
    writable = {
        name: shown[name]
        for name, field in inputs.items()
        if name in shown and not field.read_only and not field.write_only
    }  # fmt: skip
    return {**writable, editable.field: change, "version": version}


@pytest.mark.parametrize(("editable", "method"), CASES)
def test_a_stale_version_is_a_409_with_the_record_as_it_is_now_and_changes_nothing(
    member, facility_a, editable, method
):
    record = editable.make(facility_a)
    url = f"{API}/{editable.route}/{editable.key(record)}/"
    client = _client(member, editable, facility_a)
    read = client.get(url).json()["version"]

    theirs = getattr(client, method)(url, _body(client, editable, url, method, editable.theirs, read), format="json")
    assert theirs.status_code == 200, theirs.json()
    assert theirs.json()["version"] == read + 1
    audited = AuditEvent.objects.count()

    mine = getattr(client, method)(url, _body(client, editable, url, method, editable.mine, read), format="json")

    assert mine.status_code == 409, mine.json()
    body = mine.json()
    assert body["detail"] and body["current"]["version"] == read + 1
    assert str(body["current"][editable.field]) == str(client.get(url).json()[editable.field])
    assert str(body["current"][editable.field]).startswith(str(editable.theirs))
    assert client.get(url).json()["version"] == read + 1
    assert AuditEvent.objects.count() == audited  # the refused write left no trace but its answer


@pytest.mark.parametrize(("editable", "method"), CASES)
def test_a_write_with_the_current_version_goes_through_and_counts(member, facility_a, editable, method):
    record = editable.make(facility_a)
    url = f"{API}/{editable.route}/{editable.key(record)}/"
    client = _client(member, editable, facility_a)
    read = client.get(url).json()["version"]

    response = getattr(client, method)(url, _body(client, editable, url, method, editable.mine, read), format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == read + 1
    assert type(record).objects.get(pk=record.pk).version == read + 1


@pytest.mark.parametrize(("editable", "method"), CASES)
def test_a_write_without_a_version_is_a_400_naming_the_field(member, facility_a, editable, method):
    record = editable.make(facility_a)
    url = f"{API}/{editable.route}/{editable.key(record)}/"
    client = _client(member, editable, facility_a)
    before = client.get(url).json()
    body = _body(client, editable, url, method, editable.mine, before["version"])
    del body["version"]

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == 400 and "version" in response.json()
    assert client.get(url).json() == before


def test_every_endpoint_that_edits_a_record_is_versioned_and_tested_here():
    editable_routes = {
        prefix
        for prefix, viewset, _basename in router.registry
        if {"put", "patch"} & set(viewset.http_method_names) and hasattr(viewset, "partial_update")
    }
    assert editable_routes == {e.route for e in EDITABLE}
    for prefix, viewset, _basename in router.registry:
        if prefix in editable_routes:
            assert issubclass(viewset.model, VersionedModel), prefix
            assert "version" in viewset.serializer_class().fields, prefix
