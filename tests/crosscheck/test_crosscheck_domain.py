from hypothesis import given
from hypothesis import strategies as st

from jiedu.crosscheck import domain
from jiedu.crosscheck.domain import Entry, StaffKey

STAFF = [
    StaffKey(1, "张三", "150001", "idx-1"),
    StaffKey(2, "李四", "150002", "idx-2"),
    StaffKey(3, "王五", "150003", "idx-3"),
]


def test_matches_by_police_number_else_by_name_and_phone():
    assert domain.match_entry(Entry(2, "别名", "150002", "", "x"), STAFF).staff_id == 2
    assert domain.match_entry(Entry(2, "张三", "", "idx-1", "x"), STAFF).staff_id == 1
    # the same name with another phone is somebody else
    assert domain.match_entry(Entry(2, "张三", "", "idx-9", "x"), STAFF) is None


def test_report_lists_every_kind_of_discrepancy():
    # given check-ins of 张三 and 李四 and an unknown person, and health codes of 张三 and 王五
    checkins = [
        Entry(2, "张三", "150001", "", "呼和浩特市赛罕区大学西街"),
        Entry(3, "李四", "150002", "", "新城区"),
        Entry(4, "无名", "999", "", "新城区"),
    ]
    codes = [
        Entry(2, "张三", "", "idx-1", "呼和浩特市新城区", "yellow"),
        Entry(3, "王五", "", "idx-3", "赛罕区"),
        Entry(4, "路人", "", "idx-x", "赛罕区"),
    ]
    # when compared
    report = domain.cross_check(STAFF, checkins, codes)
    # then each discrepancy is listed once
    kinds = {(f.kind, f.staff_id, f.row) for f in report.findings}
    assert kinds == {
        (domain.UNMATCHED_DINGTALK, None, 4),
        (domain.UNMATCHED_HEALTHCODE, None, 4),
        (domain.MISSING_IN_DINGTALK, 3, 3),
        (domain.MISSING_IN_HEALTHCODE, 2, None),
        (domain.LOCATION_MISMATCH, 1, 2),
        (domain.CODE_NOT_GREEN, 1, 2),
    }


def test_same_area_compares_district_then_city():
    assert domain.same_area("呼和浩特市赛罕区大学西街", "赛罕区")
    assert not domain.same_area("呼和浩特市赛罕区", "呼和浩特市新城区")
    assert not domain.same_area("呼和浩特市", "包头市")
    assert domain.same_area("呼和浩特市赛罕区", "呼和浩特市")


names = st.sampled_from(["张三", "李四", "王五", "赵六"])
indexes = st.sampled_from(["idx-1", "idx-2", "idx-3", "idx-9", ""])
numbers = st.sampled_from(["150001", "150002", "999", ""])
places = st.sampled_from(["赛罕区", "新城区", "呼和浩特市", "包头市"])
colours = st.sampled_from(["green", "yellow", "red"])


def entries(with_number):
    entry = st.tuples(names, numbers if with_number else st.just(""), indexes, places, colours)
    return st.lists(entry, max_size=12).map(
        lambda rows: [Entry(n + 2, *row) for n, row in enumerate(rows)]
    )


@given(entries(True), entries(False))
def test_every_row_is_matched_or_unmatched_exactly_once(checkins, codes):
    report = domain.cross_check(STAFF, checkins, codes)
    unmatched_d = [f.row for f in report.of_kind(domain.UNMATCHED_DINGTALK)]
    unmatched_h = [f.row for f in report.of_kind(domain.UNMATCHED_HEALTHCODE)]
    assert sorted(unmatched_d + list(report.dingtalk_matched)) == [e.row for e in checkins]
    assert sorted(unmatched_h + list(report.healthcode_matched)) == [e.row for e in codes]
    assert not set(unmatched_d) & set(report.dingtalk_matched)


@given(entries(True), entries(False), st.randoms(use_true_random=False))
def test_permuting_rows_does_not_change_the_result(checkins, codes, rnd):
    shuffled_d, shuffled_h = list(checkins), list(codes)
    rnd.shuffle(shuffled_d)
    rnd.shuffle(shuffled_h)
    assert domain.cross_check(STAFF, shuffled_d, shuffled_h).findings == domain.cross_check(
        STAFF, checkins, codes
    ).findings


@given(entries(True), entries(False))
def test_staff_appear_in_at_most_one_missing_list(checkins, codes):
    report = domain.cross_check(STAFF, checkins, codes)
    missing_d = {f.staff_id for f in report.of_kind(domain.MISSING_IN_DINGTALK)}
    missing_h = {f.staff_id for f in report.of_kind(domain.MISSING_IN_HEALTHCODE)}
    assert not missing_d & missing_h
    assert missing_d == set(report.healthcode_matched.values()) - set(report.dingtalk_matched.values())
