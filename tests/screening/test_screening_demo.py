"""Demo history: last month's screening nearly complete, the 十一个严禁 campaign complete at most facilities."""

import datetime

import pytest

from jiedu.demo.seeding import seed_region, system_user
from jiedu.screening import demo, selectors
from jiedu.screening.models import Commitment, ScreeningForm, ScreeningRound

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.django_db
def test_demo_history_seeds_a_screening_round_and_a_campaign_once():
    seed_region(today=TODAY, facilities=2)
    system = system_user()

    written = demo.seed_history(system=system, today=TODAY, days=14)

    screening = ScreeningRound.objects.get(kind="screening")
    campaign = ScreeningRound.objects.get(kind="commitment")
    assert screening.facility is None and screening.starts_on == datetime.date(2026, 10, 1)
    assert written == 2 + ScreeningForm.objects.count() + Commitment.objects.count()
    for row in selectors.coverage(system, screening):
        assert 0.85 <= row.commitments.ratio < 1 or row.commitments.complete
        assert row.forms.ratio >= 0.85
    assert any(row.commitments.complete for row in selectors.coverage(system, campaign))
    assert demo.seed_history(system=system, today=TODAY, days=14) == 0
