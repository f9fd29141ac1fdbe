"""What the database really holds: ciphertext and blind indexes, never the plain identifiers."""

import re

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from factories import ResidentFactory, StaffFactory
from jiedu.common import crypto
from jiedu.people.models import ID_NUMBER_CONTEXT, PHONE_CONTEXT, Resident, Staff

pytestmark = pytest.mark.django_db

RESIDENT_ID = "150102198001010014"
RESIDENT_PHONE = "13812345678"
STAFF_ID = "11010519491231002X"
STAFF_PHONE = "13987654321"
TOKEN = re.compile(r"^sm4gcm\$[A-Za-z0-9_-]+\$[A-Za-z0-9+/=]+$")


def _raw_rows(table: str, pk: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _digits_only(value: str) -> str:
    return re.sub(r"\D", "", value)


@pytest.mark.parametrize(
    ("factory", "table", "id_number", "phone"),
    [
        (ResidentFactory, "people_resident", RESIDENT_ID, RESIDENT_PHONE),
        (StaffFactory, "people_staff", STAFF_ID, STAFF_PHONE),
    ],
    ids=["resident", "staff"],
)
def test_raw_columns_hold_neither_the_id_number_nor_the_phone(factory, table, id_number, phone):
    # given a person with an ID number and a phone number
    person = factory(id_number=id_number, phone=phone, sex="F" if id_number.endswith("X") else "M")
    # when the row is read with plain SQL
    rows = _raw_rows(table, person.pk)
    # then no column holds either value, not even as a run of digits inside a longer value
    assert len(rows) == 1
    for column, value in rows[0].items():
        text = str(value)
        for secret in (id_number, id_number[:17], phone):
            assert secret not in text, column
            assert secret not in _digits_only(text), column
    # and the identifier columns hold ciphertext tokens with the key id
    assert TOKEN.match(rows[0]["id_number"])
    assert TOKEN.match(rows[0]["phone"])
    assert rows[0]["id_number_key_id"] == crypto.key_ring().active_id
    assert crypto.key_id_of(rows[0]["id_number"]) == rows[0]["id_number_key_id"]
    assert rows[0]["id_number_index"] == crypto.blind_index(id_number, context=ID_NUMBER_CONTEXT)
    assert rows[0]["phone_index"] == crypto.blind_index(phone, context=PHONE_CONTEXT)


def test_the_orm_reads_the_values_back_decrypted():
    resident = ResidentFactory(id_number=RESIDENT_ID, phone=RESIDENT_PHONE)
    staff = StaffFactory(id_number=STAFF_ID, phone=STAFF_PHONE, sex="F")
    assert Resident.objects.get(pk=resident.pk).id_number == RESIDENT_ID
    assert Resident.objects.get(pk=resident.pk).phone == RESIDENT_PHONE
    assert Staff.objects.get(pk=staff.pk).id_number == STAFF_ID
    assert Staff.objects.values_list("phone", flat=True).get(pk=staff.pk) == STAFF_PHONE


def test_each_save_of_the_same_value_stores_a_different_ciphertext():
    first = ResidentFactory(id_number=RESIDENT_ID)
    second = StaffFactory(id_number=RESIDENT_ID)
    raw_first = _raw_rows("people_resident", first.pk)[0]["id_number"]
    raw_second = _raw_rows("people_staff", second.pk)[0]["id_number"]
    assert raw_first != raw_second


def test_an_empty_phone_stays_empty():
    resident = ResidentFactory(phone="")
    row = _raw_rows("people_resident", resident.pk)[0]
    assert row["phone"] == ""
    assert row["phone_index"] == ""
    assert Resident.objects.get(pk=resident.pk).phone == ""


@pytest.mark.parametrize(
    "lookup",
    [
        {"id_number": RESIDENT_ID},
        {"id_number__exact": RESIDENT_ID},
        {"id_number__icontains": "1501"},
        {"id_number__startswith": "1501"},
        {"phone": RESIDENT_PHONE},
        {"id_number__in": [RESIDENT_ID]},
    ],
)
def test_filtering_on_an_encrypted_column_is_refused(lookup):
    ResidentFactory(id_number=RESIDENT_ID, phone=RESIDENT_PHONE)
    with pytest.raises(FieldError):
        Resident.objects.filter(**lookup)


def test_isnull_is_still_allowed_and_search_goes_through_the_blind_index():
    resident = ResidentFactory(id_number=RESIDENT_ID)
    assert Resident.objects.filter(id_number__isnull=False).count() == 1
    index = crypto.blind_index("１５０１０２１９８００１０１００１４", context=ID_NUMBER_CONTEXT)
    assert list(Resident.objects.filter(id_number_index=index)) == [resident]


def test_the_active_key_id_is_stored_beside_the_ciphertext(settings, fresh_key_ring):
    import base64

    settings.JIEDU_DATA_KEYS = (
        f"{settings.JIEDU_DATA_KEYS},k2026:{base64.b64encode(b'k2026-16-bytes!!').decode()}"
    )
    settings.JIEDU_DATA_KEY_ID = "k2026"
    resident = ResidentFactory(id_number=RESIDENT_ID)
    row = _raw_rows("people_resident", resident.pk)[0]
    assert row["id_number_key_id"] == "k2026"
    assert row["id_number"].startswith("sm4gcm$k2026$")
    assert Resident.objects.get(pk=resident.pk).id_number == RESIDENT_ID
