"""API-01 (ASVS V4, 13.4.5): what the schemathesis run (scripts/fuzz_api.py) found, kept fixed.

The schema documents every error answer; the API answers what the schema says (no drift); input
that does not match the schema is refused instead of being guessed at; unknown API paths answer JSON.
"""

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from factories import RoomFactory
from jiedu.organisation.roles import Role

API = "/api/v1"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_its_error_answers(schema):
    checked = 0
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert {"401", "403"} <= set(responses), where
        if "{id}" in path:
            assert "404" in responses, where
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, where
        if method in {"post", "put", "patch"}:
            assert "409" in responses, where
        names = {p["name"] for p in operation.get("parameters", [])}
        if method == "get" and "q" in names:
            assert "Retry-After" in responses["429"]["headers"], where
        checked += 1
    assert checked >= 100


def test_an_empty_filter_value_is_documented_as_allowed(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"][f"{API}/residents/"]["get"]["parameters"]}
    assert "" in parameters["status"]["enum"]
    assert {"type": "integer"} in [s for s in parameters["facility"]["anyOf"]]


@pytest.fixture
def officer_client(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_OFFICER, facility_a))
    return client


def test_an_unauthenticated_call_gets_401_with_the_token_challenge(db):
    response = APIClient().get(f"{API}/residents/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401_even_with_a_session(member, facility_a):
    client = APIClient()
    client.force_login(member(Role.FACILITY_OFFICER, facility_a))
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(f"{API}/residents/").status_code == 401


def test_a_token_client_is_served(member, facility_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member(Role.FACILITY_OFFICER, facility_a)).key}")
    assert client.get(f"{API}/residents/").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("is_active=yes", "is_active"),
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
        ("facility=1&facility=2", "facility"),
        ("page=1&page=2", "page"),
    ],
)
def test_query_parameters_are_validated_not_ignored(officer_client, query, field):
    response = officer_client.get(f"{API}/rooms/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("query", ["is_active=true", "is_active=0", "is_active=", "page_size=10", "page_size=", "zone="])
def test_well_formed_and_empty_query_parameters_are_accepted(officer_client, query):
    assert officer_client.get(f"{API}/rooms/?{query}").status_code == 200


def test_a_number_where_text_belongs_is_refused(officer_client, facility_a):
    room = RoomFactory(zone__facility=facility_a)
    response = officer_client.patch(
        f"{API}/rooms/{room.pk}/", {"number": 101, "version": room.version}, format="json"
    )
    assert response.status_code == 400
    assert "number" in response.json()
    room.refresh_from_db()
    assert room.number != "101"


def test_a_single_room_carries_its_occupants_like_the_list(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    room = RoomFactory(zone__facility=facility_a)
    assert client.get(f"{API}/rooms/{room.pk}/").json()["occupants"] == 0
    listed = {r["id"]: r for r in client.get(f"{API}/rooms/").json()["results"]}
    assert listed[room.pk]["occupants"] == 0
    answer = client.patch(f"{API}/rooms/{room.pk}/", {"capacity": 6, "version": room.version}, format="json")
    assert answer.status_code == 200 and answer.json()["occupants"] == 0


def test_a_screening_round_without_kind_is_a_screening_not_a_500(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    today = datetime.date(2026, 11, 24)
    response = client.post(
        f"{API}/screening-rounds/",
        {"facility": facility_a.pk, "name": "十一月排查", "starts_on": str(today), "ends_on": str(today)},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "screening"


def test_the_fever_alert_list_does_not_offer_post(officer_client):
    response = officer_client.options(f"{API}/fever-alerts/")
    assert "POST" not in response["Allow"]
    assert officer_client.post(f"{API}/fever-alerts/", {}, format="json").status_code == 405


def test_a_malformed_release_request_matches_its_documented_400(officer_client, schema):
    documented = schema["components"]["schemas"]["ReleaseRefused"]
    assert not documented.get("required")  # either what is missing, or the usual field errors
    response = officer_client.post(f"{API}/releases/", {}, format="json")
    assert response.status_code == 400 and "resident" in response.json()


def test_the_hygiene_board_list_does_not_offer_post(officer_client):
    response = officer_client.options(f"{API}/hygiene-boards/")
    assert "POST" not in response["Allow"]
    assert officer_client.post(f"{API}/hygiene-boards/", {}, format="json").status_code == 405


@pytest.mark.parametrize("raw", ["5¹", "٣", "１２"])
def test_an_id_of_non_ascii_digits_is_a_404_not_a_500(officer_client, raw):
    # str.isdigit() accepts superscripts and other scripts' digits; ids are ASCII digits only.
    for path in ("standards-areas", "catalogue-versions", "findings", "inspections"):
        assert officer_client.get(f"{API}/{path}/{raw}/").status_code == 404, path


def test_a_fractional_year_is_refused(officer_client):
    response = officer_client.get(f"{API}/target-schemes/", {"year": "0.5"})
    assert response.status_code == 400 and "year" in response.json()


@pytest.mark.parametrize("year", ["-58800", "0", "99999"])
def test_a_year_outside_the_schemes_range_is_refused(officer_client, year):
    assert officer_client.get(f"{API}/target-schemes/", {"year": year}).status_code == 400
