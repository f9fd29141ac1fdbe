"""The screening API: rounds, forms and commitments are created through the services; bad input is a 400."""

import pytest
from rest_framework.test import APIClient

from factories import StaffFactory
from factories_screening import CommitmentFactory, ScreeningRoundFactory
from jiedu.organisation.roles import Role
from jiedu.screening.models import Commitment


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def officer_client(member, facility_a):
    return client_for(member(Role.FACILITY_OFFICER, facility_a))


def test_a_supervisor_creates_a_region_wide_round(member, facility_a, facility_b):
    client = client_for(member(Role.BUREAU_SUPERVISOR))

    response = client.post(
        "/api/v1/screening-rounds/",
        {"name": "十一个严禁", "kind": "commitment", "starts_on": "2026-10-01", "ends_on": "2026-10-31",
         "facilities": [facility_a.pk, facility_b.pk]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    assert response.json()["facility"] is None and sorted(response.json()["facilities"]) == sorted(
        [facility_a.pk, facility_b.pk]
    )


def test_a_round_ending_before_it_starts_is_a_400(member, facility_a):
    client = client_for(member(Role.FACILITY_LEADER, facility_a))

    response = client.post(
        "/api/v1/screening-rounds/",
        {"name": "排查", "kind": "screening", "starts_on": "2026-10-05", "ends_on": "2026-10-01",
         "facility": facility_a.pk},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400 and "ends_on" in str(response.json())


def test_a_facility_user_lists_own_and_region_wide_rounds_only(officer_client, facility_a, facility_b):
    own = ScreeningRoundFactory(facility=facility_a)
    region = ScreeningRoundFactory(facility=None, facilities=[facility_a, facility_b])
    ScreeningRoundFactory(facility=facility_b)
    ScreeningRoundFactory(facility=None, facilities=[facility_b])

    ids = {row["id"] for row in officer_client.get("/api/v1/screening-rounds/").json()["results"]}

    assert ids == {own.pk, region.pk}


def test_a_form_is_submitted_and_a_second_one_is_a_400(officer_client, facility_a):
    screening_round = ScreeningRoundFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)
    payload = {"round": screening_round.pk, "staff": staff.pk, "risk_contact": True, "risk_contact_details": "同车"}

    first = officer_client.post("/api/v1/screening-forms/", payload, format="json")
    second = officer_client.post("/api/v1/screening-forms/", payload, format="json")

    assert first.status_code == 201, first.json()
    assert first.json()["facility"] == facility_a.pk
    assert second.status_code == 400 and "staff" in second.json()


def test_a_commitment_is_recorded(officer_client, facility_a):
    screening_round = ScreeningRoundFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)

    response = officer_client.post(
        "/api/v1/commitments/",
        {"round": screening_round.pk, "staff": staff.pk, "signed_on": "2026-10-02", "paper_filed_at": "档案柜"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Commitment.objects.get().recorded_by.pk is not None


def test_another_facilitys_staff_in_a_payload_is_a_400(officer_client, facility_a, facility_b):
    region = ScreeningRoundFactory(facility=None, facilities=[facility_a, facility_b])

    response = officer_client.post(
        "/api/v1/commitments/",
        {"round": region.pk, "staff": StaffFactory(facility=facility_b).pk, "signed_on": "2026-10-02"},
        format="json",
    )

    assert response.status_code == 400 and "staff" in response.json()


def test_malformed_input_is_a_400(officer_client):
    response = officer_client.post("/api/v1/commitments/", {"round": "x", "signed_on": "yesterday"}, format="json")

    assert response.status_code == 400


def test_commitments_inside_a_region_wide_round_are_listed_per_facility(officer_client, facility_a, facility_b):
    region = ScreeningRoundFactory(facility=None, facilities=[facility_a, facility_b])
    own = CommitmentFactory(facility=facility_a, round=region)
    CommitmentFactory(facility=facility_b, round=region)

    rows = officer_client.get("/api/v1/commitments/").json()["results"]

    assert [row["id"] for row in rows] == [own.pk]
