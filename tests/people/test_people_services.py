"""Admission and upkeep of residents and staff through the services (real database, no mocks)."""

import datetime

import pytest

from factories import DepartmentFactory, ResidentFactory, RoomFactory, StaffFactory, ZoneFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.people import services
from jiedu.people.identity import check_character, make_id_number
from jiedu.people.models import Resident, Staff

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 1)
VALID_ID = "150102198001010014"  # male (17th digit 1), county unknown to stdnum: a warning only
FULL_WIDTH_VALID_ID = "１５０１０２１９８００１０１００１４"
WRONG_CHECK_ID = "150102198001010015"


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def leader(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


@pytest.fixture
def room(facility_a):
    return RoomFactory(zone__facility=facility_a, capacity=2)


def _admission(facility, **overrides):
    data = {
        "facility": facility,
        "id_number": VALID_ID,
        "file_number": "QJ-2026-001",
        "name": "王小明",
        "sex": "M",
        "ethnicity": "蒙古族",
        "deciding_organ": "包头市公安局",
        "decision_number": "包公强戒决字〔2026〕88号",
        "decision_date": datetime.date(2026, 10, 20),
        "term_start": datetime.date(2026, 10, 25),
        "today": TODAY,
    }
    data.update(overrides)
    return data


def _audit_text(event: AuditEvent) -> str:
    values = AuditEvent.objects.filter(pk=event.pk).values().get()
    return " ".join(str(v) for v in values.values())


# --- admit_resident ------------------------------------------------------------------------------


def test_admit_resident_saves_the_resident_and_audits_field_names_only(officer, facility_a, room):
    # given a facility officer and a room with free beds in their facility
    # when a resident is admitted into that room
    resident = services.admit_resident(
        actor=officer, **_admission(facility_a, current_zone=room.zone, current_room=room)
    )
    # then the resident is stored, in custody, with the normalised ID number
    resident = Resident.objects.get(pk=resident.pk)
    assert resident.id_number == VALID_ID
    assert resident.status == Resident.Status.IN_CUSTODY
    assert (resident.current_zone, resident.current_room) == (room.zone, room)
    # and one audit event names the changed fields without any personal value
    event = AuditEvent.objects.get(action="resident.admitted")
    assert event.actor == officer
    assert event.facility_id == facility_a.pk
    assert event.target_type == "people.resident"
    assert event.target_id == str(resident.pk)
    assert event.outcome == AuditEvent.Outcome.SUCCESS
    assert event.role == Role.FACILITY_OFFICER
    assert "id_number" in event.changed_fields
    assert "current_room" in event.changed_fields
    text = _audit_text(event)
    for personal in (
        VALID_ID,
        VALID_ID[:6] + VALID_ID[14:],
        "王小明",
        "QJ-2026-001",
        "包公强戒决字",
        "19800101",
    ):
        assert personal not in text


def test_admission_without_a_term_end_runs_two_years(officer, facility_a):
    resident = services.admit_resident(
        actor=officer, **_admission(facility_a, term_start=datetime.date(2026, 10, 25))
    )
    assert resident.term_end == datetime.date(2028, 10, 25)


def test_admission_starting_on_29_february_ends_on_28_february(officer, facility_a):
    resident = services.admit_resident(
        actor=officer,
        **_admission(
            facility_a, decision_date=datetime.date(2024, 2, 20), term_start=datetime.date(2024, 2, 29)
        ),
    )
    assert resident.term_end == datetime.date(2026, 2, 28)


def test_an_explicit_term_end_is_kept(officer, facility_a):
    resident = services.admit_resident(
        actor=officer, **_admission(facility_a, term_end=datetime.date(2027, 10, 25))
    )
    assert resident.term_end == datetime.date(2027, 10, 25)


def test_wrong_check_character_is_refused_and_nothing_is_saved(officer, facility_a):
    # when the ID number's check character is wrong
    with pytest.raises(DomainError) as caught:
        services.admit_resident(actor=officer, **_admission(facility_a, id_number=WRONG_CHECK_ID))
    # then the error concerns the id_number field and nothing is saved or audited
    assert caught.value.field == "id_number"
    assert caught.value.code == "check_character"
    assert Resident.objects.count() == 0
    assert not AuditEvent.objects.filter(action="resident.admitted").exists()


def test_a_full_width_id_number_is_stored_normalised(officer, facility_a):
    resident = services.admit_resident(actor=officer, **_admission(facility_a, id_number=FULL_WIDTH_VALID_ID))
    assert Resident.objects.get(pk=resident.pk).id_number == VALID_ID


@pytest.mark.parametrize("entered", [VALID_ID, FULL_WIDTH_VALID_ID, " 150102 19800101 0014 "])
def test_an_id_number_already_registered_in_another_facility_is_refused(
    member, facility_a, facility_b, entered
):
    # given a resident admitted in facility A
    services.admit_resident(actor=member(Role.FACILITY_OFFICER, facility_a), **_admission(facility_a))
    officer_b = member(Role.FACILITY_OFFICER, facility_b)
    # when facility B admits the same number, however it is typed
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer_b, **_admission(facility_b, id_number=entered, file_number="B-001")
        )
    # then it is refused on the id_number field and only the first resident exists
    assert caught.value.field == "id_number"
    assert Resident.objects.count() == 1


def test_an_id_number_already_registered_lower_case_x(officer, facility_a):
    ResidentFactory(facility=facility_a, id_number="11010519491231002X", sex="F")
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer,
            **_admission(facility_a, id_number="11010519491231002x", sex="F", file_number="X-1"),
        )
    assert caught.value.field == "id_number"


def test_sex_that_contradicts_the_17th_digit_is_refused(officer, facility_a):
    with pytest.raises(DomainError) as caught:
        services.admit_resident(actor=officer, **_admission(facility_a, sex="F"))
    assert caught.value.field == "sex"
    assert Resident.objects.count() == 0


def test_duplicate_file_number_in_the_facility_is_refused(officer, facility_a):
    ResidentFactory(facility=facility_a, file_number="QJ-2026-001")
    with pytest.raises(DomainError) as caught:
        services.admit_resident(actor=officer, **_admission(facility_a))
    assert caught.value.field == "file_number"


def test_term_starting_before_the_decision_is_refused(officer, facility_a):
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, decision_date=datetime.date(2026, 10, 26))
        )
    assert caught.value.field == "term_start"


def test_term_ending_before_it_starts_is_refused(officer, facility_a):
    with pytest.raises(DomainError) as caught:
        services.admit_resident(actor=officer, **_admission(facility_a, term_end=datetime.date(2026, 10, 25)))
    assert caught.value.field == "term_end"


def test_a_room_of_another_facility_is_refused(officer, facility_a, facility_b):
    zone_a = ZoneFactory(facility=facility_a)
    room_b = RoomFactory(zone__facility=facility_b)
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=zone_a, current_room=room_b)
        )
    assert caught.value.field == "current_room"
    assert Resident.objects.count() == 0


def test_a_zone_of_another_facility_is_refused(officer, facility_a, facility_b):
    room_b = RoomFactory(zone__facility=facility_b)
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=room_b.zone, current_room=room_b)
        )
    assert caught.value.field == "current_zone"


def test_a_room_outside_the_chosen_zone_is_refused(officer, facility_a, room):
    other_zone = ZoneFactory(facility=facility_a)
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=other_zone, current_room=room)
        )
    assert caught.value.field == "current_room"


def test_a_full_room_is_refused(officer, facility_a):
    # given a single room already taken
    single = RoomFactory(zone__facility=facility_a, capacity=1, is_single_occupancy=True)
    ResidentFactory(current_room=single)
    # when another resident is admitted into it, then it is refused
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=single.zone, current_room=single)
        )
    assert caught.value.field == "current_room"
    assert Resident.objects.count() == 1


def test_a_bed_left_by_a_released_resident_is_free(officer, facility_a):
    single = RoomFactory(zone__facility=facility_a, capacity=1, is_single_occupancy=True)
    ResidentFactory(current_room=single, status=Resident.Status.RELEASED)
    resident = services.admit_resident(
        actor=officer, **_admission(facility_a, current_zone=single.zone, current_room=single)
    )
    assert resident.current_room == single


def test_a_deactivated_room_is_refused(officer, facility_a):
    closed = RoomFactory(zone__facility=facility_a, is_active=False, deactivation_reason="维修")
    with pytest.raises(DomainError) as caught:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=closed.zone, current_room=closed)
        )
    assert caught.value.field == "current_room"


def test_an_officer_of_facility_a_cannot_admit_into_facility_b(officer, facility_b):
    with pytest.raises(AccessDenied) as caught:
        services.admit_resident(actor=officer, **_admission(facility_b))
    assert caught.value.facility_id == facility_b.pk
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    "role", [Role.MEDICAL_STAFF, Role.GATE_OFFICER, Role.PROSECUTOR, Role.STATION_WORKER]
)
def test_roles_without_the_admit_action_cannot_admit(member, facility_a, role):
    with pytest.raises(AccessDenied):
        services.admit_resident(actor=member(role, facility_a), **_admission(facility_a))
    assert Resident.objects.count() == 0


def test_bureau_roles_cannot_admit(member, facility_a):
    with pytest.raises(AccessDenied):
        services.admit_resident(actor=member(Role.BUREAU_LEADER), **_admission(facility_a))


# --- update_resident -----------------------------------------------------------------------------


def test_update_resident_moves_rooms_and_audits_the_change(officer, facility_a, room):
    # given a resident in one room and another room in a second zone
    resident = ResidentFactory(current_room=room)
    target = RoomFactory(zone__facility=facility_a)
    # when the resident is moved there
    services.update_resident(actor=officer, resident=resident, current_zone=target.zone, current_room=target)
    # then the move is saved and audited by field name
    resident.refresh_from_db()
    assert (resident.current_zone, resident.current_room) == (target.zone, target)
    event = AuditEvent.objects.get(action="resident.updated")
    assert sorted(event.changed_fields) == ["current_room", "current_zone"]


def test_moving_within_the_same_room_does_not_count_the_resident_twice(officer, facility_a):
    single = RoomFactory(zone__facility=facility_a, capacity=1, is_single_occupancy=True)
    resident = ResidentFactory(current_room=single)
    services.update_resident(actor=officer, resident=resident, current_zone=single.zone, current_room=single)
    assert not AuditEvent.objects.filter(action="resident.updated").exists()  # nothing changed


def test_moving_into_a_full_room_is_refused(officer, facility_a, room):
    resident = ResidentFactory(current_room=room)
    full = RoomFactory(zone__facility=facility_a, capacity=1, is_single_occupancy=True)
    ResidentFactory(current_room=full)
    with pytest.raises(DomainError) as caught:
        services.update_resident(actor=officer, resident=resident, current_zone=full.zone, current_room=full)
    assert caught.value.field == "current_room"
    assert Resident.objects.get(pk=resident.pk).current_room == room


def test_a_transfer_out_frees_the_bed_and_records_when(officer, room):
    resident = ResidentFactory(current_room=room)
    services.update_resident(actor=officer, resident=resident, status=Resident.Status.TRANSFERRED)
    resident.refresh_from_db()
    assert resident.status == Resident.Status.TRANSFERRED and resident.left_at is not None
    assert resident.current_room is None and resident.current_zone is None


def test_a_release_cannot_bypass_the_pre_release_checklist(officer, room):
    resident = ResidentFactory(current_room=room)
    with pytest.raises(DomainError) as caught:
        services.update_resident(actor=officer, resident=resident, status=Resident.Status.RELEASED)
    assert caught.value.field == "status"
    resident.refresh_from_db()
    assert resident.status == Resident.Status.IN_CUSTODY and resident.current_room == room


def test_the_id_number_cannot_be_changed_through_update(officer, facility_a):
    resident = ResidentFactory(facility=facility_a)
    with pytest.raises(DomainError):
        services.update_resident(actor=officer, resident=resident, id_number=VALID_ID)


def test_an_officer_of_another_facility_cannot_update(member, facility_b, room):
    resident = ResidentFactory(current_room=room)
    with pytest.raises(AccessDenied):
        services.update_resident(
            actor=member(Role.FACILITY_OFFICER, facility_b), resident=resident, name="改名"
        )


# --- staff ---------------------------------------------------------------------------------------


def _staff(facility, **overrides):
    data = {
        "facility": facility,
        "police_number": "1501234",
        "name": "赵警官",
        "sex": "F",
        "id_number": "11010519491231002X",
        "phone": "+86 138 1234 5678",
        "position": "副大队长",
        "today": TODAY,
    }
    data.update(overrides)
    return data


def test_create_staff_with_a_phone(leader, facility_a):
    # given a department of the facility
    department = DepartmentFactory(facility=facility_a)
    # when a facility leader registers a staff member with a phone number
    staff = services.create_staff(actor=leader, **_staff(facility_a, department=department))
    # then the phone is stored normalised and searchable, and the audit trail names the fields only
    staff = Staff.objects.get(pk=staff.pk)
    assert staff.phone == "13812345678"
    assert staff.phone_index
    assert staff.id_number == "11010519491231002X"
    event = AuditEvent.objects.get(action="staff.created")
    assert "phone" in event.changed_fields
    text = _audit_text(event)
    assert "13812345678" not in text and "11010519491231002X" not in text and "赵警官" not in text


@pytest.mark.parametrize("phone", ["12345", "1381234567", "23812345678", "138-1234-5678x", "电话"])
def test_an_invalid_phone_is_refused_and_nothing_is_saved(leader, facility_a, phone):
    with pytest.raises(DomainError) as caught:
        services.create_staff(actor=leader, **_staff(facility_a, phone=phone))
    assert caught.value.field == "phone"
    assert Staff.objects.count() == 0


def test_a_landline_with_area_code_is_accepted(leader, facility_a):
    staff = services.create_staff(actor=leader, **_staff(facility_a, phone="0471-6661234"))
    assert Staff.objects.get(pk=staff.pk).phone.replace("-", "") == "04716661234"


def test_create_staff_refuses_a_department_of_another_facility(leader, facility_a, facility_b):
    with pytest.raises(DomainError) as caught:
        services.create_staff(
            actor=leader, **_staff(facility_a, department=DepartmentFactory(facility=facility_b))
        )
    assert caught.value.field == "department"


def test_create_staff_refuses_a_registered_id_number(leader, facility_a):
    StaffFactory(facility=facility_a, id_number="11010519491231002X", sex="F")
    with pytest.raises(DomainError) as caught:
        services.create_staff(actor=leader, **_staff(facility_a, id_number="11010519491231002x"))
    assert caught.value.field == "id_number"


def test_a_facility_officer_cannot_create_staff(officer, facility_a):
    with pytest.raises(AccessDenied):
        services.create_staff(actor=officer, **_staff(facility_a))


def test_update_staff_changes_the_phone_and_its_index(leader, facility_a):
    staff = StaffFactory(facility=facility_a, phone="13900000001")
    old_index = staff.phone_index
    services.update_staff(actor=leader, staff=staff, phone="13900000002")
    staff = Staff.objects.get(pk=staff.pk)
    assert staff.phone == "13900000002"
    assert staff.phone_index != old_index
    assert "phone" in AuditEvent.objects.get(action="staff.updated").changed_fields


def test_generated_numbers_used_by_the_factories_are_valid():
    number = make_id_number(county="150203", birth_date=datetime.date(1990, 5, 5), sequence=7, male=True)
    assert number[-1] == check_character(number[:17])
    assert services.checked_id_number(number, sex="M", today=TODAY).number == number


# --- search through the blind indexes (people.selectors) -----------------------------------------


def test_search_finds_a_resident_by_full_id_number_however_typed():
    from jiedu.people.selectors import search_people

    resident = ResidentFactory(id_number=VALID_ID)
    ResidentFactory()
    for typed in (VALID_ID, FULL_WIDTH_VALID_ID, "150102 19800101 0014"):
        assert list(search_people(Resident.objects.all(), typed)) == [resident]


def test_search_finds_staff_by_mobile_number():
    from jiedu.people.selectors import search_people

    staff = StaffFactory(phone="13812345678")
    StaffFactory()
    assert list(search_people(Staff.objects.all(), "13812345678")) == [staff]


def test_search_finds_staff_by_landline_as_entered(leader, facility_a):
    from jiedu.people.selectors import search_people

    staff = services.create_staff(actor=leader, **_staff(facility_a, phone="0471-6661234"))
    assert list(search_people(Staff.objects.all(), "0471-6661234")) == [staff]


def test_admission_locks_only_the_room_row(officer, facility_a, room):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks")
    with CaptureQueriesContext(connection) as queries:
        services.admit_resident(
            actor=officer, **_admission(facility_a, current_zone=room.zone, current_room=room)
        )
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert "JOIN" not in locking[0]
