"""PI-05 (PIPL Art. 6, 28; 等保 8.1.4.11a): every field of every model is in docs/data-inventory.yaml,
classified; personal ones carry purpose, legal basis, sensitivity and retention."""

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiedu.privacy import inventory, retention

# Fields that hold personal data by their nature: the inventory may not call them non-personal.
MUST_BE_PERSONAL = {
    "people.Resident": {"id_number", "phone", "name", "file_number", "status"},
    "people.Staff": {"id_number", "phone", "name", "police_number"},
    "overseas.OverseasEntry": {"person_name", "id_number"},
    "overseas.OverseasStatus": {"current_residence", "return_route", "residence_abroad"},
    "health.TemperatureReading": {"temperature_c", "resident"},
    "staffleave.DailyReport": {"places_visited", "family_movements", "temperature_c", "symptoms"},
    "screening.ScreeningForm": {"travel_places", "family_details", "symptom_details"},
    "standby.NucleicAcidTest": {"result"},
    "isolation.Handover": {"name", "phone"},
    "accounts.User": {"password", "username"},
    "audit.AuditEvent": {"actor_username", "ip"},
    "privacy.AccessLog": {"actor_username", "purpose", "ip"},
}
MUST_BE_SENSITIVE = {
    "people.Resident": {"id_number", "name"},
    "people.Staff": {"id_number"},
    "health.TemperatureReading": {"temperature_c"},
    "staffleave.DailyReport": {"places_visited", "symptoms"},
    "overseas.OverseasStatus": {"return_route"},
    "accounts.User": {"password"},
}


@pytest.fixture(scope="module")
def listed():
    return inventory.load()


def test_every_model_field_is_listed_and_every_listed_field_exists(listed):
    assert inventory.problems(listed) == [], "run `python -m jiedu data-inventory --missing` and classify"
    assert sum(len(names) for names in inventory.model_fields().values()) >= 600


def test_a_new_unlisted_field_or_a_stale_one_fails(listed):
    broken = copy.deepcopy(listed)
    del broken["models"]["people.Resident"]["fields"]["phone"]
    broken["models"]["people.Staff"]["fields"]["shoe_size"] = {"personal": False}
    found = inventory.problems(broken)
    assert "people.Resident.phone: not in the inventory" in found
    assert "people.Staff.shoe_size: listed but the model has no such field" in found


def test_personal_fields_are_fully_described(listed):
    broken = copy.deepcopy(listed)
    entry = broken["models"]["people.Resident"]["fields"]["name"]
    entry.pop("legal_basis")
    entry["sensitivity"] = "secret"
    broken["models"]["people.Staff"]["fields"]["name"] = {"personal": "maybe"}
    found = inventory.problems(broken)
    assert "people.Resident.name: a personal field needs legal_basis" in found
    assert any(p.startswith("people.Resident.name: sensitivity must be one of") for p in found)
    assert "people.Staff.name: say personal: true or false" in found


def test_fields_that_are_personal_by_nature_are_classified_so(listed):
    for label, names in MUST_BE_PERSONAL.items():
        for name in names:
            assert listed["models"][label]["fields"][name]["personal"] is True, f"{label}.{name}"
    for label, names in MUST_BE_SENSITIVE.items():
        for name in names:
            assert listed["models"][label]["fields"][name]["sensitivity"] == "敏感", f"{label}.{name}"


def test_the_purge_rules_and_the_inventory_agree(listed):
    by_rule: dict[str, set[str]] = {}
    for expiry in inventory.expiries(listed):
        by_rule.setdefault(expiry.rule, set()).add(expiry.model)
        assert expiry.days >= 1
    assert by_rule == retention.RULE_MODELS
    assert set(retention.RULES) == set(retention.RULE_MODELS)


def test_the_command_checks_and_prints_stubs(capsys, settings, tmp_path, listed):
    call_command("data_inventory")
    assert "data inventory complete" in capsys.readouterr().out
    import yaml

    broken = copy.deepcopy(listed)
    del broken["models"]["people.Resident"]["fields"]["phone"]
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    settings.JIEDU_DATA_INVENTORY = path
    with pytest.raises(CommandError, match="people.Resident.phone"):
        call_command("data_inventory")
    call_command("data_inventory", "--missing")
    assert "      phone: {personal: ?" in capsys.readouterr().out
