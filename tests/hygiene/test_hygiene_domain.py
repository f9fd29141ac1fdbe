"""The honour roll and exposure board of a period, as pure functions."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiedu.hygiene import domain
from jiedu.hygiene.domain import EXPOSURE, HONOUR, Mark, Thresholds, board

DAY = datetime.date(2026, 10, 1)


def marks(department_id, *scores):
    return [
        Mark(department_id, DAY + datetime.timedelta(days=7 * i), Decimal(s)) for i, s in enumerate(scores)
    ]


def listed(listings):
    return {item.department_id: item.board for item in listings}


def test_averages_are_rounded_half_up_to_one_decimal_and_count_inspections():
    rows = domain.averages(marks(1, "95", "96", "96.5") + marks(2, "80.25"))
    assert rows[1].average == Decimal("95.8") and rows[1].inspections == 3 and rows[1].lowest == Decimal("95")
    assert rows[2].average == Decimal("80.3")


def test_honour_roll_exposure_board_and_unlisted():
    result = board(marks(1, "96", "98") + marks(2, "70", "72") + marks(3, "88", "90") + marks(4, "99", "99"))
    assert listed(result) == {1: HONOUR, 2: EXPOSURE, 4: HONOUR}
    assert [item.department_id for item in result] == [4, 1, 2]  # honour best first, then exposure


def test_a_single_failed_inspection_exposes_a_good_average():
    result = board(marks(1, "99", "99", "99", "99", "99", "55"))
    assert listed(result) == {1: EXPOSURE}
    assert "55" in result[0].reason


def test_an_inspection_below_the_exposure_line_keeps_a_high_average_off_the_honour_roll():
    # 97.5 average, but one inspection at 74 (under 75): neither honoured nor exposed.
    assert board(marks(1, "100", "100", "100", "100", "100", "100", "100", "100", "100", "74")) == []


def test_thresholds_are_compared_with_the_printed_average():
    # 94.95 prints as 95.0: on the honour roll at 95.
    assert listed(board(marks(1, "94.9", "95"))) == {1: HONOUR}
    assert board(marks(1, "94.9", "95"), Thresholds(honour=Decimal("95.1"), exposure=Decimal("75"))) == []


def test_exposure_reason_names_the_average_and_the_line():
    result = board(marks(1, "70", "71"))
    assert "70.5" in result[0].reason and "75" in result[0].reason


def test_reasons_fit_the_column():
    result = board(marks(1, *["50"] * 40))
    assert len(result[0].reason) <= domain.REASON_LENGTH


scores = st.decimals(min_value=0, max_value=100, places=1)
department_marks = st.lists(
    st.tuples(st.integers(min_value=1, max_value=6), st.integers(min_value=0, max_value=30), scores),
    max_size=40,
)
threshold_pairs = st.tuples(scores, scores).filter(lambda pair: pair[0] < pair[1])


@given(department_marks, threshold_pairs)
def test_property_lists_are_disjoint_and_respect_the_thresholds(rows, pair):
    exposure, honour = pair
    thresholds = Thresholds(honour=honour, exposure=exposure)
    given_marks = [Mark(d, DAY + datetime.timedelta(days=day), s) for d, day, s in rows]
    result = board(given_marks, thresholds)
    ids = [item.department_id for item in result]
    assert len(ids) == len(set(ids))  # never on both lists, never twice
    for item in result:
        own = [m.score for m in given_marks if m.department_id == item.department_id]
        average = domain.round_score(sum(own) / len(own))
        assert item.average == average and item.inspections == len(own)
        if item.board == HONOUR:
            assert average >= honour and min(own) >= exposure and min(own) >= domain.FAIL_SCORE
        else:
            assert average < exposure or min(own) < domain.FAIL_SCORE


@given(department_marks, threshold_pairs)
def test_property_every_department_meeting_a_rule_is_listed_and_uninspected_ones_never(rows, pair):
    exposure, honour = pair
    thresholds = Thresholds(honour=honour, exposure=exposure)
    given_marks = [Mark(d, DAY + datetime.timedelta(days=day), s) for d, day, s in rows]
    found = listed(board(given_marks, thresholds))
    assert set(found) <= {m.department_id for m in given_marks}
    for department_id in range(1, 7):
        own = [m.score for m in given_marks if m.department_id == department_id]
        if not own:
            continue
        average = domain.round_score(sum(own) / len(own))
        if average < exposure or min(own) < domain.FAIL_SCORE:
            assert found.get(department_id) == EXPOSURE
        elif average >= honour and min(own) >= exposure:
            assert found.get(department_id) == HONOUR
        else:
            assert department_id not in found
