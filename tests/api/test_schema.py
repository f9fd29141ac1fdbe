"""The OpenAPI schema builds cleanly: no warnings, valid OpenAPI 3, every endpoint documented."""

from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/residents/{id}/" in text and "/api/v1/epidemic-policies/" in text
