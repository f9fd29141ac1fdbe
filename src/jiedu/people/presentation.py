"""How identifiers are shown: masked on the server unless the viewer may reveal them."""

from jiedu.common.masking import mask_id_number, mask_phone
from jiedu.organisation import roles
from jiedu.organisation.scoping import can


def may_reveal(user, facility_id) -> bool:
    return can(user, roles.REVEAL_PII, facility_id)


def shown_id_number(user, person) -> str:
    return person.id_number if may_reveal(user, person.facility_id) else mask_id_number(person.id_number)


def shown_phone(user, person) -> str:
    return person.phone if may_reveal(user, person.facility_id) else mask_phone(person.phone)
