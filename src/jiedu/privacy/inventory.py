"""The data inventory (docs/data-inventory.yaml): every model field, classified (PI-05).

``problems()`` lists what the file and the models disagree on; the test and ``data-inventory --check``
fail on any. ``stubs()`` writes the YAML to paste for fields not yet listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings

SENSITIVITIES = ("一般", "敏感")
PERSONAL_KEYS = ("purpose", "legal_basis", "sensitivity", "retention")


@dataclass(frozen=True)
class Expiry:
    model: str
    rule: str
    days: int
    after: str


def load(path: Path | None = None) -> dict:
    with open(path or settings.JIEDU_DATA_INVENTORY, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def _cached() -> dict:
    return load()


def model_fields() -> dict[str, list[str]]:
    """Every concrete field of every model of the platform's own apps, by model label."""
    return {
        model._meta.label: [field.name for field in model._meta.concrete_fields]
        for model in apps.get_models()
        if model.__module__.startswith("jiedu.")
    }


def problems(inventory: dict | None = None) -> list[str]:
    inventory = inventory if inventory is not None else load()
    listed = inventory.get("models") or {}
    bases = set(inventory.get("legal_bases") or {})
    found = []
    actual = model_fields()
    for label, names in sorted(actual.items()):
        fields = (listed.get(label) or {}).get("fields") or {}
        found += [f"{label}.{name}: not in the inventory" for name in names if name not in fields]
        found += [
            f"{label}.{name}: listed but the model has no such field" for name in fields if name not in names
        ]
        for name, entry in fields.items():
            found += [f"{label}.{name}: {issue}" for issue in _entry_problems(entry or {}, bases)]
    found += [f"{label}: listed but there is no such model" for label in listed if label not in actual]
    return found


def _entry_problems(entry: dict, bases: set[str]) -> list[str]:
    if entry.get("personal") is False:
        return []
    if entry.get("personal") is not True:
        return ["say personal: true or false"]
    issues = [
        f"a personal field needs {key}" for key in PERSONAL_KEYS if not str(entry.get(key) or "").strip()
    ]
    if entry.get("sensitivity") and entry["sensitivity"] not in SENSITIVITIES:
        issues.append(f"sensitivity must be one of {', '.join(SENSITIVITIES)}")
    if entry.get("legal_basis") and entry["legal_basis"] not in bases:
        issues.append(f"legal_basis {entry['legal_basis']!r} is not among legal_bases")
    return issues


def expiries(inventory: dict | None = None) -> list[Expiry]:
    inventory = inventory if inventory is not None else _cached()
    return [
        Expiry(label, entry["expire"]["rule"], int(entry["expire"]["days"]), entry["expire"].get("after", ""))
        for label, entry in (inventory.get("models") or {}).items()
        if (entry or {}).get("expire")
    ]


def stubs(inventory: dict | None = None) -> str:
    """YAML for every field not listed yet, to paste under ``models:`` and classify."""
    inventory = inventory if inventory is not None else load()
    listed = inventory.get("models") or {}
    lines = []
    for label, names in sorted(model_fields().items()):
        fields = (listed.get(label) or {}).get("fields") or {}
        missing = [name for name in names if name not in fields]
        if missing:
            lines.append(f"  {label}:" + ("" if label in listed else "\n    fields:"))
            lines += [
                f"      {name}: {{personal: ?, sensitivity: ?, legal_basis: ?, purpose: ?, retention: ?}}"
                for name in missing
            ]
    return "\n".join(lines)
