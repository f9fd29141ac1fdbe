"""The epidemic panel's figures come out of the records, per facility, without N+1 queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import ResidentFactory, RoomFactory, ZoneFactory
from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from factories_epidemic import IsolationStayFactory
from factories_gatelog import GateEventFactory
from factories_health import FeverAlertFactory, TemperatureReadingFactory
from jiedu.dashboard.epidemic_panel import epidemic_figures
from jiedu.organisation.roles import Role

NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 15, 0))
MORNING = NOW.replace(hour=9)


def _fill(facility, *, refusals, fevers):
    fever_zone = ZoneFactory(facility=facility, zone_type="fever_isolation")
    for _ in range(2):
        RoomFactory(zone=fever_zone, capacity=1, is_single_occupancy=True)
    IsolationStayFactory(facility=facility, room=RoomFactory(zone=fever_zone, capacity=1, is_single_occupancy=True))
    for _ in range(refusals):
        GateEventFactory(facility=facility, refused=True, occurred_at=MORNING, approval_valid_until=NOW)
    GateEventFactory(facility=facility, occurred_at=MORNING, approval_valid_until=NOW)
    for _ in range(fevers):
        reading = TemperatureReadingFactory(facility=facility, measured_at=MORNING, temperature_c=Decimal("38.4"))
        FeverAlertFactory(facility=facility, reading=reading)
    area = KeyAreaFactory(facility=facility)
    for hour in (8, 10, 12):
        EnvironmentRecordFactory(facility=facility, area=area, performed_at=NOW.replace(hour=hour))
    ResidentFactory(facility=facility, term_end=NOW.date() + datetime.timedelta(days=10))


def test_figures_are_counted_from_the_records_of_each_facility(member, facility_a, facility_b):
    _fill(facility_a, refusals=2, fevers=1)
    _fill(facility_b, refusals=0, fevers=3)
    leader = member(Role.BUREAU_LEADER)
    rows = {row.facility.pk: row for row in epidemic_figures(leader, now=NOW)}
    a, b = rows[facility_a.pk], rows[facility_b.pk]
    assert (a.gate_refusals_today, a.gate_entries_today) == (2, 3)
    assert (b.gate_refusals_today, b.gate_entries_today) == (0, 1)
    assert (a.fevers_today, a.open_fever_alerts, b.fevers_today) == (1, 1, 3)
    assert a.isolation["fever_isolation"] == (1, 3)
    assert a.ventilation == 3 / 5 and a.disinfection == 0
    assert a.releases_due >= 1


def test_a_facility_user_sees_only_their_own_row(member, facility_a, facility_b):
    _fill(facility_a, refusals=1, fevers=0)
    _fill(facility_b, refusals=1, fevers=0)
    officer = member(Role.FACILITY_OFFICER, facility_a)
    assert [row.facility for row in epidemic_figures(officer, now=NOW)] == [facility_a]


def test_the_query_count_does_not_grow_with_the_number_of_facilities(member, facility_a, facility_b):
    from factories import FacilityFactory

    leader = member(Role.BUREAU_LEADER)
    _fill(facility_a, refusals=1, fevers=1)
    with CaptureQueriesContext(connection) as two:
        epidemic_figures(leader, now=NOW)
    for _ in range(3):
        _fill(FacilityFactory(), refusals=1, fevers=1)
    with CaptureQueriesContext(connection) as five:
        epidemic_figures(leader, now=NOW)
    # The first call also loads the leader's memberships (cached on the user afterwards).
    assert len(five) <= len(two)


def test_the_panel_page_shows_the_table_and_chart_data(member, facility_a):
    _fill(facility_a, refusals=2, fevers=1)
    client = Client()
    client.force_login(member(Role.FACILITY_LEADER, facility_a))
    html = client.get("/epidemic/panel/").content.decode()
    assert 'id="epidemic-panel"' in html and 'id="epidemic-chart-data"' in html
    assert f'data-facility="{facility_a.pk}"' in html


def test_roles_without_epidemic_ledgers_are_refused(member, facility_a):
    client = Client()
    client.force_login(member(Role.STATION_WORKER, facility_a))
    assert client.get("/epidemic/panel/").status_code == 403
