"""Reading rounds and their coverage, narrowed to what the user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from jiedu.organisation import roles
from jiedu.organisation.models import Department, Facility
from jiedu.organisation.scoping import facility_scope
from jiedu.people.models import Staff
from jiedu.screening import domain
from jiedu.screening.models import Commitment, ScreeningForm, ScreeningRound


def rounds(user):
    return ScreeningRound.objects.visible_to(user).select_related("facility")


@dataclass
class DepartmentCoverage:
    name: str
    commitments: domain.Tally
    forms: domain.Tally | None


@dataclass
class FacilityCoverage:
    facility: Facility
    commitments: domain.Tally
    forms: domain.Tally | None
    departments: list[DepartmentCoverage] = field(default_factory=list)
    missing: list = field(default_factory=list)  # (staff, form missing?, commitment missing?)


def _visible_facility_ids(user, screening_round: ScreeningRound, scope=...) -> set[int]:
    """The round's facilities the user may see: a facility's user sees only its own rows."""
    in_round = {f.pk for f in screening_round.facilities.all()}
    if scope is ...:
        scope = facility_scope(user, roles.VIEW_STAFF_HEALTH)
    return in_round if scope is None else in_round & scope


def _with_scopes(user, rounds) -> list[tuple[ScreeningRound, set[int], frozenset[int]]]:
    """Each round with its visible facility ids and its department ids, in two queries for all."""
    rounds = list(rounds)
    prefetch_related_objects(rounds, "facilities", "departments")
    scope = facility_scope(user, roles.VIEW_STAFF_HEALTH)
    return [
        (r, _visible_facility_ids(user, r, scope), frozenset(d.pk for d in r.departments.all()))
        for r in rounds
    ]


def _staff_per_round(rounds) -> tuple[dict, dict]:
    """(staff ids who signed, staff ids who submitted a form) per round id."""
    signed, submitted = defaultdict(set), defaultdict(set)
    for round_id, staff_id in Commitment.objects.filter(round__in=rounds).values_list("round_id", "staff_id"):
        signed[round_id].add(staff_id)
    for round_id, staff_id in ScreeningForm.objects.filter(round__in=rounds).values_list(
        "round_id", "staff_id"
    ):
        submitted[round_id].add(staff_id)
    return signed, submitted


def coverage(user, screening_round: ScreeningRound) -> list[FacilityCoverage]:
    """Coverage per visible facility and department, with who is missing, for one round."""
    return coverages(user, [screening_round])[0]


def coverages(user, rounds) -> list[list[FacilityCoverage]]:
    """``coverage`` of each round, read with the same few queries however many rounds there are."""
    scoped = _with_scopes(user, rounds)
    all_ids = set().union(*(facility_ids for _r, facility_ids, _d in scoped))
    staff = {s.pk: s for s in Staff.objects.filter(facility_id__in=all_ids).select_related("department")}
    signed, submitted = _staff_per_round([r for r, _f, _d in scoped])
    department_names = dict(Department.objects.filter(facility_id__in=all_ids).values_list("pk", "name"))
    facilities = Facility.objects.in_bulk(all_ids)
    return [
        _coverage(
            r,
            domain.Scope(frozenset(facility_ids), department_ids),
            staff,
            frozenset(signed[r.pk]),
            frozenset(submitted[r.pk]),
            department_names,
            facilities,
        )
        for r, facility_ids, department_ids in scoped
    ]


def _coverage(screening_round, scope, all_staff, signed, submitted, department_names, facilities):
    staff = {pk: s for pk, s in all_staff.items() if s.facility_id in scope.facility_ids}
    people = [domain.Person(s.pk, s.facility_id, s.department_id, s.status) for s in staff.values()]
    has_forms = screening_round.has_forms
    # Someone who has done one half is in scope for the other half too.
    done_any = signed | submitted

    def tallies(key):
        commitments = domain.tally_by(people, scope, signed, key)
        forms = domain.tally_by(people, scope, submitted, key) if has_forms else {}
        groups = set(domain.tally_by(people, scope, done_any, key))
        empty = domain.Tally(0, 0, ())
        return {g: (commitments.get(g, empty), forms.get(g, empty) if has_forms else None) for g in groups}

    per_department = tallies(domain.by_department)
    result = []
    for facility_id, (commitments, forms) in sorted(tallies(domain.by_facility).items()):
        missing_ids = list(dict.fromkeys(commitments.missing + (forms.missing if forms else ())))
        row = FacilityCoverage(
            facility=facilities[facility_id],
            commitments=commitments,
            forms=forms,
            missing=[
                (staff[i], forms is not None and i in forms.missing, i in commitments.missing)
                for i in sorted(missing_ids, key=lambda i: staff[i].police_number)
            ],
        )
        for (fid, department_id), (dept_commitments, dept_forms) in sorted(
            per_department.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        ):
            if fid == facility_id:
                name = department_names.get(department_id, "—")
                row.departments.append(DepartmentCoverage(name, dept_commitments, dept_forms))
        result.append(row)
    return result


def register_rows(user, screening_round: ScreeningRound):
    """One row per staff member in scope: the form and the commitment, or their absence."""
    for _round, staff, form, commitment in register_rows_of(user, [screening_round]):
        yield staff, form, commitment


def register_rows_of(user, rounds):
    """``(round, staff, form, commitment)`` for each round in turn, read with the same few queries
    however many rounds there are (the export of every visible round)."""
    scoped = _with_scopes(user, rounds)
    listed = [r for r, _f, _d in scoped]
    all_ids = set().union(*(facility_ids for _r, facility_ids, _d in scoped))
    forms = {
        (f.round_id, f.staff_id): f
        for f in ScreeningForm.objects.filter(round__in=listed, facility_id__in=all_ids).select_related(
            "submitted_by"
        )
    }
    commitments = {
        (c.round_id, c.staff_id): c
        for c in Commitment.objects.filter(round__in=listed, facility_id__in=all_ids).select_related(
            "recorded_by"
        )
    }
    members = list(
        Staff.objects.filter(facility_id__in=all_ids)
        .select_related("facility", "department")
        .order_by("facility_id", "police_number")
    )
    for screening_round, facility_ids, department_ids in scoped:
        scope = domain.Scope(facility_ids=frozenset(facility_ids), department_ids=department_ids)
        own_forms = {
            sid: f
            for (rid, sid), f in forms.items()
            if rid == screening_round.pk and f.facility_id in facility_ids
        }
        own_commitments = {
            sid: c
            for (rid, sid), c in commitments.items()
            if rid == screening_round.pk and c.facility_id in facility_ids
        }
        done = frozenset(own_forms) | frozenset(own_commitments)
        for staff in members:
            if staff.facility_id not in facility_ids:
                continue
            person = domain.Person(staff.pk, staff.facility_id, staff.department_id, staff.status)
            if domain.in_scope(person, scope, done):
                yield screening_round, staff, own_forms.get(staff.pk), own_commitments.get(staff.pk)


def own_staff_profile(user):
    """The staff record linked to this login, if any: the person filling in their own form."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Staff.objects.filter(user=user).select_related("facility").first()


def open_rounds_for(staff, today):
    """Screening rounds running today whose scope includes ``staff`` and that lack their form.

    Narrowed by the staff member's own record, not by a role: everybody fills in their own form.
    """
    candidates = (
        ScreeningRound.objects.filter(
            kind=ScreeningRound.Kind.SCREENING,
            facilities=staff.facility_id,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .exclude(forms__staff=staff)
        .prefetch_related("departments")
    )
    person = domain.Person(staff.pk, staff.facility_id, staff.department_id, staff.status)
    return [
        r
        for r in candidates
        if domain.in_scope(
            person,
            domain.Scope(frozenset({staff.facility_id}), frozenset(d.pk for d in r.departments.all())),
            done=frozenset(),
        )
    ]
