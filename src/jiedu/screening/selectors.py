"""Reading rounds and their coverage, narrowed to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _visible_facility_ids(user, screening_round: ScreeningRound) -> set[int]:
    """The round's facilities the user may see: a facility's user sees only its own rows."""
    in_round = set(screening_round.facilities.values_list("pk", flat=True))
    scope = facility_scope(user, roles.VIEW_STAFF_HEALTH)
    return in_round if scope is None else in_round & scope


def coverage(user, screening_round: ScreeningRound) -> list[FacilityCoverage]:
    """Coverage per visible facility and department, with who is missing, for one round."""
    facility_ids = _visible_facility_ids(user, screening_round)
    scope = domain.Scope(
        facility_ids=frozenset(facility_ids),
        department_ids=frozenset(screening_round.departments.values_list("pk", flat=True)),
    )
    staff = {
        s.pk: s for s in Staff.objects.filter(facility_id__in=facility_ids).select_related("department")
    }
    people = [domain.Person(s.pk, s.facility_id, s.department_id, s.status) for s in staff.values()]
    signed = frozenset(Commitment.objects.filter(round=screening_round).values_list("staff_id", flat=True))
    submitted = frozenset(ScreeningForm.objects.filter(round=screening_round).values_list("staff_id", flat=True))
    has_forms = screening_round.has_forms
    # Someone who has done one half is in scope for the other half too.
    done_any = signed | submitted

    def tallies(key):
        commitments = domain.tally_by(people, scope, signed, key)
        forms = domain.tally_by(people, scope, submitted, key) if has_forms else {}
        groups = set(domain.tally_by(people, scope, done_any, key))
        empty = domain.Tally(0, 0, ())
        return {g: (commitments.get(g, empty), forms.get(g, empty) if has_forms else None) for g in groups}

    department_names = dict(Department.objects.filter(facility_id__in=facility_ids).values_list("pk", "name"))
    per_department = tallies(domain.by_department)
    facilities = Facility.objects.in_bulk(facility_ids)
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
    facility_ids = _visible_facility_ids(user, screening_round)
    forms = {
        f.staff_id: f for f in ScreeningForm.objects.filter(round=screening_round, facility_id__in=facility_ids)
    }
    commitments = {
        c.staff_id: c
        for c in Commitment.objects.filter(round=screening_round, facility_id__in=facility_ids).select_related(
            "recorded_by"
        )
    }
    scope = domain.Scope(
        facility_ids=frozenset(facility_ids),
        department_ids=frozenset(screening_round.departments.values_list("pk", flat=True)),
    )
    done = frozenset(forms) | frozenset(commitments)
    members = Staff.objects.filter(facility_id__in=facility_ids).select_related("facility", "department")
    for staff in members.order_by("facility_id", "police_number"):
        person = domain.Person(staff.pk, staff.facility_id, staff.department_id, staff.status)
        if domain.in_scope(person, scope, done):
            yield staff, forms.get(staff.pk), commitments.get(staff.pk)


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
