"""The region's fixed parts, written through the ORM (a few hundred rows): bureau, facilities,
departments, zones with their isolation rooms, one login per facility role, key areas, leave
areas and their inspectors. The bulk tables hang on these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from jiedu.accounts.models import User
from jiedu.demo import region
from jiedu.environment.models import KeyArea
from jiedu.organisation.models import Bureau, Department, Facility, Membership, Room, Zone, ZoneType
from jiedu.organisation.roles import Role
from jiedu.scale.shape import RegionShape
from jiedu.staffleave.models import LeaveArea

DEPARTMENTS = (
    ("一大队", Department.Kind.BRIGADE), ("二大队", Department.Kind.BRIGADE), ("三大队", Department.Kind.BRIGADE),
    ("四大队", Department.Kind.BRIGADE), ("生活卫生科", Department.Kind.OFFICE), ("管理科", Department.Kind.OFFICE),
    ("教育矫治科", Department.Kind.OFFICE), ("政治处", Department.Kind.OFFICE),
)  # fmt: skip
# The four-zone model's zones hold the residents; the isolation zones hold single rooms.
RESIDENT_ZONES = (
    ("生理脱毒区", ZoneType.DETOX), ("教育适应区", ZoneType.EDUCATION),
    ("康复巩固区", ZoneType.REHABILITATION), ("回归指导区", ZoneType.RETURN_GUIDANCE),
)  # fmt: skip
ISOLATION = (("发热隔离区", ZoneType.FEVER_ISOLATION, 6), ("密接隔离区", ZoneType.CONTACT_ISOLATION, 8))
KEY_AREAS = ("食堂", "医务室", "宿舍楼", "教学楼", "习艺车间", "接见室")
LEAVE_AREAS = ("新城区", "回民区", "玉泉区", "赛罕区")
FACILITY_ROLES = (Role.FACILITY_LEADER, Role.FACILITY_OFFICER, Role.MEDICAL_STAFF, Role.GATE_OFFICER)
BUREAU_ROLES = (Role.BUREAU_LEADER, Role.BUREAU_SUPERVISOR)


@dataclass
class FacilityParts:
    facility: Facility
    number: int  # 1-based
    departments: list[Department]
    zones: dict[str, Zone]  # zone type -> zone (resident zones)
    users: dict[str, User]  # role -> login
    key_areas: list[KeyArea]
    leave_areas: list[LeaveArea]


@dataclass
class Structure:
    bureau: Bureau
    facilities: list[FacilityParts]
    bureau_users: dict[str, User] = field(default_factory=dict)


def _facility_fields(number: int) -> dict:
    if number <= len(region.FACILITIES):
        return region.FACILITIES[number - 1].facility_fields()
    return {
        "code": f"NM-S{number:02d}", "name": f"规模测试第{number}强制隔离戒毒所", "short_name": f"测试{number}所",
        "level": Facility.Level.LEAGUE_CITY, "is_illustrative": True, "address": "内蒙古自治区",
    }  # fmt: skip


def _login(username: str, display_name: str) -> User:
    user = User(username=username, display_name=display_name)
    user.set_unusable_password()  # generated logins never sign in with a password
    user.save()
    return user


def build_structure(shape: RegionShape) -> Structure:
    bureau = Bureau.objects.create(code=region.BUREAU_CODE, name=region.BUREAU_NAME)
    structure = Structure(bureau, [])
    for role in BUREAU_ROLES:
        user = _login(f"scale-bureau-{role}", f"局{Role(role).label}")
        Membership.objects.create(user=user, facility=None, role=role)
        structure.bureau_users[role] = user
    since = shape.first_day - datetime.timedelta(days=400)
    for number in range(1, shape.facilities + 1):
        facility = Facility.objects.create(bureau=bureau, **_facility_fields(number))
        departments = Department.objects.bulk_create(
            Department(facility=facility, name=name, kind=kind) for name, kind in DEPARTMENTS
        )
        zones = {
            zone_type: Zone.objects.create(facility=facility, name=name, zone_type=zone_type)
            for name, zone_type in RESIDENT_ZONES
        }
        for name, zone_type, rooms in ISOLATION:
            zone = Zone.objects.create(facility=facility, name=name, zone_type=zone_type)
            Room.objects.bulk_create(
                Room(
                    facility=facility, zone=zone, number=f"{n + 1:02d}", capacity=1, is_single_occupancy=True
                )
                for n in range(rooms)
            )
        users = {}
        for role in FACILITY_ROLES:
            users[role] = _login(
                f"scale-{facility.code.lower()}-{role}", f"{facility.short_name}{Role(role).label}"
            )
            Membership.objects.create(user=users[role], facility=facility, role=role)
        key_areas = KeyArea.objects.bulk_create(
            KeyArea(facility=facility, name=name, key_since=since, zone=zones[ZoneType.REHABILITATION])
            for name in KEY_AREAS
        )
        leave_areas = LeaveArea.objects.bulk_create(
            LeaveArea(facility=facility, name=name) for name in LEAVE_AREAS
        )
        structure.facilities.append(
            FacilityParts(facility, number, departments, zones, users, key_areas, leave_areas)
        )
    return structure
