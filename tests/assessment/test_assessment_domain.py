"""Target-management scoring as pure functions: the parts, every line, the floor, the ranking."""

import datetime
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiedu.assessment import domain
from jiedu.assessment.domain import FindingFact, Result, Scheme, rank, score_facility

AS_OF = datetime.date(2022, 12, 31)
SCHEME = Scheme()  # 100 = 70 + 30; open 0.5 / 1 / 2, overdue +1, late 0.2
D = Decimal


def result(standard_id, max_points, points, day=datetime.date(2022, 6, 1), inspection_id=1):
    return Result(standard_id, D(max_points), None if points is None else D(points), day, inspection_id)


def finding(n, *, severity="general", status="open", deadline=datetime.date(2022, 12, 1), rectified_on=None,
            title=None):  # fmt: skip
    return FindingFact(
        n, title or f"问题{n}", severity, status, datetime.date(2022, 5, 1), deadline, rectified_on
    )


def test_inspection_part_is_the_share_of_applicable_points():
    score = score_facility(SCHEME, [result(1, 10, 8), result(2, 10, 10), result(3, 5, None)], [], AS_OF)
    assert score.inspection_part == D("63.00")  # 70 × 18 / 20
    assert (score.earned, score.applicable, score.not_inspected) == (D("18"), D("20"), False)
    assert score.rectification_part == D("30") and score.total == D("93.00")


def test_the_latest_result_of_a_standard_counts():
    early = result(1, 10, 2, day=datetime.date(2022, 4, 1), inspection_id=1)
    late = result(1, 10, 9, day=datetime.date(2022, 9, 1), inspection_id=2)
    assert score_facility(SCHEME, [late, early], [], AS_OF).inspection_part == D("63.00")


def test_points_above_the_maximum_count_as_the_maximum():
    assert score_facility(SCHEME, [result(1, 10, 15)], [], AS_OF).inspection_part == D("70.00")


def test_without_results_the_facility_is_not_inspected_and_a_line_says_so():
    score = score_facility(SCHEME, [result(1, 10, None)], [], AS_OF)
    assert score.not_inspected and score.inspection_part == 0
    assert score.lines[0].kind == domain.NOT_INSPECTED and score.lines[0].points == 0
    assert "70" in score.lines[0].text


def test_an_open_overdue_serious_finding_costs_its_severity_plus_the_overdue_extra_in_one_line():
    overdue = finding(7, severity="serious", deadline=datetime.date(2022, 12, 19), title="值班记录不全")
    score = score_facility(SCHEME, [result(1, 10, 10)], [overdue], AS_OF)
    line = score.deductions[0]
    assert (line.points, line.finding_id, line.kind) == (D("-2"), 7, domain.OPEN)
    assert "值班记录不全" in line.text and "12" in line.text and "2" in line.text
    assert score.rectification_part == D("28") and score.total == D("98.00")


def test_deductions_by_severity_and_state():
    findings = [
        finding(1, severity="general"),  # open, not yet due: 0.5
        finding(2, severity="major"),  # open, not yet due: 2
        finding(3, status="closed", rectified_on=datetime.date(2022, 11, 1)),  # on time: nothing
        finding(4, status="verified", rectified_on=datetime.date(2022, 12, 5)),  # 4 days late: 0.2
        finding(5, status="withdrawn"),  # recorded in error: nothing
        finding(6, status="submitted", deadline=datetime.date(2022, 12, 30)),  # still open: 0.5
    ]
    score = score_facility(SCHEME, [], findings, datetime.date(2022, 11, 30))
    assert {line.finding_id: line.points for line in score.deductions} == {
        1: D("-0.5"), 2: D("-2"), 4: D("-0.2"), 6: D("-0.5"),
    }  # fmt: skip
    assert score.rectification_part == D("26.8")
    assert (score.rates.found, score.rates.rectified, score.rates.overdue) == (5, 2, 0)


def test_the_rectification_part_never_falls_below_zero_and_a_line_gives_back_the_excess():
    overdue = [
        finding(n, severity="major", deadline=datetime.date(2022, 6, 1)) for n in range(1, 12)
    ]  # 11 × 3
    score = score_facility(SCHEME, [result(1, 10, 10)], overdue, AS_OF)
    assert score.rectification_part == 0 and score.total == D("70.00")
    assert score.lines[-1].kind == domain.FLOOR and score.lines[-1].points == D("3")
    assert sum(line.points for line in score.lines) == score.total


def test_rectifying_late_never_costs_more_than_staying_open():
    harsh = replace(SCHEME, late_rectified=D("5"))
    late = finding(
        1, status="closed", deadline=datetime.date(2022, 6, 1), rectified_on=datetime.date(2022, 7, 1)
    )
    assert score_facility(harsh, [], [late], AS_OF).deductions[0].points == D("-1.5")  # 0.5 open + 1 overdue


def test_ties_share_a_rank():
    scores = [score_facility(SCHEME, [result(1, 10, p)], [], AS_OF) for p in ("8", "10", "8", "5")]
    assert rank(scores) == [2, 1, 2, 4]


# --- properties --------------------------------------------------------------------------------

points = st.decimals(min_value=0, max_value=10, places=1)
days = st.integers(min_value=0, max_value=360).map(
    lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n)
)
schemes = st.builds(
    Scheme,
    full_marks=st.decimals(min_value=1, max_value=200, places=1),
    inspection_points=st.just(D("0")),
    open_general=points,
    open_serious=points,
    open_major=points,
    overdue=points,
    late_rectified=points,
).flatmap(
    lambda s: st.decimals(min_value=0, max_value=s.full_marks, places=1).map(
        lambda ip: replace(s, inspection_points=ip)
    )
)
results = st.lists(
    st.builds(
        Result,
        standard_id=st.integers(1, 8),
        max_points=st.decimals(min_value=1, max_value=20, places=1),
        points=st.one_of(st.none(), st.decimals(min_value=0, max_value=25, places=1)),
        inspected_on=days,
        inspection_id=st.integers(1, 5),
    ),  # fmt: skip
    max_size=20,
)
statuses = st.sampled_from(["open", "rectifying", "submitted", "verified", "closed", "withdrawn"])


@st.composite
def findings(draw, n=None):
    found_on = draw(days)
    deadline = found_on + datetime.timedelta(days=draw(st.integers(0, 90)))
    status = draw(statuses)
    rectified = (
        found_on + datetime.timedelta(days=draw(st.integers(0, 120)))
        if status in ("verified", "closed")
        else None
    )
    return FindingFact(
        n if n is not None else draw(st.integers(1, 10_000)), "问题", draw(st.sampled_from(["general", "serious", "major"])),
        status, found_on, deadline, rectified,
    )  # fmt: skip


finding_lists = st.lists(findings(), max_size=25)
as_of_days = st.integers(min_value=0, max_value=400).map(
    lambda n: datetime.date(2022, 1, 1) + datetime.timedelta(days=n)
)


@given(schemes, results, finding_lists, as_of_days)
def test_property_score_lies_within_zero_and_full_marks_and_lines_sum_to_it(
    scheme, given_results, given_findings, as_of
):
    score = score_facility(scheme, given_results, given_findings, as_of)
    assert 0 <= score.total <= scheme.full_marks
    assert 0 <= score.inspection_part <= scheme.inspection_points
    assert 0 <= score.rectification_part <= scheme.rectification_points
    assert sum(line.points for line in score.lines) == score.total
    assert all(line.finding_id is not None for line in score.lines if line.kind in (domain.OPEN, domain.LATE))


@given(schemes, results, finding_lists, findings(n=0), as_of_days)
def test_property_adding_an_open_finding_never_raises_a_score(
    scheme, given_results, given_findings, new, as_of
):
    before = score_facility(scheme, given_results, given_findings, as_of).total
    opened = replace(new, status="open", rectified_on=None)
    assert score_facility(scheme, given_results, [*given_findings, opened], as_of).total <= before


@given(
    schemes,
    results,
    finding_lists,
    findings(n=0),
    as_of_days,
    st.integers(0, 60),
    st.sampled_from(["verified", "closed"]),
)
def test_property_closing_a_finding_never_lowers_a_score(
    scheme, given_results, given_findings, new, as_of, back, status
):
    opened = replace(new, status="open", rectified_on=None)
    before = score_facility(scheme, given_results, [*given_findings, opened], as_of).total
    rectified_on = max(
        opened.found_on, as_of - datetime.timedelta(days=back)
    )  # closed on or before the day judged
    closed = replace(opened, status=status, rectified_on=min(rectified_on, as_of))
    assert score_facility(scheme, given_results, [*given_findings, closed], as_of).total >= before
