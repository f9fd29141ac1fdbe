"""The catalogue's pure rules: one row checked, an import's rows checked together, versions compared, totals."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiedu.standards import domain

GOOD = {
    "area_code": "01", "area_name": "基本模式", "code": "01-01", "title": "四区功能分区",
    "requirement": "按四区设置功能区。", "check_method": "实地查看", "max_points": "15",
    "scoring_rule": "未按四区设置扣10分，扣完为止。", "expected_evidence": "", "legal_basis": "",
}  # fmt: skip


def row(**changes) -> domain.StandardRow:
    checked, problems = domain.check_row({**GOOD, **changes})
    assert problems == []
    return checked


def test_a_complete_row_is_accepted_and_points_keep_one_decimal():
    checked = row(max_points="2.5", legal_basis="《戒毒条例》")
    assert checked.max_points == Decimal("2.5") and checked.legal_basis == "《戒毒条例》"


def test_evidence_and_legal_basis_are_optional_the_rest_is_required():
    _, problems = domain.check_row({**GOOD, "requirement": " ", "scoring_rule": None, "expected_evidence": ""})
    assert [p.field for p in problems] == ["requirement", "scoring_rule"]


def test_points_out_of_range_or_too_precise_are_refused():
    for value in ("0", "-1", "100.5", "2.55", "abc", "", "NaN", "1e400"):
        _, problems = domain.check_row({**GOOD, "max_points": value})
        assert [p.field for p in problems] == ["max_points"], value
    assert row(max_points="100").max_points == Decimal("100")


def test_codes_longer_than_the_columns_are_refused():
    _, problems = domain.check_row({**GOOD, "area_code": "X" * 11, "title": "标" * 201})
    assert {p.field for p in problems} == {"area_code", "title"}


def test_an_import_lists_every_problem_by_row_and_saves_no_row():
    numbered = [
        (2, GOOD),
        (3, {**GOOD, "code": "01-01"}),  # duplicate code
        (4, {**GOOD, "code": "01-02", "area_name": "教育矫正"}),  # area 01 named differently above
        (5, {**GOOD, "code": "01-03", "max_points": "0"}),
    ]
    rows, problems = domain.check_rows(numbered)
    assert rows == []
    assert [(p.row, p.field) for p in problems] == [(3, "code"), (4, "area_name"), (5, "max_points")]


def test_an_area_name_belongs_to_one_code_across_file_and_draft():
    rows, problems = domain.check_rows([(2, {**GOOD, "area_code": "02"})], {"01": "基本模式"})
    assert rows == [] and [(p.row, p.field) for p in problems] == [(2, "area_name")]
    rows, problems = domain.check_rows([(2, {**GOOD, "area_name": "基本模式（修订）"})], {"01": "基本模式"})
    assert problems == [] and rows[0].area_name == "基本模式（修订）"


def test_diff_names_added_removed_and_changed_fields():
    old = [row(), row(code="01-02", title="旧标题"), row(code="01-03")]
    new = [row(max_points="12"), row(code="01-02", title="新标题", area_code="02", area_name="教育矫正"), row(code="01-04")]

    diff = domain.diff_versions(old, new)

    assert [r.code for r in diff.added] == ["01-04"] and [r.code for r in diff.removed] == ["01-03"]
    assert [(c.code, c.fields) for c in diff.changed] == [
        ("01-01", ("max_points",)), ("01-02", ("area_code", "area_name", "title")),
    ]  # fmt: skip


def test_totals_by_area_keep_the_order_of_appearance():
    rows = [row(), row(code="02-01", area_code="02", area_name="教育矫正", max_points="10"), row(code="01-02", max_points="2.5")]
    assert domain.totals_by_area(rows) == [
        domain.AreaTotal("01", "基本模式", 2, Decimal("17.5")), domain.AreaTotal("02", "教育矫正", 1, Decimal("10")),
    ]  # fmt: skip


def test_score_totals_count_unscored_standards_as_missing_and_give_percent_of_maximum():
    per_area, overall = domain.score_totals(
        [domain.Score("01", Decimal("10"), Decimal("7.5")), domain.Score("01", Decimal("10"), None),
         domain.Score("02", Decimal("5"), Decimal("5"))]
    )  # fmt: skip
    assert [(t.area_code, t.points, t.scored, t.count, t.percent) for t in per_area] == [
        ("01", Decimal("7.5"), 1, 2, Decimal("37.5")), ("02", Decimal("5"), 1, 1, Decimal("100.0")),
    ]  # fmt: skip
    assert (overall.points, overall.max_points, overall.complete) == (Decimal("12.5"), Decimal("25"), False)


def test_a_score_lies_between_zero_and_the_standards_maximum():
    assert domain.check_score("0", Decimal("5")) == (Decimal("0.0"), "")
    assert domain.check_score("5", Decimal("5"))[0] == Decimal("5")
    for value in ("5.5", "-0.5", "1.25"):
        assert domain.check_score(value, Decimal("5"))[0] is None


# --- Properties ----------------------------------------------------------------------------------

points = st.integers(min_value=1, max_value=1000).map(lambda n: Decimal(n) / 10)
rows_strategy = st.dictionaries(
    keys=st.sampled_from([f"S{i}" for i in range(12)]),
    values=st.tuples(st.sampled_from(["01", "02", "03"]), st.sampled_from(["甲", "乙"]), points),
    max_size=12,
).map(
    lambda d: [
        replace(row(), code=code, area_code=area, area_name=f"方面{area}", title=title, max_points=p)
        for code, (area, title, p) in d.items()
    ]
)


@given(rows_strategy)
def test_a_version_compared_with_itself_has_no_change(rows):
    assert domain.diff_versions(rows, rows).is_empty


@given(rows_strategy, rows_strategy)
def test_the_diff_accounts_for_every_code_and_reverses(old, new):
    diff = domain.diff_versions(old, new)
    old_codes, new_codes = {r.code for r in old}, {r.code for r in new}
    assert (old_codes - {r.code for r in diff.removed}) | {r.code for r in diff.added} == new_codes
    back = domain.diff_versions(new, old)
    assert {r.code for r in back.added} == {r.code for r in diff.removed}
    assert {c.code: c.fields for c in back.changed} == {c.code: c.fields for c in diff.changed}
    for change in diff.changed:
        assert change.fields and all(getattr(change.old, f) != getattr(change.new, f) for f in change.fields)


@given(rows_strategy)
def test_area_totals_add_up_to_the_whole_catalogue(rows):
    totals = domain.totals_by_area(rows)
    assert sum(t.count for t in totals) == len(rows)
    assert sum((t.points for t in totals), Decimal("0")) == sum((r.max_points for r in rows), Decimal("0"))


@given(st.lists(st.tuples(st.sampled_from(["01", "02"]), points, st.one_of(st.none(), st.integers(0, 1000))), max_size=20))
def test_score_totals_never_exceed_the_maximum(lines):
    scores = [domain.Score(area, m, min(m, Decimal(p) / 10) if p is not None else None) for area, m, p in lines]
    per_area, overall = domain.score_totals(scores)
    assert overall.points <= overall.max_points and Decimal("0") <= overall.percent <= Decimal("100")
    assert overall.points == sum((t.points for t in per_area), Decimal("0"))


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None))
def test_points_parsing_never_raises_and_accepts_only_the_range(value):
    parsed, message = domain.parse_points(value)
    assert (parsed is None) == bool(message)
    if parsed is not None:
        assert Decimal("0") < parsed <= Decimal("100") and parsed == parsed.quantize(Decimal("0.1"))
