"""factory_boy factories for the organisation tree, logins and people.

Staff and residents get a checksum-valid, unique ID number from ``identity.make_id_number`` (the
birth date moves one day per sequence step, so no two numbers collide) and a unique mobile number;
both go through ``set_id_number`` / ``set_phone`` so the blind indexes and key id are filled in.

Rooms take their facility from their zone: ``RoomFactory(zone=zone)`` or
``RoomFactory(zone__facility=facility)``. Residents placed in a room take its zone and facility.
"""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, CommunityStation, Department, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident, Staff

PASSWORD = "Factory-Pass-2026!"
STAFF_BIRTH_BASE = datetime.date(1970, 1, 1)
RESIDENT_BIRTH_BASE = datetime.date(1985, 1, 1)


def unique_id_number(n: int, *, county: str, base: datetime.date, male: bool) -> str:
    """A valid number unique per ``n`` (one birth date per step; the sequence digits follow ``n``)."""
    return identity.make_id_number(
        county=county, birth_date=base + datetime.timedelta(days=n), sequence=n, male=male
    )


class BureauFactory(DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("code",)

    code = "NM"
    name = "内蒙古自治区戒毒管理局"


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"测试强制隔离戒毒所{n}")
    short_name = factory.Sequence(lambda n: f"测试所{n}")
    level = Facility.Level.REGION


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"第{n}大队")
    kind = Department.Kind.BRIGADE


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"教育适应区{n}")
    zone_type = "education"


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    zone = factory.SubFactory(ZoneFactory)
    facility = factory.LazyAttribute(lambda o: o.zone.facility)
    number = factory.Sequence(lambda n: f"{100 + n}")
    capacity = 8
    is_single_occupancy = False


class CommunityStationFactory(DjangoModelFactory):
    class Meta:
        model = CommunityStation

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"新城区社区戒毒康复指导站{n}")
    league_city = "呼和浩特市"
    banner_county = "新城区"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    facility = factory.SubFactory(FacilityFactory)
    role = Role.FACILITY_OFFICER


class _PersonFactory(DjangoModelFactory):
    """ID number and phone are set through the model's setters, never as plain columns."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        id_number, phone = kwargs.pop("id_number"), kwargs.pop("phone", "")
        person = model_class(*args, **kwargs)
        person.set_id_number(id_number)
        person.set_phone(phone)
        return person

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = cls._build(model_class, *args, **kwargs)
        person.save()
        return person


class StaffFactory(_PersonFactory):
    class Meta:
        model = Staff

    facility = factory.SubFactory(FacilityFactory)
    department = None
    police_number = factory.Sequence(lambda n: f"150{n:05d}")
    name = factory.Sequence(lambda n: f"张警官{n}")
    sex = "M"
    position = "民警"
    id_number = factory.LazyAttributeSequence(
        lambda o, n: unique_id_number(n, county="150102", base=STAFF_BIRTH_BASE, male=o.sex == "M")
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class ResidentFactory(_PersonFactory):
    class Meta:
        model = Resident

    current_room = None
    current_zone = factory.LazyAttribute(lambda o: o.current_room.zone if o.current_room else None)
    facility = factory.LazyAttribute(
        lambda o: o.current_zone.facility if o.current_zone else FacilityFactory()
    )
    file_number = factory.Sequence(lambda n: f"QJ-{n:05d}")
    name = factory.Sequence(lambda n: f"李某{n}")
    sex = "M"
    ethnicity = "汉族"
    deciding_organ = "呼和浩特市公安局"
    decision_number = factory.Sequence(lambda n: f"呼公强戒决字〔2026〕{n}号")
    decision_date = datetime.date(2026, 1, 5)
    term_start = datetime.date(2026, 1, 10)
    term_end = datetime.date(2028, 1, 10)
    status = Resident.Status.IN_CUSTODY
    admitted_at = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    # Residents who have left carry the time they left (a database rule).
    left_at = factory.LazyAttribute(
        lambda o: None if o.status in Resident.PRESENT_STATUSES else datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    )
    id_number = factory.LazyAttributeSequence(
        lambda o, n: unique_id_number(n, county="150203", base=RESIDENT_BIRTH_BASE, male=o.sex == "M")
    )
    phone = factory.Sequence(lambda n: f"138{n:08d}")
