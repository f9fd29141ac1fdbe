"""Fills an empty PostgreSQL database with a region of the given shape, table by table with COPY.

Everything happens in one transaction: a failure leaves the database as it was. The region's
fixed parts go through the ORM; the bulk (residents, staff, readings, alerts, gate events,
environment records, findings and their events, leave periods and daily reports) is streamed
with COPY, ids assigned here, sequences reset and statistics gathered afterwards.

The audit trail gets one event for the whole load ("scale.generated"), not one per generated
row: the trail records what people did through the application, chained in commit order with a
key outside the database, and a generated past was never done by anyone.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from jiedu.audit import services as audit
from jiedu.environment.models import EnvironmentRecord
from jiedu.findings.models import Finding, FindingEvent
from jiedu.gatelog.models import GateEvent
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.organisation.models import Facility
from jiedu.organisation.roles import Role
from jiedu.people.models import Resident, Staff
from jiedu.scale import activity, findings, leave, people, readings
from jiedu.scale.copying import Loaded, analyze, copy_lines, indexes_set_aside, next_id, reset_sequence
from jiedu.scale.shape import RegionShape
from jiedu.scale.structure import Structure, build_structure
from jiedu.staffleave.models import AreaInspector, DailyReport, LeavePeriod

GATE_STAFF = 60  # staff members of a facility who pass its gate in the generated days
BULK = (Resident, Staff, TemperatureReading, FeverAlert, GateEvent, EnvironmentRecord, Finding, FindingEvent,
        LeavePeriod, DailyReport)  # fmt: skip
# Tables large enough that rebuilding their indexes and constraints beats maintaining them per row.
SET_ASIDE = (TemperatureReading, GateEvent, EnvironmentRecord, DailyReport)


class ScaleError(Exception):
    """The database cannot take a generated region (not PostgreSQL, or not empty)."""


@dataclass
class Generated:
    shape: RegionShape
    loaded: list[Loaded] = field(default_factory=list)
    seconds: float = 0.0

    def rows(self, table: str) -> int:
        return sum(item.rows for item in self.loaded if item.table == table)


def check_database() -> None:
    if connection.vendor != "postgresql":
        raise ScaleError("generate-scale needs PostgreSQL (set DATABASE_URL=postgres://...); this is "
                         f"{connection.vendor}.")  # fmt: skip
    if Facility.objects.exists():
        raise ScaleError(
            "The database already holds facilities: generate-scale fills an empty, migrated database."
        )


def generate(shape: RegionShape, *, echo: Callable[[str], None] = lambda line: None) -> Generated:
    check_database()
    started = time.perf_counter()
    result = Generated(shape)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # Foreign keys are deferred to commit; checked at once, no trigger events stay pending
            # when a big table's constraints are set aside.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            structure = build_structure(shape)
            loader = _Loader(shape, cursor.cursor, result, echo)
            loader.load(structure)
            for model in BULK:
                reset_sequence(cursor.cursor, model)
                analyze(cursor.cursor, model)
        audit.record(
            actor=structure.bureau_users[Role.BUREAU_SUPERVISOR], action="scale.generated", facility_id=None,
            changed_fields=[model._meta.db_table for model in BULK],
        )  # fmt: skip
    result.seconds = time.perf_counter() - started
    echo(f"{'total':<32} {sum(i.rows for i in result.loaded):>12,} rows {result.seconds:8.1f} s")
    return result


class _Loader:
    def __init__(self, shape: RegionShape, cursor, result: Generated, echo):
        self.shape, self.cursor, self.result, self.echo = shape, cursor, result, echo

    def rng(self, part: str) -> random.Random:
        # Seeded for repeatable regions; nothing secret is drawn from it.
        return random.Random(f"jiedu-scale/{self.shape.seed}/{part}")  # noqa: S311

    def copy(self, model, columns, lines) -> None:
        if model in SET_ASIDE:
            with indexes_set_aside(self.cursor, model._meta.db_table):
                loaded = copy_lines(self.cursor, model, columns, lines)
                rebuild = time.perf_counter()
            loaded.seconds += time.perf_counter() - rebuild
        else:
            loaded = copy_lines(self.cursor, model, columns, lines)
        self.result.loaded.append(loaded)
        self.echo(f"{loaded.table:<32} {loaded.rows:>12,} rows {loaded.seconds:8.1f} s "
                  f"{loaded.rows_per_second:>10,.0f} rows/s")  # fmt: skip

    def load(self, structure: Structure) -> None:
        shape, cursor = self.shape, self.cursor
        rng = self.rng("people")
        ids = people.Identities(rng)
        stays, resident_id = {}, next_id(cursor, Resident)
        for index, parts in enumerate(structure.facilities):
            stays[parts.facility.pk] = people.plan_custody(
                rng, facility_id=parts.facility.pk, population=shape.residents_of(index), shape=shape,
                first_id=resident_id,
            )  # fmt: skip
            resident_id += len(stays[parts.facility.pk])
        self.copy(Resident, people.RESIDENT_COLUMNS, (
            line
            for parts in structure.facilities
            for line in people.resident_lines(
                rng, ids, stays[parts.facility.pk], file_prefix=f"S{parts.number:02d}",
                is_womens=parts.facility.is_womens, zone_ids={t: z.pk for t, z in parts.zones.items()}, now=shape.now,
            )
        ))  # fmt: skip

        staff_ids, gate_staff, staff_id = {}, {}, next_id(cursor, Staff)
        for parts in structure.facilities:
            staff_ids[parts.facility.pk] = list(range(staff_id, staff_id + shape.staff))
            staff_id += shape.staff
        self.copy(Staff, people.STAFF_COLUMNS, self._staff_lines(structure, ids, staff_ids, gate_staff))
        for parts in structure.facilities:
            AreaInspector.objects.bulk_create(
                AreaInspector(facility=parts.facility, area=area, staff_id=staff_ids[parts.facility.pk][n % shape.staff],
                              from_date=parts.key_areas[0].key_since)
                for n, area in enumerate(parts.leave_areas)
            )  # fmt: skip

        writer = readings.ReadingWriter(shape, self.rng("readings"), first_id=next_id(cursor, TemperatureReading),
                                        first_alert_id=next_id(cursor, FeverAlert))  # fmt: skip
        rounds = [
            readings.FacilityRounds(p.facility.pk, stays[p.facility.pk], {t: z.pk for t, z in p.zones.items()},
                                    p.users[Role.MEDICAL_STAFF].pk)
            for p in structure.facilities
        ]  # fmt: skip
        self.copy(TemperatureReading, readings.READING_COLUMNS, writer.lines(rounds))
        self.copy(FeverAlert, readings.ALERT_COLUMNS, writer.alert_lines)

        doings = [
            activity.FacilityActivity(p.facility.pk, gate_staff[p.facility.pk], [a.pk for a in p.key_areas],
                                      p.users[Role.GATE_OFFICER].pk, p.users[Role.FACILITY_OFFICER].pk)
            for p in structure.facilities
        ]  # fmt: skip
        gate = activity.GateWriter(shape, self.rng("gate"), next_id(cursor, GateEvent))
        self.copy(GateEvent, activity.GATE_COLUMNS, gate.lines(doings))
        environment = activity.EnvironmentWriter(
            shape, self.rng("environment"), next_id(cursor, EnvironmentRecord)
        )
        self.copy(EnvironmentRecord, activity.ENVIRONMENT_COLUMNS, environment.lines(doings))

        problems = findings.FindingWriter(shape, self.rng("findings"), first_id=next_id(cursor, Finding),
                                          first_event_id=next_id(cursor, FindingEvent))  # fmt: skip
        self.copy(Finding, findings.FINDING_COLUMNS, problems.lines([
            findings.FacilityFindings(p.facility.pk, [d.pk for d in p.departments], staff_ids[p.facility.pk],
                                      p.users[Role.FACILITY_LEADER].pk, p.users[Role.FACILITY_OFFICER].pk)
            for p in structure.facilities
        ]))  # fmt: skip
        self.copy(FindingEvent, findings.EVENT_COLUMNS, problems.event_lines)

        leaves = leave.LeaveWriter(shape, self.rng("leave"), first_id=next_id(cursor, LeavePeriod),
                                   first_report_id=next_id(cursor, DailyReport))  # fmt: skip
        self.copy(LeavePeriod, leave.PERIOD_COLUMNS, leaves.lines([
            leave.FacilityLeave(p.facility.pk, staff_ids[p.facility.pk], [a.pk for a in p.leave_areas],
                                p.users[Role.FACILITY_OFFICER].pk, p.users[Role.MEDICAL_STAFF].pk,
                                p.users[Role.FACILITY_LEADER].pk)
            for p in structure.facilities
        ]))  # fmt: skip
        self.copy(DailyReport, leave.REPORT_COLUMNS, leaves.report_lines)

    def _staff_lines(self, structure: Structure, ids, staff_ids, gate_staff):
        rng = self.rng("staff")
        for parts in structure.facilities:
            fid = parts.facility.pk
            on_leave = leave.on_leave_today(self.shape, staff_ids[fid])
            gate_staff[fid] = []
            for line in people.staff_lines(
                rng, ids, first_id=staff_ids[fid][0], count=self.shape.staff, facility_number=parts.number,
                facility_id=fid, department_ids=[d.pk for d in parts.departments], on_leave=on_leave,
                created=self.shape.start,
            ):  # fmt: skip
                if len(gate_staff[fid]) < GATE_STAFF:
                    fields = line.split("\t")
                    gate_staff[fid].append((int(fields[0]), fields[13]))
                yield line
