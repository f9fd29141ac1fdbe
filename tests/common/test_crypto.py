"""SM3 / SM4 known answers, SM4-GCM tokens, key rotation, blind indexes and masking."""

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured

from jiedu.common import crypto
from jiedu.common.crypto import DecryptionError
from jiedu.common.masking import mask_id_number, mask_phone

ID = "150102198001010014"
CONTEXT = "id_number"
OLD_KEY = base64.b64encode(b"old-key-16-bytes").decode()
NEW_KEY = base64.b64encode(b"new-key-16-bytes").decode()


def _blob(token: str) -> bytes:
    return base64.b64decode(token.split("$")[2])


def _with_blob(token: str, blob: bytes) -> str:
    scheme, key_id, _ = token.split("$")
    return f"{scheme}${key_id}${base64.b64encode(blob).decode()}"


# --- known-answer tests (GB/T 32905, GB/T 32907) -------------------------------------------------


def test_sm3_known_answer_abc():
    assert crypto.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_known_answer_64_byte_message():
    assert (
        crypto.sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sm4_known_answer_gb_t_32907():
    # the standard's example: key = plaintext = 0123456789abcdeffedcba9876543210, one block in ECB
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_hmac_sm3_is_keyed():
    assert crypto.hmac_sm3(b"k" * 16, b"abc") != crypto.hmac_sm3(b"K" * 16, b"abc")
    assert len(crypto.hmac_sm3(b"k" * 16, b"abc")) == 32


# --- SM4-GCM -------------------------------------------------------------------------------------


def test_sm4_gcm_round_trip_with_associated_data():
    key = bytes(range(16))
    blob = crypto.sm4_gcm_encrypt(key, b"secret", associated_data=b"ctx")
    assert len(blob) == crypto.NONCE_BYTES + len(b"secret") + crypto.TAG_BYTES
    assert crypto.sm4_gcm_decrypt(key, blob, associated_data=b"ctx") == b"secret"


def test_encrypt_text_round_trip_and_token_format(fresh_key_ring):
    token = crypto.encrypt_text(ID, context=CONTEXT)
    assert token.startswith(f"sm4gcm${crypto.key_ring().active_id}$")
    assert ID not in token
    assert crypto.decrypt_text(token, context=CONTEXT) == ID


def test_unicode_round_trip(fresh_key_ring):
    assert (
        crypto.decrypt_text(crypto.encrypt_text("张三 ０４７１", context="x"), context="x") == "张三 ０４７１"
    )


def test_same_plaintext_encrypts_differently(fresh_key_ring):
    assert crypto.encrypt_text(ID, context=CONTEXT) != crypto.encrypt_text(ID, context=CONTEXT)


def test_a_thousand_encryptions_never_repeat_a_nonce(fresh_key_ring):
    nonces = {_blob(crypto.encrypt_text(ID, context=CONTEXT))[: crypto.NONCE_BYTES] for _ in range(1000)}
    assert len(nonces) == 1000


@pytest.mark.parametrize("where", ["nonce", "body", "tag"])
def test_a_flipped_byte_fails_to_decrypt(fresh_key_ring, where):
    # given a valid token with one byte flipped in the nonce, the ciphertext or the tag
    token = crypto.encrypt_text(ID, context=CONTEXT)
    blob = bytearray(_blob(token))
    position = {"nonce": 0, "body": crypto.NONCE_BYTES + 3, "tag": len(blob) - 1}[where]
    blob[position] ^= 0x01
    # when it is decrypted, then it is refused
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(_with_blob(token, bytes(blob)), context=CONTEXT)


def test_every_flipped_byte_fails_to_decrypt(fresh_key_ring):
    token = crypto.encrypt_text(ID, context=CONTEXT)
    blob = _blob(token)
    for position in range(len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x80
        with pytest.raises(DecryptionError):
            crypto.decrypt_text(_with_blob(token, bytes(tampered)), context=CONTEXT)


def test_context_mismatch_fails_to_decrypt(fresh_key_ring):
    # given a phone-number ciphertext copied into the ID-number column
    token = crypto.encrypt_text("13812345678", context="phone")
    # then it does not decrypt there
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(token, context=CONTEXT)


def test_unknown_key_id_fails_to_decrypt(fresh_key_ring):
    token = crypto.encrypt_text(ID, context=CONTEXT)
    _, _, body = token.split("$")
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(f"sm4gcm$nokey${body}", context=CONTEXT)


@pytest.mark.parametrize(
    "token",
    ["", "plain text", ID, "sm4gcm$dev1$", "aes$dev1$AAAA", "sm4gcm$dev1$not*base64!", "sm4gcm$dev1$AAAA"],
)
def test_malformed_tokens_fail_to_decrypt(fresh_key_ring, token):
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(token, context=CONTEXT)


def test_key_rotation_keeps_old_ciphertext_readable(settings, fresh_key_ring):
    # given a value encrypted while "old" was the active key
    settings.JIEDU_DATA_KEYS = f"old:{OLD_KEY}"
    settings.JIEDU_DATA_KEY_ID = "old"
    old_token = crypto.encrypt_text(ID, context=CONTEXT)
    assert crypto.key_id_of(old_token) == "old"
    # when "new" is added and made active
    settings.JIEDU_DATA_KEYS = f"old:{OLD_KEY},new:{NEW_KEY}"
    settings.JIEDU_DATA_KEY_ID = "new"
    # then new values use the new key and the old value still decrypts
    new_token = crypto.encrypt_text(ID, context=CONTEXT)
    assert crypto.key_id_of(new_token) == "new"
    assert crypto.decrypt_text(old_token, context=CONTEXT) == ID
    assert crypto.decrypt_text(new_token, context=CONTEXT) == ID
    # and once the old key is retired its ciphertext no longer decrypts
    settings.JIEDU_DATA_KEYS = f"new:{NEW_KEY}"
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(old_token, context=CONTEXT)


def test_same_key_id_with_another_key_fails_to_decrypt(settings, fresh_key_ring):
    settings.JIEDU_DATA_KEYS = f"k1:{OLD_KEY}"
    settings.JIEDU_DATA_KEY_ID = "k1"
    token = crypto.encrypt_text(ID, context=CONTEXT)
    settings.JIEDU_DATA_KEYS = f"k1:{NEW_KEY}"
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(token, context=CONTEXT)


@pytest.mark.parametrize(
    ("keys", "active"),
    [
        (f"short:{base64.b64encode(b'too-short').decode()}", "short"),
        (f"k1:{OLD_KEY}", "missing"),
        (f"bad$id:{OLD_KEY}", "bad$id"),
        (f":{OLD_KEY}", ""),
    ],
)
def test_misconfigured_keys_are_refused(settings, fresh_key_ring, keys, active):
    settings.JIEDU_DATA_KEYS = keys
    settings.JIEDU_DATA_KEY_ID = active
    with pytest.raises(ImproperlyConfigured):
        crypto.key_ring()


def test_short_blind_index_key_is_refused(settings, fresh_key_ring):
    settings.JIEDU_BLIND_INDEX_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(ImproperlyConfigured):
        crypto.key_ring()


# --- blind index ---------------------------------------------------------------------------------


def test_blind_index_is_the_same_for_full_width_and_ascii(fresh_key_ring):
    full_width = "１５０１０２１９８００１０１００１４"
    assert crypto.blind_index(full_width, context=CONTEXT) == crypto.blind_index(ID, context=CONTEXT)


def test_blind_index_is_the_same_for_lower_case_x_and_spaces(fresh_key_ring):
    assert crypto.blind_index("11010519491231002x", context=CONTEXT) == crypto.blind_index(
        "110105 19491231 002X", context=CONTEXT
    )


def test_blind_index_differs_across_contexts_and_values(fresh_key_ring):
    by_id = crypto.blind_index(ID, context="id_number")
    assert by_id != crypto.blind_index(ID, context="phone")
    assert by_id != crypto.blind_index("11010519491231002X", context="id_number")
    assert len(by_id) == 64 and int(by_id, 16) >= 0
    assert ID not in by_id


def test_blind_index_depends_on_the_key(settings, fresh_key_ring):
    before = crypto.blind_index(ID, context=CONTEXT)
    settings.JIEDU_BLIND_INDEX_KEY = base64.b64encode(b"another-blind-index-key!").decode()
    assert crypto.blind_index(ID, context=CONTEXT) != before


# --- masking -------------------------------------------------------------------------------------


def test_id_number_is_masked_as_first_6_eight_stars_last_4():
    assert mask_id_number(ID) == "150102********0014"
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_phone_is_masked_as_138_stars_5678():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("empty", ["", None])
def test_masking_empty_values(empty):
    assert mask_id_number(empty) == ""
    assert mask_phone(empty) == ""


def test_short_values_are_fully_masked():
    assert mask_id_number("123456") == "******"
    assert mask_phone("1234567") == "*******"
