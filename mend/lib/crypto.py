"""Sealing and key wrapping for private entries.

AES-256-GCM from `cryptography` with a fresh random 96-bit nonce per message, and
Argon2id from argon2-cffi's raw-hash API to derive key-wrapping keys. Every sealed
value carries associated data naming where it belongs (record and field), so a
ciphertext moved to another record or field fails to open instead of decrypting
into the wrong place.
"""

import base64
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"
# Crockford's base32 without I, L, O, U: easy to read aloud and to type.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class SealError(Exception):
    """A sealed value could not be opened: wrong key, wrong place, or altered."""


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def derive(self, secret: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            secret=secret.encode(),
            salt=salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def seal(key: bytes, plaintext: bytes, where: str) -> bytes:
    """Return PLAINTEXT encrypted under KEY and bound to the place named WHERE."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, where.encode())


def unseal(key: bytes, sealed: bytes, where: str) -> bytes:
    """Return the plaintext of SEALED, or raise SealError."""
    sealed = bytes(sealed)
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != VERSION:
        raise SealError("not a sealed value")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, where.encode())
    except InvalidTag as e:
        raise SealError("the sealed value does not open here") from e


def seal_text(key: bytes, text: str, where: str) -> bytes:
    return seal(key, text.encode(), where)


def unseal_text(key: bytes, sealed: bytes, where: str) -> str:
    return unseal(key, sealed, where).decode()


def new_code(groups: int = 5, size: int = 4) -> str:
    """Return a random code such as 7KQM-3PXA-..., for recovery codes and invites."""
    chars = [secrets.choice(CODE_ALPHABET) for _ in range(groups * size)]
    return "-".join("".join(chars[i : i + size]) for i in range(0, len(chars), size))


def normalise_code(code: str) -> str:
    """Return CODE as typed by a person, uppercased, without spaces or dashes."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    return "".join(c for c in code.upper() if c.isalnum()).translate(table)


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())
