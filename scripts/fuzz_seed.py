"""The small database the API fuzz run starts from: two facilities with a few rows each, and an API
token for a facility officer of the first one (printed on stdout, the only output).

Run by scripts/fuzz_api.py with DJANGO_SETTINGS_MODULE and DATABASE_URL already set.
"""

import datetime

import django

django.setup()

from rest_framework.authtoken.models import Token  # noqa: E402

from jiedu.accounts.models import User  # noqa: E402
from jiedu.organisation.models import Bureau, CommunityStation, Department, Facility, Membership, Room, Zone  # noqa: E402
from jiedu.organisation.roles import Role  # noqa: E402
from jiedu.people import identity  # noqa: E402
from jiedu.people.models import Resident, Staff  # noqa: E402


def facility(bureau, code: str, suffix: str, seq: int) -> Facility:
    site = Facility.objects.create(
        bureau=bureau, code=code, name=f"测试强制隔离戒毒所{suffix}", short_name=f"测{suffix}", level="region"
    )
    department = Department.objects.create(facility=site, name=f"一大队{suffix}")
    zone = Zone.objects.create(facility=site, name=f"教育适应区{suffix}", zone_type="education")
    room = Room.objects.create(facility=site, zone=zone, number=f"{seq}01", capacity=8)
    CommunityStation.objects.create(
        facility=site, name=f"新城区指导站{suffix}", league_city="呼和浩特市", banner_county="新城区"
    )
    for n in range(1, 4):
        staff = Staff(facility=site, department=department, police_number=f"15{seq}{n:04d}", name=f"张警官{suffix}{n}", sex="M")
        staff.set_id_number(identity.make_id_number(county="150102", birth_date=datetime.date(1980, 1, n), sequence=seq * 100 + n, male=True))
        staff.set_phone(f"138{seq:04d}{n:04d}")
        staff.save()
        resident = Resident(
            facility=site, file_number=f"F{seq}-{n:03d}", name=f"李某{suffix}{n}", sex="M", ethnicity="汉族",
            deciding_organ="呼和浩特市公安局", decision_number=f"呼公强戒决字〔2026〕{seq}{n}号",
            decision_date=datetime.date(2026, 1, 5), term_start=datetime.date(2026, 1, 10),
            term_end=datetime.date(2028, 1, 10), current_zone=zone, current_room=room,
        )  # fmt: skip
        resident.set_id_number(identity.make_id_number(county="150203", birth_date=datetime.date(1990, 5, n), sequence=seq * 100 + 50 + n, male=True))
        resident.save()
    return site


def main() -> None:
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    first = facility(bureau, "A01", "甲", 1)
    facility(bureau, "B01", "乙", 2)
    officer = User.objects.create_user("fuzz_officer", display_name="模糊测试")
    officer.set_unusable_password()  # token only
    officer.save()
    Membership.objects.create(user=officer, facility=first, role=Role.FACILITY_OFFICER)
    print(Token.objects.create(user=officer).key)


main()
