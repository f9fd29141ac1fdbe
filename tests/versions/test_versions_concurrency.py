"""Two writers holding the same version at the same moment, each on its own connection: exactly one
change is saved, the other is refused as stale, and the version counts one change."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from factories import FacilityFactory, MembershipFactory, UserFactory, ZoneFactory
from factories_findings import FindingFactory
from jiedu.common.errors import DomainError, StaleVersion
from jiedu.findings import services as findings
from jiedu.findings.models import Finding, FindingEvent
from jiedu.organisation import services as organisation
from jiedu.organisation.models import Zone
from jiedu.organisation.roles import Role


def _needs_a_database_that_queues_writers():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The in-memory test database shares one cache between threads, whose table locks fail a
        # second writer at once ("database table is locked") instead of queueing it as the file
        # database does in use (WAL, BEGIN IMMEDIATE, busy timeout). PostgreSQL runs this test.
        pytest.skip("needs PostgreSQL or a file SQLite database: shared-cache memory databases do not queue writers")


def _at_once(*writes) -> list[str]:
    """Run each write in its own thread (own connection), released together; return their outcomes."""
    start = threading.Barrier(len(writes))
    outcomes = [None] * len(writes)

    def run(i):
        try:
            start.wait(timeout=10)
            writes[i]()
            outcomes[i] = "saved"
        except StaleVersion:
            outcomes[i] = "stale"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("整改照片.png", buffer.getvalue(), content_type="image/png")


def _leader(facility, role=Role.FACILITY_LEADER):
    user = UserFactory()
    MembershipFactory(user=user, facility=facility, role=role)
    return user


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_version_at_once_exactly_one_wins():
    _needs_a_database_that_queues_writers()
    facility = FacilityFactory()
    zone = ZoneFactory(facility=facility, name="东区")
    editors = [_leader(facility), _leader(facility)]
    read = zone.version
    names = ["一区", "二区"]

    def rename(i):
        # Each editor loaded the zone on its own, before either saved.
        mine = Zone.objects.get(pk=zone.pk)
        return lambda: organisation.update_scoped(actor=editors[i], instance=mine, expected_version=read, name=names[i])

    outcomes = _at_once(rename(0), rename(1))

    assert sorted(outcomes) == ["saved", "stale"], outcomes
    saved = Zone.objects.get(pk=zone.pk)
    assert saved.version == read + 1
    assert saved.name == names[outcomes.index("saved")]


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_give_one_verification():
    _needs_a_database_that_queues_writers()
    facility = FacilityFactory()
    verifiers = [_leader(facility), _leader(facility)]
    finding = FindingFactory(facility=facility)
    findings.submit_rectification(actor=_leader(facility, Role.FACILITY_OFFICER), finding=finding, note="已整改",
                                  files=[_photo()])  # fmt: skip
    read = Finding.objects.get(pk=finding.pk).version

    def verify(i):
        mine = Finding.objects.get(pk=finding.pk)
        return lambda: findings.verify(actor=verifiers[i], finding=mine, note="复核通过", expected_version=read)

    outcomes = _at_once(verify(0), verify(1))

    assert sorted(outcomes) == ["saved", "stale"], outcomes
    after = Finding.objects.get(pk=finding.pk)
    assert after.status == "verified" and after.version == read + 1
    assert after.verified_by == verifiers[outcomes.index("saved")]
    assert FindingEvent.objects.filter(finding=finding, kind=FindingEvent.Kind.VERIFIED).count() == 1
