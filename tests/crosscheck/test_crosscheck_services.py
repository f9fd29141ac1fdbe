import datetime

import pytest
from crosscheck_sheets import dingtalk, healthcode

from factories import StaffFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.crosscheck import selectors, services
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun
from jiedu.organisation.roles import Role

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def clerk(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def prepared(facility_a):
    # 张三 checked in and has a yellow code elsewhere; 李四 only checked in; a stranger has a code.
    StaffFactory(facility=facility_a, name="张三", police_number="150001", phone="13900000001")
    StaffFactory(facility=facility_a, name="李四", police_number="150002", phone="13900000002")
    checkins = dingtalk([
        ["张三", "150001", "", "2026-11-20 08:00", "呼和浩特市赛罕区"],
        ["李四", "", "13900000002", "2026-11-20 08:03", "新城区"],
    ])  # fmt: skip
    codes = healthcode([["张三", "13900000001", "黄码", "包头市"], ["路人", "13900000009", "绿码", "赛罕区"]])
    result, problems = selectors.prepare(
        dingtalk=selectors.Upload("钉钉.xlsx", checkins), healthcode=selectors.Upload("健康码.xlsx", codes)
    )
    assert not problems
    return result


def test_prepared_upload_holds_no_plain_phone(prepared):
    assert "13900000001" not in str(prepared.to_session())
    assert selectors.Prepared.from_session(prepared.to_session()) == prepared


def test_save_stores_run_findings_and_audit(clerk, facility_a, prepared):
    # when the clerk saves the checked files
    run = services.save_run(actor=clerk, facility=facility_a, day=DAY, prepared=prepared)
    # then the run and its findings are stored, without phone numbers, and audited
    kinds = sorted(CrossCheckFinding.objects.filter(run=run).values_list("kind", flat=True))
    assert kinds == ["code_not_green", "location_mismatch", "missing_in_healthcode", "unmatched_healthcode"]
    assert run.findings_count == 4 and run.dingtalk_rows == 2 and run.healthcode_rows == 2
    assert not any("139" in d for d in CrossCheckFinding.objects.values_list("detail", flat=True))
    assert AuditEvent.objects.filter(action="crosscheck.run_saved", facility_id=facility_a.pk).count() == 1


def test_saving_the_same_files_twice_for_the_day_is_refused(clerk, facility_a, prepared):
    services.save_run(actor=clerk, facility=facility_a, day=DAY, prepared=prepared)
    with pytest.raises(DomainError) as refused:
        services.save_run(actor=clerk, facility=facility_a, day=DAY, prepared=prepared)
    assert refused.value.field == "day"
    assert CrossCheckRun.objects.count() == 1
    # another day is a different check
    next_day = DAY + datetime.timedelta(days=1)
    services.save_run(actor=clerk, facility=facility_a, day=next_day, prepared=prepared)
    assert CrossCheckRun.objects.count() == 2


def test_save_is_all_or_nothing(clerk, facility_a, prepared, monkeypatch):
    # given the findings cannot be written
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CrossCheckFinding.objects, "bulk_create", broken)
    # when saving, then nothing at all is stored
    with pytest.raises(RuntimeError):
        services.save_run(actor=clerk, facility=facility_a, day=DAY, prepared=prepared)
    assert CrossCheckRun.objects.count() == 0
    assert not AuditEvent.objects.filter(action="crosscheck.run_saved").exists()


def test_save_needs_manage_staff_health_at_that_facility(member, facility_a, facility_b, prepared):
    other = member(Role.FACILITY_OFFICER, facility_b)
    gate = member(Role.GATE_OFFICER, facility_a)
    for actor in (other, gate):
        with pytest.raises(AccessDenied):
            services.save_run(actor=actor, facility=facility_a, day=DAY, prepared=prepared)
    assert CrossCheckRun.objects.count() == 0
