"""Pre-release items, hand-overs and the release: refused with the list of what is missing."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from factories import ResidentFactory, RoomFactory, ZoneFactory
from factories_epidemic import EpidemicPolicyFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.isolation import release_services, services
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.isolation.release_services import ReleaseIncomplete
from jiedu.organisation.roles import Role

PHONE = "13912345678"


@pytest.fixture
def setup(member, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    ward = ZoneFactory(facility=facility_a, zone_type="return_guidance")
    bed = RoomFactory(zone=ward, capacity=8)
    pre_release = ZoneFactory(facility=facility_a, zone_type="pre_release_isolation")
    room = RoomFactory(zone=pre_release, capacity=1, is_single_occupancy=True)
    resident = ResidentFactory(
        facility=facility_a, current_zone=ward, current_room=bed,
        term_end=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip
    return officer, resident, room


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def observe(officer, resident, room, days: int) -> IsolationStay:
    return services.admit_to_isolation(
        actor=officer, resident=resident, room=room, reason="pre_release", started_at=days_ago(days)
    )


def record_items(officer, resident, *, fit=True, today=None):
    today = today or timezone.localdate()
    release_services.record_item(
        actor=officer, resident=resident, item="health_exam", done_on=today, performed_by="刘医生",
        summary="体温正常，未见异常", fit_for_release=fit,
    )  # fmt: skip
    release_services.record_item(
        actor=officer,
        resident=resident,
        item="talk",
        done_on=today,
        performed_by="李警官",
        summary="回归打算明确",
    )
    release_services.record_item(actor=officer, resident=resident, item="education", done_on=today)
    release_services.record_item(actor=officer, resident=resident, item="commitment", done_on=today)


def record_handovers(officer, resident, receivers=("police", "community", "judicial_office", "family")):
    for receiver in receivers:
        release_services.record_handover(
            actor=officer, resident=resident, receiver=receiver, name="接收人", phone=PHONE,
            unit="" if receiver == "family" else "新城区某单位", handed_over_at=timezone.now(),
        )  # fmt: skip


def test_a_release_with_nothing_done_is_refused_with_everything_listed_and_nothing_changes(setup):
    officer, resident, _ = setup
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.code == "prerelease_incomplete"
    assert refused.value.missing == [
        "observation", "health_exam", "talk", "education", "commitment",
        "handover_police", "handover_community", "handover_judicial_office", "handover_family",
    ]  # fmt: skip
    assert len(refused.value.reasons) == 9
    resident.refresh_from_db()
    assert resident.status == "in_custody" and resident.left_at is None


def test_the_refusal_names_exactly_the_pieces_still_missing(setup):
    officer, resident, room = setup
    observe(officer, resident, room, days=15)
    record_items(officer, resident)
    record_handovers(officer, resident, receivers=("police", "family"))
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.missing == ["handover_community", "handover_judicial_office"]


def test_a_complete_checklist_releases_the_resident_and_ends_the_stay(setup):
    officer, resident, room = setup
    stay = observe(officer, resident, room, days=14)
    record_items(officer, resident)
    record_handovers(officer, resident)
    released = release_services.release_resident(actor=officer, resident=resident)
    resident.refresh_from_db()
    stay.refresh_from_db()
    assert released.status == resident.status == "released" and resident.left_at is not None
    assert resident.current_room is None
    assert stay.end_reason == "released" and stay.ended_at == resident.left_at
    actions = set(
        AuditEvent.objects.filter(target_id__in=[str(resident.pk), str(stay.pk)]).values_list(
            "action", flat=True
        )
    )
    assert {"resident.released", "isolation.ended"} <= actions


def test_an_observation_one_day_short_of_the_policy_is_refused(setup):
    officer, resident, room = setup
    observe(officer, resident, room, days=13)
    record_items(officer, resident)
    record_handovers(officer, resident)
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.missing == ["observation_too_short"]
    assert "13" in refused.value.reasons[0] and "14" in refused.value.reasons[0]


def test_the_policy_in_force_on_the_release_day_decides_the_days(setup, facility_a):
    officer, resident, room = setup
    observe(officer, resident, room, days=30)
    record_items(officer, resident, today=timezone.localdate() - datetime.timedelta(days=4))
    record_handovers(officer, resident)
    # From two days ago this facility requires 40 days; three days ago the built-in 14 applied.
    EpidemicPolicyFactory(
        facility=facility_a, effective_from=timezone.localdate() - datetime.timedelta(days=2),
        pre_release_observation_days=40,
    )  # fmt: skip
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.missing == ["observation_too_short"]
    three_days_ago = days_ago(3)
    released = release_services.release_resident(actor=officer, resident=resident, at=three_days_ago)
    assert released.status == "released" and released.left_at == three_days_ago


def test_an_unfit_examination_blocks_until_a_new_one_finds_the_resident_fit(setup):
    officer, resident, room = setup
    observe(officer, resident, room, days=20)
    record_items(officer, resident, fit=False)
    record_handovers(officer, resident)
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.missing == ["health_exam_unfit"]
    first = PreReleaseItem.objects.get(resident=resident, item="health_exam")
    again = release_services.record_item(
        actor=officer, resident=resident, item="health_exam", done_on=timezone.localdate(), performed_by="刘医生",
        summary="复查正常", fit_for_release=True,
    )  # fmt: skip
    assert (
        again.replaces == first
        and PreReleaseItem.objects.filter(resident=resident, item="health_exam").count() == 2
    )
    assert release_services.release_resident(actor=officer, resident=resident).status == "released"


def test_leaving_the_pre_release_zone_restarts_the_observation(setup):
    officer, resident, room = setup
    stay = observe(officer, resident, room, days=20)
    services.end_stay(actor=officer, stay=stay, end_reason="hospitalised", ended_at=days_ago(10))
    observe(officer, resident, room, days=5)
    record_items(officer, resident)
    record_handovers(officer, resident)
    with pytest.raises(ReleaseIncomplete) as refused:
        release_services.release_resident(actor=officer, resident=resident)
    assert refused.value.missing == ["observation_too_short"]


def test_medical_staff_record_the_examination_but_not_the_other_items_nor_the_release(
    setup, member, facility_a
):
    _officer, resident, _room = setup
    medic = member(Role.MEDICAL_STAFF, facility_a)
    today = timezone.localdate()
    exam = release_services.record_item(
        actor=medic, resident=resident, item="health_exam", done_on=today, performed_by="刘医生", summary="正常",
        fit_for_release=True,
    )  # fmt: skip
    assert exam.recorded_by == medic
    with pytest.raises(AccessDenied):
        release_services.record_item(
            actor=medic, resident=resident, item="talk", done_on=today, performed_by="x", summary="y"
        )
    with pytest.raises(AccessDenied):
        release_services.release_resident(actor=medic, resident=resident)


def test_a_gate_officer_and_another_facility_may_record_nothing(setup, member, facility_a, facility_b):
    _officer, resident, _room = setup
    for outsider in (member(Role.GATE_OFFICER, facility_a), member(Role.FACILITY_OFFICER, facility_b)):
        with pytest.raises(AccessDenied):
            release_services.record_item(
                actor=outsider, resident=resident, item="education", done_on=timezone.localdate()
            )
        with pytest.raises(AccessDenied):
            record_handovers(outsider, resident, receivers=("police",))


@pytest.mark.parametrize(
    ("item", "details", "field"),
    [
        ("education", {"done_on": timezone.localdate() + datetime.timedelta(days=1)}, "done_on"),
        ("talk", {"performed_by": "李警官"}, "summary"),
        ("health_exam", {"performed_by": "刘医生", "summary": "正常"}, "fit_for_release"),
        ("health_exam", {"summary": "正常", "fit_for_release": True}, "performed_by"),
    ],
)
def test_an_item_without_its_details_is_a_field_error_and_saves_nothing(setup, item, details, field):
    officer, resident, _ = setup
    details = {"done_on": timezone.localdate(), **details}
    with pytest.raises(DomainError) as caught:
        release_services.record_item(actor=officer, resident=resident, item=item, **details)
    assert caught.value.field == field
    assert not PreReleaseItem.objects.exists()


def test_a_hand_over_phone_is_stored_encrypted_and_checked(setup):
    officer, resident, _ = setup
    record_handovers(officer, resident, receivers=("police",))
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM isolation_handover")
        (stored,) = cursor.fetchone()
    assert PHONE not in stored and Handover.objects.get().phone == PHONE
    assert not AuditEvent.objects.filter(changed_fields__icontains=PHONE).exists()
    with pytest.raises(DomainError) as caught:
        release_services.record_handover(
            actor=officer,
            resident=resident,
            receiver="family",
            name="母亲",
            phone="12345",
            handed_over_at=timezone.now(),
        )
    assert caught.value.field == "phone"


def test_every_receiver_but_the_family_needs_a_unit(setup):
    officer, resident, _ = setup
    with pytest.raises(DomainError) as caught:
        release_services.record_handover(
            actor=officer, resident=resident, receiver="judicial_office", name="赵某", phone=PHONE, unit=" ",
            handed_over_at=timezone.now(),
        )  # fmt: skip
    assert caught.value.field == "unit"
    family = release_services.record_handover(
        actor=officer,
        resident=resident,
        receiver="family",
        name="李母",
        phone=PHONE,
        handed_over_at=timezone.now(),
    )
    assert family.unit == ""


def test_recording_a_receiver_again_replaces_the_hand_over_and_keeps_the_old_one(setup):
    officer, resident, _ = setup
    record_handovers(officer, resident, receivers=("police",))
    first = Handover.objects.get()
    second = release_services.record_handover(
        actor=officer, resident=resident, receiver="police", name="新民警", unit="新城区分局", phone="13700000000",
        handed_over_at=timezone.now(),
    )  # fmt: skip
    assert second.replaces == first and Handover.objects.filter(replaced_by__isnull=True).get() == second
    assert AuditEvent.objects.filter(action="prerelease.handover_replaced", target_id=str(second.pk)).exists()


def test_a_released_resident_takes_no_more_records_and_no_second_release(setup):
    officer, resident, room = setup
    observe(officer, resident, room, days=15)
    record_items(officer, resident)
    record_handovers(officer, resident)
    release_services.release_resident(actor=officer, resident=resident)
    with pytest.raises(DomainError) as caught:
        release_services.release_resident(actor=officer, resident=resident)
    assert caught.value.field == "resident"
    with pytest.raises(DomainError):
        release_services.record_item(
            actor=officer, resident=resident, item="education", done_on=timezone.localdate()
        )


def test_a_release_cannot_be_recorded_ahead_of_time(setup):
    officer, resident, _ = setup
    with pytest.raises(DomainError) as caught:
        release_services.release_resident(
            actor=officer, resident=resident, at=timezone.now() + datetime.timedelta(hours=2)
        )
    assert caught.value.field == "at"


def test_the_database_keeps_one_chain_per_item_and_fitness_only_on_examinations(setup):
    officer, resident, _ = setup
    talk = release_services.record_item(
        actor=officer,
        resident=resident,
        item="talk",
        done_on=timezone.localdate(),
        performed_by="李",
        summary="好",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PreReleaseItem.objects.create(
            facility=talk.facility, resident=resident, item="talk", done_on=talk.done_on, recorded_by=officer
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PreReleaseItem.objects.create(
            facility=talk.facility, resident=resident, item="education", done_on=talk.done_on, recorded_by=officer,
            fit_for_release=True,
        )  # fmt: skip
    # A record is replaced at most once, so each item stays one chain with one current record.
    PreReleaseItem.objects.create(
        facility=talk.facility,
        resident=resident,
        item="talk",
        done_on=talk.done_on,
        recorded_by=officer,
        replaces=talk,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PreReleaseItem.objects.create(
            facility=talk.facility, resident=resident, item="talk", done_on=talk.done_on, recorded_by=officer,
            replaces=talk,
        )  # fmt: skip
