"""Chinese national cryptography (SM3 hash, SM4-GCM encryption) for personal identifiers.

Ciphertext format, stored as text: ``sm4gcm$<key id>$<base64(nonce || ciphertext || tag)>``.
A random 96-bit nonce per value; the field's context string is bound as associated data so a
ciphertext copied from one column into another fails to decrypt. Keys are read from settings
when first used, never at import time.
"""

from __future__ import annotations

import base64
import hmac as std_hmac
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SCHEME = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16


class DecryptionError(Exception):
    """The ciphertext is malformed, was made with an unknown key, or was tampered with."""


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, *, associated_data: bytes, nonce: bytes | None = None) -> bytes:
    nonce = nonce or os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, *, associated_data: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("authentication tag mismatch") from exc


@dataclass(frozen=True)
class KeyRing:
    active_id: str
    keys: dict[str, bytes]
    blind_index_key: bytes

    @classmethod
    def from_settings(cls) -> KeyRing:
        keys: dict[str, bytes] = {}
        for entry in settings.JIEDU_DATA_KEYS.split(","):
            key_id, _, encoded = entry.strip().partition(":")
            key = base64.b64decode(encoded)
            if not key_id or "$" in key_id or len(key) != KEY_BYTES:
                raise ImproperlyConfigured("JIEDU_DATA_KEYS entries must be 'id:base64 of 16 bytes'")
            keys[key_id] = key
        if settings.JIEDU_DATA_KEY_ID not in keys:
            raise ImproperlyConfigured("JIEDU_DATA_KEY_ID names no key in JIEDU_DATA_KEYS")
        blind = base64.b64decode(settings.JIEDU_BLIND_INDEX_KEY)
        if len(blind) < 16:
            raise ImproperlyConfigured("JIEDU_BLIND_INDEX_KEY must be at least 16 bytes")
        return cls(active_id=settings.JIEDU_DATA_KEY_ID, keys=keys, blind_index_key=blind)


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    return KeyRing.from_settings()


def encrypt_text(plaintext: str, *, context: str) -> str:
    ring = key_ring()
    blob = sm4_gcm_encrypt(ring.keys[ring.active_id], plaintext.encode(), associated_data=context.encode())
    return f"{SCHEME}${ring.active_id}${base64.b64encode(blob).decode()}"


def decrypt_text(token: str, *, context: str) -> str:
    scheme, _, rest = token.partition("$")
    key_id, _, encoded = rest.partition("$")
    if scheme != SCHEME or not encoded:
        raise DecryptionError("not an encrypted value")
    key = key_ring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise DecryptionError("bad base64") from exc
    return sm4_gcm_decrypt(key, blob, associated_data=context.encode()).decode()


def key_id_of(token: str) -> str:
    return token.split("$")[1]


def normalise_for_index(value: str) -> str:
    """Full-width digits and letters fold to ASCII, case folds, spaces go: one person, one index."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str, *, context: str) -> str:
    """Keyed HMAC-SM3 of the normalised value: exact-match search without decrypting."""
    data = f"{context}\x1f{normalise_for_index(value)}".encode()
    return hmac_sm3(key_ring().blind_index_key, data).hex()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())
