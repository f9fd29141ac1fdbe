"""The bulk exports of personal data that need a second person's approval (PI-03, GB/T 35273 §7.1).

One entry per export: its name, what it is called on screen, the URL it downloads from, and the
action a person needs to see its rows (the requester, and the approver over the same facilities).
The export views carry ``@approval_required(<name>)`` (privacy/approval.py); a test checks that every
entry here is wired to its view, so the list below is the list of gated exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiedu.organisation import roles


@dataclass(frozen=True)
class Gate:
    name: str
    label: str | Promise
    url_name: str
    action: str


GATES: dict[str, Gate] = {
    gate.name: gate
    for gate in (
        Gate("residents", _("Resident list"), "people:resident_export", roles.VIEW_RESIDENTS),
        Gate("staff", _("Staff list"), "people:staff_export", roles.VIEW_STAFF),
        Gate("temperature_log", _("Temperature log"), "health:export", roles.VIEW_RESIDENTS),
        Gate("isolation_register", _("Isolation register"), "isolation:export_stays", roles.VIEW_RESIDENTS),
        Gate(
            "prerelease_checklist",
            _("Pre-release checklist"),
            "isolation:export_prerelease",
            roles.VIEW_RESIDENTS,
        ),
        Gate("overseas_ledger", _("Overseas personnel ledger"), "overseas:export", roles.VIEW_STAFF_HEALTH),
    )
}


def label_of(name: str) -> str:
    gate = GATES.get(name)
    return str(gate.label) if gate else name
