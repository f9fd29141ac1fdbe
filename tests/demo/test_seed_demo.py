"""The demo region: deterministic plan, idempotent seeding, valid people, one working login per role."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import Client

from jiedu.accounts.models import User
from jiedu.audit.models import AuditEvent
from jiedu.demo import region
from jiedu.demo.plan import plan_region
from jiedu.organisation.models import (
    FOUR_ZONE_MODEL,
    Bureau,
    CommunityStation,
    Department,
    Facility,
    Membership,
    Room,
    Zone,
    ZoneType,
)
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident, Staff

TODAY = datetime.date(2026, 11, 24)
SEEDED_MODELS = (
    Bureau, Facility, Department, Zone, Room, CommunityStation, Membership, User, Staff, Resident, AuditEvent,
)  # fmt: skip


def _snapshot():
    """Every row of every table the seed writes, values included (encrypted fields decrypted)."""
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in SEEDED_MODELS}


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fast_hasher(settings):
    # PBKDF2's million iterations cost ~0.2 s per login; the logins themselves are what we test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_plan_is_deterministic_and_within_bounds():
    first, second = plan_region(), plan_region()
    assert first == second
    assert len(first) == 10
    ids = []
    for plan in first:
        assert 50 <= len(plan.residents) <= 150
        assert 30 <= len(plan.staff) <= 80
        for room in (room for zone in plan.zones for room in zone.rooms):
            assert room.occupants <= room.capacity
            assert room.capacity == 1 if room.is_single_occupancy else 4 <= room.capacity <= 12
        ids += [p.id_number for p in plan.residents + plan.staff]
    assert len(ids) == len(set(ids))
    stations = [s.name for plan in first for s in plan.stations]
    assert len(stations) == len(set(stations)) == 42


@pytest.mark.django_db
def test_seed_demo_loads_the_region_once_and_every_login_works(fast_hasher):
    output = _seed()
    for spec in region.LOGINS:
        assert spec.username in output
    assert django_settings.DEMO_PASSWORD in output

    before = _snapshot()
    second = _seed("--quiet")
    assert "本次写入 0 行" in second
    assert "username" not in second  # --quiet leaves out the login table
    assert _snapshot() == before

    # Ten facilities, one of them illustrative, the women's and pilot flags as in the reports.
    facilities = {f.code: f for f in Facility.objects.all()}
    assert len(facilities) == 10
    assert [f.name for f in facilities.values() if f.is_illustrative] == ["鄂尔多斯市强制隔离戒毒所"]
    assert [f.short_name for f in facilities.values() if f.is_womens] == ["女子所"]
    pilots = {f.short_name for f in facilities.values() if f.is_procuratorial_pilot}
    assert pilots == {"女子所", "图牧吉所", "包头所", "乌海所"}
    assert Counter(f.level for f in facilities.values()) == {"region": 3, "league_city": 7}
    assert CommunityStation.objects.count() == 42

    for facility in facilities.values():
        residents = Resident.objects.filter(facility=facility)
        assert 50 <= residents.count() <= 150
        assert 30 <= Staff.objects.filter(facility=facility).count() <= 80
        assert set(residents.values_list("sex", flat=True)) == {"F" if facility.is_womens else "M"}
        statuses = set(residents.values_list("status", flat=True))
        assert statuses == {"in_custody", "outside_medical", "released"}
        zone_types = set(Zone.objects.filter(facility=facility).values_list("zone_type", flat=True))
        assert zone_types == set(ZoneType) - {ZoneType.ORDINARY}
        assert Department.objects.filter(facility=facility, kind="brigade").count() >= 5
        deactivated = Room.objects.filter(facility=facility, is_active=False).exclude(deactivation_reason="")
        assert deactivated.count() == 1

    # Every ID number is valid and agrees with the recorded sex; present residents sit in a
    # four-zone or isolation room that has a bed for them.
    for person in [*Resident.objects.all(), *Staff.objects.all()]:
        parsed = identity.parse_id_number(person.id_number, today=TODAY)
        assert parsed.number.startswith("15")
        assert parsed.is_male == (person.sex == "M")
    for room in Room.objects.filter(zone__zone_type__in=FOUR_ZONE_MODEL):
        assert room.residents.filter(status__in=Resident.PRESENT_STATUSES).count() <= room.capacity
    assert not Resident.objects.filter(status="in_custody", current_room__isnull=True).exists()

    # The seed went through the services: every resident and staff member has its audit event.
    assert AuditEvent.objects.filter(action="resident.admitted").count() == Resident.objects.count()
    assert AuditEvent.objects.filter(action="staff.created").count() == Staff.objects.count()

    # One login per role, each with the right memberships; the system actor cannot log in.
    roles = {}
    for spec in region.LOGINS:
        memberships = Membership.objects.filter(user__username=spec.username)
        assert {m.role for m in memberships} == {spec.role}
        scopes = {m.facility.code if m.facility else None for m in memberships}
        assert scopes == (set(spec.facilities) or {None})
        roles[spec.role] = spec.username
        assert Client().login(username=spec.username, password=django_settings.DEMO_PASSWORD), spec.username
    assert set(roles) == set(Role)
    assert User.objects.get(username="hohhot_officer").staff_profile.facility.code == region.HOHHOT
    system = User.objects.get(username="system")
    assert system.is_superuser and not system.is_staff and not system.has_usable_password()
    assert not Client().login(username="system", password=django_settings.DEMO_PASSWORD)


@pytest.mark.django_db
def test_a_changed_demo_password_is_set_again_and_nothing_else_changes(fast_hasher):
    _seed("--quiet", "--facilities", "1")
    officer = User.objects.get(username="prosecutor")  # the only login of facility 1 (women's)
    officer.set_password("something-else-entirely")
    officer.save()
    before = Resident.objects.count(), Staff.objects.count(), Room.objects.count()
    _seed("--quiet", "--facilities", "1")
    assert Client().login(username="prosecutor", password=django_settings.DEMO_PASSWORD)
    assert (Resident.objects.count(), Staff.objects.count(), Room.objects.count()) == before


@pytest.mark.django_db
def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        _seed("--quiet")
    assert not Facility.objects.exists()
