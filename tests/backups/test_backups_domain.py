"""The manifest and the table checksum, without a database."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.backups import domain
from jiedu.backups.domain import BackupError, TableSummary

NOW = datetime.datetime(2026, 3, 1, 2, 0, 5, tzinfo=datetime.UTC)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(), st.binary(),
    st.floats(allow_nan=False), st.decimals(allow_nan=False, allow_infinity=False),
    st.datetimes(timezones=st.just(datetime.UTC)), st.dates(), st.uuids(),
)  # fmt: skip


def _typed(row):
    return [(type(value).__name__, repr(value)) for value in row]


@given(st.lists(scalars, max_size=5), st.lists(scalars, max_size=5))
def test_two_rows_share_a_line_only_when_they_hold_the_same_values(first, second):
    if domain.canonical_row(first) == domain.canonical_row(second):
        assert _typed(first) == _typed(second)


def test_values_of_different_types_never_share_a_line():
    lines = {
        domain.canonical_row([value])
        for value in (1, "1", True, 1.0, decimal.Decimal("1"), b"1", "x:31", "t:1", None, "None", [1], {"a": 1})
    }
    assert len(lines) == 12


def test_a_moment_gives_one_line_whatever_the_sessions_time_zone():
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    assert domain.canonical_row([NOW]) == domain.canonical_row([NOW.astimezone(shanghai)])


def test_the_checksum_depends_on_every_row_and_on_their_order():
    rows = [(1, "甲", NOW), (2, "乙", None)]
    summary = domain.summarise_rows(rows)
    assert summary.rows == 2
    assert domain.summarise_rows(reversed(rows)).sha256 != summary.sha256
    assert domain.summarise_rows([(1, "甲", NOW), (2, "丙", None)]).sha256 != summary.sha256
    assert domain.summarise_rows(rows[:1]).sha256 != summary.sha256
    assert domain.summarise_rows([]) == TableSummary(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def test_the_latest_migration_of_each_app():
    applied = [("health", "0001_initial"), ("audit", "0002_hash_chain"), ("health", "0002_x"), ("audit", "0001_initial")]
    assert domain.latest_migrations(applied) == {"audit": "0002_hash_chain", "health": "0002_x"}


def test_a_backup_is_named_by_its_utc_time():
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    assert domain.backup_name(NOW.astimezone(shanghai)) == "jiedu-backup-20260301T020005Z"


def _manifest(**changes):
    manifest = domain.build_manifest(
        engine="sqlite", created_at=NOW, migrations={"health": "0001_initial"},
        tables={"health_temperaturereading": TableSummary(2, "ab" * 32)},
        files={"database.sqlite3": "cd" * 32, "evidence/ab/abcd.png": "ef" * 32},
    )  # fmt: skip
    manifest.update(changes)
    return domain.encode_manifest(manifest)


def test_a_manifest_with_its_digest_reads_back():
    encoded = _manifest()
    manifest = domain.read_manifest(encoded, domain.manifest_digest_line(encoded))
    assert manifest["engine"] == "sqlite" and manifest["created_at"] == "2026-03-01T02:00:05+00:00"
    assert manifest["tables"] == {"health_temperaturereading": {"rows": 2, "sha256": "ab" * 32}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format_version": 2}, "format version 2 cannot be restored"),
        ({"format": "something-else"}, "does not describe a Jiedu backup"),
        ({"engine": "oracle"}, "unknown database engine"),
        ({"database_file": "elsewhere.sqlite3"}, "lists no database file"),
        ({"files": {"database.sqlite3": "cd" * 32, "evidence/../../etc/passwd": "00"}}, "outside the backup"),
        ({"files": {"database.sqlite3": "cd" * 32, "/etc/passwd": "00"}}, "outside the backup"),
    ],
)
def test_a_manifest_this_version_cannot_restore_is_refused(changes, message):
    encoded = _manifest(**changes)
    with pytest.raises(BackupError, match=message):
        domain.read_manifest(encoded, domain.manifest_digest_line(encoded))


def test_a_manifest_that_does_not_match_its_digest_is_refused():
    digest = domain.manifest_digest_line(_manifest())
    with pytest.raises(BackupError, match="damaged"):
        domain.read_manifest(_manifest(created_at="2026-03-02T00:00:00+00:00"), digest)
    with pytest.raises(BackupError, match="damaged"):
        domain.read_manifest(_manifest(), "")


def test_missing_and_changed_files_are_named():
    expected = {"database.sqlite3": "aa", "evidence/ab/1.png": "bb", "evidence/cd/2.png": "cc"}
    found = {"database.sqlite3": "aa", "evidence/ab/1.png": "b0", "evidence/cd/2.png": None}
    assert domain.damaged_files(expected, found) == ["evidence/ab/1.png: checksum differs", "evidence/cd/2.png: missing"]
    assert domain.damaged_files(expected, dict(expected)) == []


def test_every_table_difference_is_one_line():
    expected = {
        "a": {"rows": 1, "sha256": "x"}, "b": {"rows": 2, "sha256": "y"},
        "c": {"rows": 3, "sha256": "z"}, "d": {"rows": 0, "sha256": "w"},
    }  # fmt: skip
    found = {"a": TableSummary(1, "x"), "b": TableSummary(3, "y"), "c": TableSummary(3, "q"), "e": TableSummary(4, "v")}
    assert domain.table_mismatches(expected, found) == [
        "b: 3 rows, the backup has 2",
        "c: same row count (3) but different content",
        "d: missing after restore",
        "e: not in the backup (4 rows)",
    ]


def test_a_uuid_and_its_text_are_different_values():
    value = uuid.uuid4()
    assert domain.canonical_row([value]) != domain.canonical_row([str(value)])
