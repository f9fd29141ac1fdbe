import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.people import domain
from jiedu.people.models import Resident

STATUSES = st.sampled_from(sorted(domain.STATUS_TRANSITIONS))


def test_the_rule_table_covers_exactly_the_model_statuses():
    assert set(domain.STATUS_TRANSITIONS) == set(Resident.Status.values)
    assert domain.PRESENT == set(Resident.PRESENT_STATUSES)


@pytest.mark.parametrize("ended", [domain.RELEASED, domain.TRANSFERRED, domain.DECEASED])
def test_an_ended_stay_cannot_be_reopened(ended):
    assert domain.status_change_error(ended, domain.IN_CUSTODY) is not None


def test_outside_medical_care_returns_to_custody():
    assert domain.status_change_error(domain.OUTSIDE_MEDICAL, domain.IN_CUSTODY) is None
    assert domain.status_change_error(domain.IN_CUSTODY, domain.OUTSIDE_MEDICAL) is None


@given(STATUSES, STATUSES)
def test_a_change_is_allowed_exactly_when_the_table_lists_it(current, new):
    allowed = current == new or new in domain.STATUS_TRANSITIONS[current]
    assert (domain.status_change_error(current, new) is None) == allowed


@given(STATUSES)
def test_only_present_residents_keep_a_bed(status):
    assert domain.keeps_a_bed(status) == (status in {domain.IN_CUSTODY, domain.OUTSIDE_MEDICAL})
