"""The scoping contract: every route that takes an id, on pages and in the API, answers 404 to a
user of another facility, for reads and writes alike; every list shows only visible rows.

Routes are discovered from the URLconf and the OpenAPI schema, so a new route is covered the
day it is added; a route taking an id without declaring its scoped model fails here.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook
from rest_framework.test import APIClient

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, CommunityStation, Department, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident, Staff

MARK = "乙所标记"  # appears in every facility-B row's name, never in facility A's
TODAY = datetime.date(2026, 11, 1)


def _facility_rows(bureau, code, name_suffix, seq):
    facility = Facility.objects.create(
        bureau=bureau, code=code, name=f"测试所{name_suffix}", short_name=f"测{name_suffix}", level="region"
    )
    department = Department.objects.create(facility=facility, name=f"一大队{name_suffix}")
    zone = Zone.objects.create(facility=facility, name=f"教育适应区{name_suffix}", zone_type="education")
    room = Room.objects.create(facility=facility, zone=zone, number=f"1{seq}1", capacity=8)
    CommunityStation.objects.create(
        facility=facility, name=f"新城区指导站{name_suffix}", league_city="呼和浩特市", banner_county="新城区"
    )
    staff = Staff(facility=facility, department=department, police_number=f"150{seq}001", name=f"张警官{name_suffix}", sex="M")
    staff.set_id_number(identity.make_id_number(county="150102", birth_date=datetime.date(1980, 1, 1), sequence=seq * 10 + 1, male=True))
    staff.set_phone(f"1380000{seq:04d}")
    staff.save()
    resident = Resident(
        facility=facility, file_number=f"F{seq}-001", name=f"李某{name_suffix}", sex="M", ethnicity="汉族",
        deciding_organ="呼和浩特市公安局", decision_number="呼公强戒决字〔2026〕1号", decision_date=datetime.date(2026, 1, 5),
        term_start=datetime.date(2026, 1, 10), term_end=datetime.date(2028, 1, 10), current_zone=zone, current_room=room,
    )
    resident.set_id_number(identity.make_id_number(county="150203", birth_date=datetime.date(1990, 5, 5), sequence=seq * 10 + 3, male=True))
    resident.save()
    return facility


@pytest.fixture
def two_facilities(db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility_a = _facility_rows(bureau, "A01", "甲", 1)
    facility_b = _facility_rows(bureau, "B01", MARK, 2)
    leader_a = User.objects.create_user("leader_a", password="x-Strong-Pass-2026")
    Membership.objects.create(user=leader_a, facility=facility_a, role=Role.FACILITY_LEADER)
    return facility_a, facility_b, leader_a


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _scoped_model(callback):
    cls = getattr(callback, "cls", None)  # DRF viewset or APIView
    if cls is not None:
        return getattr(cls, "model", None)
    view_class = getattr(callback, "view_class", None)
    return getattr(callback, "scoped_model", None) or getattr(view_class, "scoped_model", None)


ID_PARAM = re.compile(r"<(?:int:|str:|slug:)?(pk|id)>|\(\?P<(pk|id)>[^)]*\)")


def _routes_with_id():
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if ID_PARAM.search(route) and "format" not in route:
            routes.append((route, pattern))
    return routes


def _factory_for(model):
    """A factory_boy factory for ``model`` from tests/factories*.py (each app adds its own file)."""
    import importlib
    from pathlib import Path

    from factory.django import DjangoModelFactory

    for path in sorted(Path(__file__).parent.glob("factories*.py")):
        module = importlib.import_module(path.stem)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DjangoModelFactory)
                and value._meta.model is model
                and not value._meta.abstract
            ):
                return value
    return None


def _region_wide(model) -> bool:
    """Rows the whole region shares (a catalogue, the bureau's teams): no facility field."""
    return model is not Facility and not any(f.name == "facility" for f in model._meta.get_fields())


def _object_of(model, facility):
    """One ``model`` row owned by ``facility``: an existing one, else one made by its factory.

    Region-wide models have no owner: any row of them will do (it is tried by an outsider instead).
    """
    if model is Facility:
        return facility
    existing = (model.objects.all() if _region_wide(model) else model.objects.filter(facility=facility)).first()
    if existing is not None:
        return existing
    factory = _factory_for(model)
    assert factory is not None, f"add a factory for {model.__name__} in tests/factories_<app>.py"
    return factory() if _region_wide(model) else factory(facility=facility)


def _outsider_client():
    """A login with no role anywhere: region-wide rows are invisible to it, so every id is a 404."""
    outsider, _ = User.objects.get_or_create(username="outsider")
    client = APIClient()
    client.force_login(outsider)
    return client


def _url(route, pk):
    path = ID_PARAM.sub(str(pk), route)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path.lstrip("/")


def test_every_route_with_an_id_declares_its_scoped_model():
    missing = [route for route, pattern in _routes_with_id() if _scoped_model(pattern.callback) is None]
    assert missing == [], f"routes taking an id without a declared scoped model: {missing}"


def test_other_facility_objects_answer_404_on_every_route(two_facilities):
    facility_a, facility_b, leader_a = two_facilities
    client = APIClient()
    client.force_login(leader_a)
    outsider = _outsider_client()
    checked = 0
    for route, pattern in _routes_with_id():
        model = _scoped_model(pattern.callback)
        target = _object_of(model, facility_b)
        assert target is not None, f"no facility-B {model.__name__} to try {route} with"
        url = _url(route, target.pk)
        prober = outsider if _region_wide(model) else client
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(prober, method)(url, data={}, format="json") if method != "get" else prober.get(url)
            assert response.status_code in (404, 405), f"{method.upper()} {url} → {response.status_code}"
            checked += 1
        # And the same route works for the user's own facility (the 404 is about scope, not a broken route).
        own = _object_of(model, facility_a)
        assert client.get(_url(route, own.pk)).status_code in (200, 405), f"GET own {route}"
    assert checked >= 5 * 8


def test_every_openapi_path_with_an_id_answers_404_for_another_facility(two_facilities):
    facility_a, facility_b, leader_a = two_facilities
    schema = SchemaGenerator().get_schema(request=None, public=True)
    client = APIClient()
    client.force_login(leader_a)
    checked = 0
    for path, operations in schema["paths"].items():
        if "{id}" not in path:
            continue
        from django.urls import resolve

        probe = resolve(path.replace("{id}", "1"))
        model = _scoped_model(probe.func)
        assert model is not None, f"{path} has no scoped model"
        target = _object_of(model, facility_b)
        url = path.replace("{id}", str(target.pk))
        prober = _outsider_client() if _region_wide(model) else client
        for method in operations:
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            response = getattr(prober, method)(url, data={}, format="json")
            assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
            checked += 1
    assert checked >= 3 * 7


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response) -> str:
    """A page, JSON or an Excel export (ledger exports are list routes too), as searchable text."""
    if response.get("Content-Type", "").startswith(XLSX):
        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return response.content.decode()


def _list_routes():
    for route, pattern in _walk(get_resolver().url_patterns):
        if ID_PARAM.search(route) or "<" in route or "(?P" in route:
            continue
        yield route, pattern


def test_lists_and_pages_never_show_another_facilitys_rows(two_facilities):
    facility_a, facility_b, leader_a = two_facilities
    client = APIClient()
    client.force_login(leader_a)
    visited = 0
    for route, _pattern in _list_routes():
        url = _url(route, 0)
        if url.startswith(("/i18n/", "/accounts/logout", "/api/v1/schema", "/api/v1/docs")):
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = _text(response)
        assert MARK not in body, f"{url} shows a facility-B row"
        # Asking for the other facility explicitly changes nothing.
        response = client.get(url, {"facility": facility_b.pk, "q": "李某"})
        if response.status_code == 200:
            assert MARK not in _text(response), f"{url}?facility=B shows a facility-B row"
        visited += 1
    assert visited >= 8


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [
        ("/api/v1/facilities/", Facility),
        ("/api/v1/departments/", Department),
        ("/api/v1/zones/", Zone),
        ("/api/v1/rooms/", Room),
        ("/api/v1/stations/", CommunityStation),
        ("/api/v1/staff/", Staff),
        ("/api/v1/residents/", Resident),
    ],
)
def test_api_list_counts_equal_the_visible_rows(two_facilities, endpoint, model):
    facility_a, facility_b, leader_a = two_facilities
    client = APIClient()
    client.force_login(leader_a)
    data = client.get(endpoint).json()
    expected = 1 if model is Facility else model.objects.filter(facility=facility_a).count()
    assert data["count"] == expected
    for row in data["results"]:
        assert (row["id"] if model is Facility else row["facility"]) == facility_a.pk
