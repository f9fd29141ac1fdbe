"""How identifiers are shown: masked on the server, always (GB/T 35273 §7.2, PI-01).

A role holding REVEAL_PII sees a full number only through the reveal-with-purpose step
(privacy.services.reveal_identifier), one number at a time, each reveal logged with its purpose;
lists, detail pages, the API and exports never carry one.
"""

from jiedu.common.masking import mask_id_number, mask_phone
from jiedu.organisation import roles
from jiedu.organisation.scoping import can


def may_reveal(user, facility_id) -> bool:
    """Whether the page offers the reveal step (the service checks again)."""
    return can(user, roles.REVEAL_PII, facility_id)


def shown_id_number(user, person) -> str:
    return mask_id_number(person.id_number)


def shown_phone(user, person) -> str:
    return mask_phone(person.phone)
