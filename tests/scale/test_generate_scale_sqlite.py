"""On SQLite, generate-scale refuses with a clear message instead of failing half-way."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection  # noqa: F401  (read by the skipif condition)

from jiedu.organisation.models import Facility


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the refusal is SQLite's")
def test_generate_scale_asks_for_postgresql_on_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_scale", "--days", "1")
    assert not Facility.objects.exists()
