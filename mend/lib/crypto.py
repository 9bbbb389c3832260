"""Sealing and key wrapping for private entries.

AES-256-GCM from `cryptography` with a fresh random 96-bit nonce per message, and
Argon2id from argon2-cffi's raw-hash API to derive key-wrapping keys. Every sealed
value carries associated data naming where it belongs (record and field), so a
ciphertext moved to another record or field fails to open instead of decrypting
into the wrong place.

Every sealed value is padded before it is encrypted, so its size says nothing about a
short plaintext: a 4-byte length, the plaintext, then zeros up to MIN_PADDED bytes,
or up to the next power of two for longer values. A "no" and a "yes" seal to the same
size; a long text reveals only the power of two its length falls under. Values sealed
before padding (version 1) still open; everything new is written as version 2, whose
version byte is bound into the associated data so one cannot pass for the other.
"""

import base64
import secrets
from dataclasses import dataclass

from argon2.low_level import ARGON2_VERSION, Type, core, error_to_str, ffi
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

KEY_BYTES = 32
NONCE_BYTES = 12
# Every padded plaintext takes at least this many bytes (length prefix included).
MIN_PADDED = 256
UNPADDED = b"\x01"  # written before padding; read, never written
VERSION = b"\x02"
LENGTH_BYTES = 4
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
        """Argon2id with PARALLELISM lanes computed on one thread.

        The result is the same as argon2-cffi's hash_secret_raw (which starts a thread
        per lane); one thread keeps a derivation to one core, so the others stay free
        for pages and pauses while someone signs in (bench/signin_load.py).
        """
        password = secret.encode()
        out = ffi.new("uint8_t[]", KEY_BYTES)
        c_password = ffi.new("uint8_t[]", password)
        c_salt = ffi.new("uint8_t[]", salt)
        ctx = ffi.new(
            "argon2_context *",
            {
                "version": ARGON2_VERSION,
                "out": out,
                "outlen": KEY_BYTES,
                "pwd": c_password,
                "pwdlen": len(password),
                "salt": c_salt,
                "saltlen": len(salt),
                "secret": ffi.NULL,
                "secretlen": 0,
                "ad": ffi.NULL,
                "adlen": 0,
                "t_cost": self.time_cost,
                "m_cost": self.memory_kib,
                "lanes": self.parallelism,
                "threads": 1,
                "allocate_cbk": ffi.NULL,
                "free_cbk": ffi.NULL,
                "flags": 0,  # ARGON2_DEFAULT_FLAGS in argon2.h
            },
        )
        status = core(ctx, Type.ID.value)
        if status != 0:  # ARGON2_OK
            raise ValueError(error_to_str(status))
        return bytes(ffi.buffer(out, KEY_BYTES))


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def padded_size(length: int) -> int:
    """Return how many bytes a plaintext of LENGTH bytes takes once padded."""
    needed = LENGTH_BYTES + length
    return max(MIN_PADDED, 1 << (needed - 1).bit_length())


def _pad(plaintext: bytes) -> bytes:
    size = padded_size(len(plaintext))
    return len(plaintext).to_bytes(LENGTH_BYTES, "big") + plaintext.ljust(
        size - LENGTH_BYTES, b"\0"
    )


def _unpad(padded: bytes) -> bytes:
    length = int.from_bytes(padded[:LENGTH_BYTES], "big")
    if length > len(padded) - LENGTH_BYTES:
        raise SealError("the sealed value is malformed")
    return padded[LENGTH_BYTES : LENGTH_BYTES + length]


def seal(key: bytes, plaintext: bytes, where: str) -> bytes:
    """Return PLAINTEXT padded, encrypted under KEY and bound to the place WHERE."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return (
        VERSION
        + nonce
        + AESGCM(key).encrypt(nonce, _pad(plaintext), VERSION + where.encode())
    )


def unseal(key: bytes, sealed: bytes | memoryview, where: str) -> bytes:
    """Return the plaintext of SEALED (padded or from before padding), or raise SealError."""
    sealed = bytes(sealed)
    version = sealed[:1]
    if len(sealed) < 1 + NONCE_BYTES + 16 or version not in (VERSION, UNPADDED):
        raise SealError("not a sealed value")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    aad = where.encode() if version == UNPADDED else VERSION + where.encode()
    try:
        opened = AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as e:
        raise SealError("the sealed value does not open here") from e
    return opened if version == UNPADDED else _unpad(opened)


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


def new_keypair() -> tuple[bytes, bytes]:
    """Return an X25519 (private, public) pair, for sealing to a person who is away."""
    private = X25519PrivateKey.generate()
    return (
        private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def _shared_key(secret: bytes, where: str) -> bytes:
    return HKDF(
        hashes.SHA256(), KEY_BYTES, salt=None, info=b"mend-seal-to:" + where.encode()
    ).derive(secret)


def seal_to(public: bytes, plaintext: bytes, where: str) -> bytes:
    """Return PLAINTEXT sealed so that only the holder of PUBLIC's private key opens it."""
    ephemeral = X25519PrivateKey.generate()
    secret = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    ephemeral_public = ephemeral.public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw
    )
    return ephemeral_public + seal(_shared_key(secret, where), plaintext, where)


def unseal_from(private: bytes, sealed: bytes | memoryview, where: str) -> bytes:
    sealed = bytes(sealed)
    if len(sealed) < 32:
        raise SealError("not a sealed value")
    try:
        ephemeral = X25519PublicKey.from_public_bytes(sealed[:32])
        secret = X25519PrivateKey.from_private_bytes(private).exchange(ephemeral)
    except ValueError as e:
        raise SealError("the sealed value does not open here") from e
    return unseal(_shared_key(secret, where), sealed[32:], where)
