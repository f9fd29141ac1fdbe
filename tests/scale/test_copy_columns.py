"""The generator's COPY column list: every NOT NULL column is written or has a constant default."""

import pytest

from jiedu.people.models import Resident
from jiedu.scale.copying import columns_of, constant_defaults

WRITTEN = [f.attname for f in Resident._meta.concrete_fields if f.attname != "version"]


def test_a_versioned_record_left_without_its_version_starts_at_one():
    assert constant_defaults(Resident, WRITTEN) == {"version": 1}
    assert "version" not in columns_of(Resident, WRITTEN)


def test_a_not_null_column_without_a_constant_default_must_be_written():
    with pytest.raises(ValueError, match="NOT NULL columns not written: \\['facility_id'\\]"):
        columns_of(Resident, [name for name in WRITTEN if name != "facility_id"])
