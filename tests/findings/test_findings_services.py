"""The lifecycle through the services: permissions, independent verification, dates, all-or-nothing, audit."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from findings_helpers import png, record, self_identified

from factories import StaffFactory
from factories_findings import days, make_catalogue, make_inspection, responsible
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.evidence.models import EvidenceFile
from jiedu.findings import selectors, services
from jiedu.findings.models import Finding, FindingEvent
from jiedu.organisation.roles import Role
from jiedu.standards.models import Standard

pytestmark = pytest.mark.django_db


def field_error(field, call, *args, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


def submitted(world, finding, actor=None, **kwargs):
    return services.submit_rectification(
        actor=actor or world.officer_a, finding=finding, note="已补齐值班记录", files=[png()], **kwargs
    )


def test_an_inspection_finding_takes_the_inspection_campaign_and_the_responsible_login(world, member):
    login = member(Role.FACILITY_OFFICER, world.a)
    department, staff = responsible(world.a, user=login)

    finding = record(world, responsible_department=department, responsible_staff=staff)

    assert finding.campaign == world.campaign and finding.status == "open"
    assert finding.responsible_user == login and finding.recorded_by == world.supervisor
    assert list(finding.events.values_list("kind", flat=True)) == ["recorded"]
    event = AuditEvent.objects.get(action="findings.recorded")
    assert event.target_id == str(finding.pk) and "responsible_staff" in event.changed_fields
    assert "值班" not in str(event.changed_fields)  # field names only, never values


def test_recording_refuses_what_does_not_fit_the_inspection(world):
    other_catalogue_standard = Standard.objects.filter(catalogue=make_catalogue(name="旧版标准")).first()
    field_error("method", record, world, method="video_patrol")
    field_error("standard", record, world, standard=other_catalogue_standard)
    field_error("inspection", record, world, facility=world.b, responsible_department=responsible(world.b)[0],
                responsible_staff=responsible(world.b)[1])  # fmt: skip
    field_error("responsible_staff", record, world, responsible_staff=StaffFactory(facility=world.a))
    field_error("deadline", record, world, deadline=world.inspection.starts_on - datetime.timedelta(days=1))
    field_error("found_on", record, world, found_on=world.inspection.starts_on - datetime.timedelta(days=1))
    field_error("found_on", self_identified, world, campaign=world.campaign, found_on=days(-300))
    field_error("origin", record, world, origin="self_identified")
    assert Finding.objects.count() == 0


def test_a_facility_officer_may_not_record_but_the_leadership_may_self_identify(world):
    with pytest.raises(AccessDenied):
        self_identified(world, actor=world.officer_a)
    finding = self_identified(world)
    assert (
        finding.origin == "self_identified"
        and finding.campaign is None
        and finding.recorded_by == world.leader_a
    )


def test_the_facility_rectifies_and_the_bureau_verifies_and_closes(world, recorded):
    services.start_rectification(actor=world.officer_a, finding=recorded)
    finding = submitted(world, recorded)
    assert finding.status == "submitted" and finding.submitted_by == world.officer_a
    submission = finding.events.get(kind="submitted")
    assert submission.evidence.get().original_name == "整改照片.png"

    finding = services.verify(actor=world.bureau_leader, finding=finding, note="现场复核已整改")
    finding = services.close(actor=world.supervisor, finding=finding)

    assert finding.status == "closed" and finding.verified_by == world.bureau_leader
    assert finding.rectified_on == timezone.localdate(submission.at)
    assert [e.kind for e in selectors.timeline(finding)] == [
        "recorded",
        "started",
        "submitted",
        "verified",
        "closed",
    ]
    assert set(AuditEvent.objects.filter(action__startswith="findings.").values_list("action", flat=True)) == {
        "findings.recorded", "findings.started", "findings.submitted", "findings.verified", "findings.closed",
    }  # fmt: skip


def test_the_responsible_person_cannot_verify_even_with_the_bureau_role(world, member):
    bureau_officer = member(Role.BUREAU_SUPERVISOR)
    department, staff = responsible(world.a, user=bureau_officer)
    finding = submitted(world, record(world, responsible_department=department, responsible_staff=staff))

    error = field_error("verified_by", services.verify, actor=bureau_officer, finding=finding)

    assert "负责" in error.message or "responsible" in error.message
    assert Finding.objects.get(pk=finding.pk).status == "submitted"


def test_the_submitter_cannot_verify_a_self_identified_finding(world):
    finding = self_identified(world)
    finding = submitted(world, finding, actor=world.leader_a)  # the leadership also rectifies

    field_error("verified_by", services.verify, actor=world.leader_a, finding=finding)
    assert services.verify(actor=world.supervisor, finding=finding).status == "verified"


def test_an_inspection_finding_needs_bureau_verification_a_self_identified_one_the_leadership(world):
    inspection_finding = submitted(world, record(world))
    own = submitted(world, self_identified(world))

    with pytest.raises(DomainError) as caught:
        services.verify(actor=world.leader_a, finding=inspection_finding)
    assert caught.value.code == "bureau_required"
    assert services.verify(actor=world.leader_a, finding=own).verified_by == world.leader_a
    with pytest.raises(AccessDenied):
        services.verify(actor=world.officer_a, finding=inspection_finding)


def test_a_failed_verification_goes_back_to_rectifying_and_counts_as_reopened(world, recorded):
    finding = submitted(world, recorded)

    finding = services.reject(actor=world.supervisor, finding=finding, note="照片未体现整改后现场")

    assert finding.status == "rectifying" and finding.reopen_count == 1 and finding.submitted_by is None
    finding = submitted(world, finding)
    assert services.verify(actor=world.supervisor, finding=finding).status == "verified"
    field_error(
        "note", services.reject, actor=world.supervisor, finding=submitted(world, record(world)), note=""
    )


def test_a_closed_finding_found_again_is_reopened(world, recorded):
    finding = services.verify(actor=world.supervisor, finding=submitted(world, recorded))
    finding = services.close(actor=world.supervisor, finding=finding)

    finding = services.reopen(actor=world.bureau_leader, finding=finding, reason="回头看发现问题反弹")

    assert finding.status == "rectifying" and finding.reopen_count == 1
    assert finding.verified_by is None and finding.rectified_on is None and finding.closed_at is None
    assert selectors.figures(Finding.objects.all(), timezone.localdate()).rectified == 0


def test_overdue_findings_are_listed_with_their_days(world):
    late = record(world, deadline=days(-3))
    record(world, deadline=days(5))
    done = services.verify(actor=world.supervisor, finding=submitted(world, record(world, deadline=days(-9))))

    lines = selectors.overdue_findings(world.supervisor, timezone.localdate())

    assert [(line.finding, line.days_overdue) for line in lines] == [(late, 3)]
    assert done.status == "verified"


def test_an_extension_is_later_explained_and_by_the_bureau_for_inspection_findings(world, recorded):
    later = recorded.deadline + datetime.timedelta(days=15)
    field_error(
        None, services.extend_deadline, actor=world.leader_a, finding=recorded, new_deadline=later, reason="x"
    )
    field_error("new_deadline", services.extend_deadline, actor=world.supervisor, finding=recorded,
                new_deadline=recorded.deadline, reason="施工周期长")  # fmt: skip
    field_error("reason", services.extend_deadline, actor=world.supervisor, finding=recorded, new_deadline=later,
                reason=" ")  # fmt: skip
    with pytest.raises(AccessDenied):
        services.extend_deadline(
            actor=world.officer_a, finding=recorded, new_deadline=later, reason="施工周期长"
        )

    finding = services.extend_deadline(
        actor=world.supervisor, finding=recorded, new_deadline=later, reason="施工周期长"
    )

    event = finding.events.get(kind="extended")
    assert finding.deadline == later and (event.deadline_before, event.deadline_after) == (
        later - datetime.timedelta(days=15),
        later,
    )
    own = self_identified(world)
    assert services.extend_deadline(
        actor=world.leader_a, finding=own, new_deadline=days(40), reason="等待采购"
    ).deadline == days(40)


def test_a_withdrawn_finding_counts_nowhere_and_only_before_verification(world, recorded):
    other = record(world, deadline=days(-1))
    field_error("reason", services.withdraw, actor=world.supervisor, finding=recorded, reason="")

    services.withdraw(actor=world.supervisor, finding=recorded, reason="重复记录")

    figures = selectors.figures(Finding.objects.all(), timezone.localdate())
    assert (figures.found, figures.overdue) == (1, 1)
    verified = services.verify(actor=world.supervisor, finding=submitted(world, other))
    field_error(None, services.withdraw, actor=world.supervisor, finding=verified, reason="重复记录")


def test_steps_entered_afterwards_are_dated_and_in_order(world):
    found = days(-40)
    inspection = make_inspection(campaign=world.campaign, facility=world.a, team=world.team, starts_on=found)
    paper = timezone.make_aware(datetime.datetime.combine(found, datetime.time(16)))
    finding = record(
        world, inspection=inspection, found_on=found, deadline=found + datetime.timedelta(days=15), at=paper
    )
    handed_in = paper + datetime.timedelta(days=10)
    finding = submitted(world, finding, at=handed_in)
    field_error(
        "at",
        services.verify,
        actor=world.supervisor,
        finding=finding,
        at=handed_in - datetime.timedelta(hours=1),
    )
    field_error(
        "at",
        services.verify,
        actor=world.supervisor,
        finding=finding,
        at=timezone.now() + datetime.timedelta(days=1),
    )

    finding = services.verify(
        actor=world.supervisor, finding=finding, at=handed_in + datetime.timedelta(days=3)
    )

    assert finding.rectified_on == found + datetime.timedelta(days=10)
    assert selectors.figures(Finding.objects.filter(pk=finding.pk), timezone.localdate()).on_time == 1
    field_error(
        "at", record, world, inspection=inspection, found_on=found, at=paper - datetime.timedelta(days=1)
    )


def test_a_bad_file_saves_nothing_of_the_submission(world, recorded):
    text = SimpleUploadedFile("note.txt", b"just text", content_type="text/plain")

    field_error("files", services.submit_rectification, actor=world.officer_a, finding=recorded, note="已整改",
                files=[png(), text])  # fmt: skip
    field_error(
        "files",
        services.submit_rectification,
        actor=world.officer_a,
        finding=recorded,
        note="已整改",
        files=[],
    )

    assert Finding.objects.get(pk=recorded.pk).status == "open"
    assert EvidenceFile.objects.count() == 0 and FindingEvent.objects.filter(kind="submitted").count() == 0


def test_another_facilitys_staff_cannot_rectify(world, recorded):
    with pytest.raises(AccessDenied):
        services.start_rectification(actor=world.officer_b, finding=recorded)


def test_measures_address_findings_of_the_same_campaign_and_facility(world):
    first, second = record(world), record(world, title="谈话记录缺失")
    own = self_identified(world)

    measure = services.record_measure(
        actor=world.leader_a, facility=world.a, campaign=world.campaign, title="建立值班记录日查制度",
        responsible_department=world.department, due_on=days(30), findings=[first, second],
    )  # fmt: skip

    assert set(measure.findings.all()) == {first, second}
    field_error("findings", services.record_measure, actor=world.leader_a, facility=world.a, campaign=world.campaign,
                title="措施", responsible_department=world.department, due_on=days(30), findings=[own])  # fmt: skip
    field_error("findings", services.record_measure, actor=world.leader_a, facility=world.a, campaign=world.campaign,
                title="措施", responsible_department=world.department, due_on=days(30), findings=[])  # fmt: skip
    done = services.complete_measure(actor=world.officer_a, measure=measure)
    assert done.completed_on == timezone.localdate()
    field_error("completed_on", services.complete_measure, actor=world.officer_a, measure=done)
    assert (
        AuditEvent.objects.filter(
            action__in=["findings.measure_recorded", "findings.measure_completed"]
        ).count()
        == 2
    )
