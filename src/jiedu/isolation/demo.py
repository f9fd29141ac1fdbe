"""Demo history for isolation and release, written through the services as the system user.

Per facility: the residents the region plan seats in isolation rooms get their open stays; a few
fever and close-contact stays over the last ``days`` days (one transferred, one due to end);
four residents whose term now ends within 30 days (decided early release after assessment, 提前解除)
at different stages of the pre-release checklist, one of them ready; and two released in the last
weeks with complete hand-overs. A facility with any hand-over recorded is left alone, so a second
run writes nothing; each facility is one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiedu.demo import names
from jiedu.demo.history import day_rng
from jiedu.demo.plan import MOBILE_PREFIXES
from jiedu.isolation import domain, release_services, services
from jiedu.isolation.models import Handover, IsolationStay
from jiedu.organisation.models import Facility, Room
from jiedu.people import services as people_services
from jiedu.people.models import Resident, Staff

STREETS = ("新华街道", "人民路街道", "中山路街道", "胜利街道", "团结街道", "建设街道")
RELATIONS = ("父亲", "母亲", "妻子", "哥哥", "姐姐", "儿子")
FEVER_NOTES = ("体温37.6℃，复测37.5℃", "体温37.8℃，伴咳嗽", "体温37.4℃，复测仍高")


@dataclass(frozen=True)
class Stage:
    """One resident of the pre-release cohort: days from today to the term end (negative: released)."""

    term_end_in: int
    observation_days_before: int | None  # days before today (or before release) the observation began
    items: tuple[str, ...]
    receivers: tuple[str, ...]


ALL_ITEMS, ALL_RECEIVERS = domain.ITEMS, domain.RECEIVERS
COHORT = (
    Stage(-12, 16, ALL_ITEMS, ALL_RECEIVERS),  # released twelve days ago
    Stage(-5, 15, ALL_ITEMS, ALL_RECEIVERS),  # released five days ago
    Stage(2, 15, ALL_ITEMS, ALL_RECEIVERS),  # ready
    Stage(6, 9, (domain.TALK, domain.EDUCATION), (domain.POLICE, domain.FAMILY)),
    Stage(13, 2, (domain.EDUCATION,), (domain.FAMILY,)),
    Stage(24, None, (), ()),  # observation due in ten days
)


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = 0
    for facility in Facility.objects.visible_to(system).order_by("code"):
        if Handover.objects.visible_to(system).filter(facility=facility).exists():
            continue
        with transaction.atomic():
            written += _FacilityHistory(system, facility, today, days).seed()
    return written


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _FacilityHistory:
    def __init__(self, system, facility: Facility, today: datetime.date, days: int):
        self.system, self.facility, self.today, self.days = system, facility, today, days
        self.rng = day_rng(facility.code, today, "isolation")
        self.rooms = {
            zone_type: list(
                Room.objects.visible_to(system)
                .filter(facility=facility, zone__zone_type=zone_type, is_active=True, zone__is_active=True)
                .select_related("zone")
                .order_by("number")
            )
            for zone_type in domain.ISOLATION_ZONE_TYPES
        }
        staff = Staff.objects.visible_to(system).filter(facility=facility, status=Staff.Status.ON_DUTY)
        self.doctors = list(staff.filter(position="医生").values_list("name", flat=True)) or ["值班医生"]
        self.officers = list(staff.filter(position="民警").values_list("name", flat=True)) or ["管教民警"]
        self.used: set[int] = set()  # residents given a part in this history
        self.written = 0

    def seed(self) -> int:
        self._adopt_placed_residents()
        cohort = self._cohort()
        for stage, resident in zip(COHORT, cohort, strict=False):
            self._pre_release(stage, resident)
        self._fever_and_contact_history()
        return self.written

    # --- Residents the plan seats in isolation rooms -----------------------------------------

    def _adopt_placed_residents(self) -> None:
        placed = (
            self._residents()
            .filter(current_zone__zone_type__in=domain.ISOLATION_ZONE_TYPES)
            .exclude(
                pk__in=IsolationStay.objects.visible_to(self.system)
                .filter(ended_at__isnull=True)
                .values("resident_id")
            )
        )
        reasons = {"fever_isolation": domain.FEVER, "contact_isolation": domain.CLOSE_CONTACT,
                   "pre_release_isolation": domain.PRE_RELEASE}  # fmt: skip
        for resident in placed.select_related("current_zone", "current_room"):
            reason = reasons[resident.current_zone.zone_type]
            start = _at(
                self.today - datetime.timedelta(days=self.rng.randint(1, 3)), 10, self.rng.randint(0, 59)
            )
            length = 4 if reason == domain.FEVER else 14
            self._admit(
                resident,
                resident.current_room,
                reason,
                start,
                planned_end=start.date() + datetime.timedelta(days=length),
            )

    # --- Pre-release ---------------------------------------------------------------------------

    def _cohort(self) -> list[Resident]:
        """Those who have served longest, still in an ordinary bed."""
        candidates = (
            self._residents()
            .exclude(current_zone__zone_type__in=domain.ISOLATION_ZONE_TYPES)
            .filter(current_room__isnull=False, isolation_stays__isnull=True)
            .order_by("term_start", "file_number")
        )
        return list(candidates[: len(COHORT)])

    def _pre_release(self, stage: Stage, resident: Resident) -> None:
        self.used.add(resident.pk)
        release_day = self.today + datetime.timedelta(days=stage.term_end_in)
        people_services.update_resident(actor=self.system, resident=resident, term_end=release_day)
        released = stage.term_end_in < 0
        reference = release_day if released else self.today
        if stage.observation_days_before is not None:
            start = _at(reference - datetime.timedelta(days=stage.observation_days_before), 10)
            room = self._free_room(
                "pre_release_isolation", start, _at(reference, 9, 30) if released else None
            )
            if room is None:
                return
            self._admit(resident, room, domain.PRE_RELEASE, start, planned_end=release_day)
        for offset, item in enumerate(stage.items):
            self._item(resident, item, reference - datetime.timedelta(days=1 + 2 * offset))
        for receiver in stage.receivers:
            self._handover(resident, receiver, _at(release_day, 9, 30))
        if released:
            release_services.release_resident(
                actor=self.system, resident=resident, at=_at(release_day, 9, 30)
            )
            self.written += 1

    def _item(self, resident: Resident, item: str, day: datetime.date) -> None:
        details = {
            domain.HEALTH_EXAM: {"performed_by": self.rng.choice(self.doctors), "summary": "体温正常，血常规、胸片未见异常",
                                 "fit_for_release": True},
            domain.TALK: {"performed_by": self.rng.choice(self.officers), "summary": "出所后回家与家人同住，已联系务工单位"},
            domain.EDUCATION: {"performed_by": self.rng.choice(self.officers), "summary": "疫情防控与防复吸教育"},
            domain.COMMITMENT: {"performed_by": self.rng.choice(self.officers)},
        }[item]  # fmt: skip
        release_services.record_item(actor=self.system, resident=resident, item=item, done_on=day, **details)
        self.written += 1

    def _handover(self, resident: Resident, receiver: str, at: datetime.datetime) -> None:
        street = self.rng.choice(STREETS)
        name = names.person_name(self.rng, male=self.rng.random() < 0.7)
        unit = {
            domain.POLICE: resident.deciding_organ,
            domain.COMMUNITY: f"{street}{self.rng.choice('东西南北')}社区居委会",
            domain.JUDICIAL_OFFICE: f"{street}司法所",
            domain.FAMILY: self.rng.choice(RELATIONS),
        }[receiver]
        phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        release_services.record_handover(
            actor=self.system,
            resident=resident,
            receiver=receiver,
            name=name,
            unit=unit,
            phone=phone,
            handed_over_at=at,
        )
        self.written += 1

    # --- Fever and close-contact stays ---------------------------------------------------------

    def _fever_and_contact_history(self) -> None:
        others = [r for r in self._residents().filter(current_room__isnull=False).exclude(
            current_zone__zone_type__in=domain.ISOLATION_ZONE_TYPES) if r.pk not in self.used]  # fmt: skip
        self.rng.shuffle(others)
        span = max(self.days - 2, 3)
        for reason, zone_type in ((domain.FEVER, "fever_isolation"), (domain.FEVER, "fever_isolation"),
                                  (domain.CLOSE_CONTACT, "contact_isolation"), (domain.CLOSE_CONTACT, "contact_isolation")):  # fmt: skip
            begins = self.today - datetime.timedelta(days=self.rng.randint(4, span))
            ends = begins + datetime.timedelta(days=self.rng.randint(2, 3) if reason == domain.FEVER else 14)
            ends = min(ends, self.today - datetime.timedelta(days=1))
            self._past_stay(others, reason, zone_type, _at(begins, 15), _at(ends, 10))
        yesterday = self.today - datetime.timedelta(days=1)
        self._open_stay(
            others,
            domain.FEVER,
            "fever_isolation",
            _at(yesterday, 16),
            planned_end=self.today + datetime.timedelta(days=1),
        )
        eight_days_ago = self.today - datetime.timedelta(days=8)
        stay = self._open_stay(others, domain.CLOSE_CONTACT, "contact_isolation", _at(eight_days_ago, 11),
                               planned_end=eight_days_ago + datetime.timedelta(days=14))  # fmt: skip
        if stay is not None:  # moved when the room's ventilation failed: the register keeps both rooms
            room = self._free_room("contact_isolation", _at(self.today - datetime.timedelta(days=5), 9), None)
            if room is not None:
                services.transfer_stay(
                    actor=self.system,
                    stay=stay,
                    room=room,
                    at=_at(self.today - datetime.timedelta(days=5), 9),
                )
                self.written += 1

    def _past_stay(self, others, reason, zone_type, start, end) -> None:
        room = self._free_room(zone_type, start, end)
        resident = self._free_resident(others, start, end)
        if room is None or resident is None:
            return
        stay = self._admit(resident, room, reason, start, planned_end=end.date(), note=self._note(reason))
        end_reason = (
            IsolationStay.EndReason.HOSPITALISED
            if self.rng.random() < 0.15
            else IsolationStay.EndReason.CLEARED
        )
        services.end_stay(actor=self.system, stay=stay, end_reason=end_reason, ended_at=end)

    def _open_stay(self, others, reason, zone_type, start, *, planned_end) -> IsolationStay | None:
        room = self._free_room(zone_type, start, None)
        resident = self._free_resident(others, start, None)
        if room is None or resident is None:
            return None
        return self._admit(resident, room, reason, start, planned_end=planned_end, note=self._note(reason))

    def _note(self, reason: str) -> str:
        return self.rng.choice(FEVER_NOTES) if reason == domain.FEVER else "与发热人员同监室"

    # --- Helpers -------------------------------------------------------------------------------

    def _residents(self):
        return Resident.objects.visible_to(self.system).filter(
            facility=self.facility, status=Resident.Status.IN_CUSTODY
        )

    def _admit(self, resident, room, reason, start, *, planned_end, note="") -> IsolationStay:
        stay = services.admit_to_isolation(
            actor=self.system, resident=resident, room=room, reason=reason, started_at=start, planned_end=planned_end,
            note=note,
        )  # fmt: skip
        self.written += 1
        return stay

    def _free_room(self, zone_type: str, start, end) -> Room | None:
        """A room of the zone with no stay overlapping [start, end) (end None: open from start on),
        and free now: the services book every stay, past ones included, against today's occupancy."""
        for room in self.rooms[zone_type]:
            stays = IsolationStay.objects.visible_to(self.system).filter(room=room)
            busy_now = (
                stays.filter(ended_at__isnull=True).exists()
                or room.residents.filter(status__in=Resident.PRESENT_STATUSES).exists()
            )
            if not busy_now and not _overlapping(stays, start, end).exists():
                return room
        return None

    def _free_resident(self, others: list[Resident], start, end) -> Resident | None:
        while others:
            resident = others.pop()
            if (
                resident.admitted_at < start
                and not _overlapping(resident.isolation_stays.all(), start, end).exists()
            ):
                self.used.add(resident.pk)
                return resident
        return None


def _overlapping(stays, start, end):
    overlapping = stays.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    return overlapping if end is None else overlapping.filter(started_at__lt=end)
