"""Applies the demo plan through the services, creating only what is missing.

Natural keys decide what exists: bureau and facility codes, department, zone and station names,
room numbers within a zone, usernames, memberships (user, facility). A facility's residents are
admitted only while it has none, and its staff only while it has none, so the second run reads
a few rows per facility and writes nothing.

Everything is written by the ``system`` user, a superuser that cannot log in (unusable
password), so the services' permission checks and audit trail apply as for any other actor.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jiedu.accounts.models import User
from jiedu.audit import services as audit
from jiedu.demo import otp as demo_otp
from jiedu.demo import region
from jiedu.demo.plan import FacilityPlan, plan_facility
from jiedu.organisation import services as org_services
from jiedu.organisation.models import Bureau, CommunityStation, Department, Facility, Membership, Room, Zone
from jiedu.people import services as people_services
from jiedu.people.models import Resident, Staff


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    skipped_people: list[str] = field(default_factory=list)  # facility short names whose people existed


# Demo residents released before the recent history (fixed, so re-runs change nothing).
RELEASED_BEFORE = timezone.make_aware(datetime.datetime.combine(region.ANCHOR - datetime.timedelta(days=45), datetime.time(10)))


def system_user() -> User:
    user, created = User.objects.get_or_create(
        username=region.SYSTEM_USERNAME,
        defaults={"display_name": region.SYSTEM_DISPLAY_NAME, "is_superuser": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_region(*, today: datetime.date | None = None, facilities: int | None = None) -> SeedReport:
    """Load the demo region. ``facilities`` limits it to the first N facilities (tests only)."""
    today = today or timezone.localdate()
    report = SeedReport()
    specs = region.FACILITIES[:facilities] if facilities else region.FACILITIES
    system = system_user()
    bureau = _bureau(report)
    plans = [plan_facility(spec) for spec in specs]
    by_code = {}
    for plan in plans:
        with transaction.atomic():
            facility = _facility(system, bureau, plan, report)
            _structure(system, facility, plan, report)
        by_code[plan.spec.code] = facility
    with transaction.atomic():
        users = _logins(system, by_code, report)
    for plan in plans:
        with transaction.atomic():
            _people(system, by_code[plan.spec.code], plan, users, today, report)
    return report


def _bureau(report: SeedReport) -> Bureau:
    bureau, created = Bureau.objects.get_or_create(
        code=region.BUREAU_CODE, defaults={"name": region.BUREAU_NAME}
    )
    report.created["bureau"] += created
    return bureau


def _facility(system, bureau, plan: FacilityPlan, report: SeedReport) -> Facility:
    facility = Facility.objects.visible_to(system).filter(code=plan.spec.code).first()
    if facility is None:
        facility = org_services.create_facility(actor=system, bureau=bureau, **plan.spec.facility_fields())
        report.created["facility"] += 1
    return facility


def _structure(system, facility: Facility, plan: FacilityPlan, report: SeedReport) -> None:
    departments = set(
        Department.objects.visible_to(system).filter(facility=facility).values_list("name", flat=True)
    )
    for name, kind in plan.departments:
        if name not in departments:
            org_services.create_scoped(
                actor=system, model=Department, facility=facility, name=name, kind=kind
            )
            report.created["department"] += 1

    zones = {z.name: z for z in Zone.objects.visible_to(system).filter(facility=facility)}
    rooms = set(Room.objects.visible_to(system).filter(facility=facility).values_list("zone__name", "number"))
    for zone_plan in plan.zones:
        spec = zone_plan.spec
        zone = zones.get(spec.name)
        if zone is None:
            zone = org_services.create_scoped(
                actor=system, model=Zone, facility=facility, name=spec.name, zone_type=spec.zone_type
            )
            report.created["zone"] += 1
        for room_plan in zone_plan.rooms:
            if (spec.name, room_plan.number) in rooms:
                continue
            room = org_services.create_scoped(
                actor=system,
                model=Room,
                facility=facility,
                zone=zone,
                number=room_plan.number,
                capacity=room_plan.capacity,
                is_single_occupancy=room_plan.is_single_occupancy,
            )
            report.created["room"] += 1
            if room_plan.deactivation_reason:
                org_services.deactivate_room(actor=system, room=room, reason=room_plan.deactivation_reason)

    stations = set(
        CommunityStation.objects.visible_to(system)
        .filter(name__in=[s.name for s in plan.stations])
        .values_list("name", flat=True)
    )
    for station in plan.stations:
        if station.name in stations:
            continue
        county = region.COUNTIES[station.county]
        org_services.create_scoped(
            actor=system,
            model=CommunityStation,
            facility=facility,
            name=station.name,
            league_city=county.city,
            banner_county=county.name,
            address=f"内蒙古自治区{county.city}{county.name}",
        )
        report.created["station"] += 1


def _logins(system, facilities: dict[str, Facility], report: SeedReport) -> dict[str, User]:
    """One login per role; the password is (re)set to DEMO_PASSWORD only when it differs."""
    users = {}
    for spec in region.LOGINS:
        codes = [code for code in spec.facilities if code in facilities]
        if spec.facilities and not codes:
            continue  # a partial region (tests) lacks this login's facility
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User.objects.create_user(
                spec.username, password=settings.DEMO_PASSWORD, display_name=spec.display_name
            )
            audit.record(
                actor=system,
                action="user.created",
                facility_id=None,
                target=user,
                changed_fields=["username", "display_name", "password"],
            )
            report.created["user"] += 1
        elif not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            audit.record(
                actor=system,
                action="user.password_reset",
                facility_id=None,
                target=user,
                changed_fields=["password"],
            )
            report.created["password_reset"] += 1
        for facility in [facilities[code] for code in codes] or [None]:
            _membership(system, user, facility, spec.role, report)
        if spec.role in settings.JIEDU_OTP_REQUIRED_ROLES:
            _otp_device(system, user, report)
        users[spec.username] = user
    return users


def _otp_device(system, user: User, report: SeedReport) -> None:
    """Leaders and administrators need a second factor: a demo device with a derivable secret."""
    device = demo_otp.ensure_device(user)
    if device is None:
        return
    audit.record(actor=system, action="otp.device_confirmed", facility_id=None, target=device)
    report.created["otp_device"] += 1


def _membership(system, user, facility: Facility | None, role: str, report: SeedReport) -> None:
    if Membership.objects.filter(user=user, facility=facility).exists():
        return
    membership = Membership(user=user, facility=facility, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=system,
        action="membership.created",
        facility_id=facility.pk if facility else None,
        target=membership,
        changed_fields=["user", "facility", "role"],
    )
    report.created["membership"] += 1


def _people(system, facility: Facility, plan: FacilityPlan, users: dict[str, User], today, report) -> None:
    has_residents = Resident.objects.visible_to(system).filter(facility=facility).exists()
    has_staff = Staff.objects.visible_to(system).filter(facility=facility).exists()
    if has_residents and has_staff:
        report.skipped_people.append(facility.short_name)
        return
    zones = {z.name: z for z in Zone.objects.visible_to(system).filter(facility=facility)}
    rooms = {(r.zone_id, r.number): r for r in Room.objects.visible_to(system).filter(facility=facility)}
    if not has_residents:
        for r in plan.residents:
            zone = zones[r.zone] if r.zone else None
            resident = people_services.admit_resident(
                actor=system,
                facility=facility,
                id_number=r.id_number,
                file_number=r.file_number,
                name=r.name,
                sex=r.sex,
                ethnicity=r.ethnicity,
                deciding_organ=r.deciding_organ,
                decision_number=r.decision_number,
                decision_date=r.decision_date,
                term_start=r.term_start,
                # Arrival at this facility: the morning the term starts (the demo has no police phase).
                admitted_at=timezone.make_aware(datetime.datetime.combine(r.term_start, datetime.time(9))),
                term_end=r.term_end,
                current_zone=zone,
                current_room=rooms[(zone.pk, r.room)] if zone else None,
                today=today,
            )
            report.created["resident"] += 1
            if r.status == Resident.Status.RELEASED:
                # Released before the platform's history starts: the checklist of that release
                # predates the platform, so the departure is recorded as it happened.
                left_at = max(resident.admitted_at + datetime.timedelta(days=1), RELEASED_BEFORE)
                people_services.record_departure(resident=resident, status=r.status, at=left_at)
                audit.record(
                    actor=system, action="resident.released", facility_id=facility.pk, target=resident,
                    changed_fields=["status", "left_at"],
                )  # fmt: skip
            elif r.status != Resident.Status.IN_CUSTODY:
                # Admission always starts in custody; outside medical care is a later step.
                people_services.update_resident(actor=system, resident=resident, status=r.status)
    if not has_staff:
        departments = {d.name: d for d in Department.objects.visible_to(system).filter(facility=facility)}
        for s in plan.staff:
            people_services.create_staff(
                actor=system,
                facility=facility,
                police_number=s.police_number,
                kind=Staff.Kind.WORKER if s.position == region.CLERK else Staff.Kind.POLICE,
                name=s.name,
                sex=s.sex,
                id_number=s.id_number,
                phone=s.phone,
                department=departments[s.department] if s.department else None,
                position=s.position,
                is_leadership=s.is_leadership,
                status=s.status,
                user=_unlinked(system, users.get(s.login)) if s.login else None,
                today=today,
            )
            report.created["staff"] += 1


def _unlinked(system, user: User | None) -> User | None:
    """The login to link to a new staff record, unless it already has one (staff.user is one-to-one)."""
    if user is None or Staff.objects.visible_to(system).filter(user=user).exists():
        return None
    return user
