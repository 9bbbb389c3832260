"""A sealed value's size says nothing about a short plaintext.

Whoever holds the database sees every ciphertext's length. Before padding, the four
inventory answers ("yes", "maybe", "not_now", "no") sealed to four sizes, so the size
alone read every answer. Every sealed value is now padded at the one sealing root,
mend/lib/crypto.py, and values written before padding still open.
"""

import secrets
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Answer, InventoryAnswer, InventoryItem
from mend.couples.models import Space
from mend.journal.models import JournalEntry
from mend.lib.crypto import (
    MIN_PADDED,
    NONCE_BYTES,
    SealError,
    new_key,
    new_keypair,
    seal,
    seal_to,
    unseal,
    unseal_from,
)

OVERHEAD = 1 + NONCE_BYTES + 16  # version byte, nonce, GCM tag


def _stored(table: str) -> list[bytes]:
    """Return the raw bytes of every `sealed` value in TABLE, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sealed FROM {table} WHERE sealed IS NOT NULL")  # noqa: S608  # fixed table names
        return [bytes(row[0]) for row in cursor.fetchall()]


def test_it_stores_every_inventory_answer_at_one_size(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    clients = {ana: client_for(ana), ben: client_for(ben)}
    for client in clients.values():
        assert client.get("/agreements/inventory/").status_code == 200
    items = list(InventoryItem.objects.filter(space=None)[: len(Answer.values) * 2])
    for i, item in enumerate(items):
        for j, client in enumerate(clients.values()):
            answer = Answer.values[(i + j) % len(Answer.values)]
            response = client.post(
                "/agreements/inventory/", {f"item-{item.code}": answer}
            )
            assert response.status_code == 302
    answered = InventoryAnswer.objects.count()
    assert answered == len(items) * 2
    sizes = {len(sealed) for sealed in _stored("agreements_inventoryanswer")}
    assert sizes == {OVERHEAD + MIN_PADDED}


def test_it_stores_short_private_entries_at_one_size(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for body in ("no", "yes", "I felt ignored tonight and I need a hug.", "x" * 150):
        assert (
            client.post("/journal/new/", {"title": "", "body": body}).status_code == 302
        )
    assert JournalEntry.objects.count() == 4
    assert {len(s) for s in _stored("journal_journalentry")} == {OVERHEAD + MIN_PADDED}


@pytest.mark.parametrize("size", [0, 1, 2, 7, 100, MIN_PADDED - 4])
def test_it_pads_every_short_value_to_the_minimum(size: int) -> None:
    key = new_key()
    plaintext = secrets.token_bytes(size)
    sealed = seal(key, plaintext, "here")
    assert len(sealed) == OVERHEAD + MIN_PADDED
    assert unseal(key, sealed, "here") == plaintext


def test_it_reveals_only_the_power_of_two_of_a_long_value() -> None:
    key = new_key()
    sizes = {n: len(seal(key, b"a" * n, "here")) - OVERHEAD for n in (300, 500, 508)}
    assert sizes == {300: 512, 500: 512, 508: 512}
    assert len(seal(key, b"a" * 509, "here")) - OVERHEAD == 1024
    assert len(seal(key, b"a" * 5000, "here")) - OVERHEAD == 8192
    assert unseal(key, seal(key, b"a" * 5000, "here"), "here") == b"a" * 5000


def test_it_pads_values_sealed_to_someone() -> None:
    private, public = new_keypair()
    sizes = {len(seal_to(public, b"x" * n, "to")) for n in (1, 32, 200)}
    assert sizes == {32 + OVERHEAD + MIN_PADDED}
    assert unseal_from(private, seal_to(public, b"key", "to"), "to") == b"key"


def _old_format(key: bytes, plaintext: bytes, where: str) -> bytes:
    """Return PLAINTEXT sealed as Mend did before padding: version 1, no padding."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return b"\x01" + nonce + AESGCM(key).encrypt(nonce, plaintext, where.encode())


def test_it_still_opens_a_value_sealed_before_padding() -> None:
    key = new_key()
    old = _old_format(key, b"not_now", "inventory:1")
    assert len(old) == OVERHEAD + len(b"not_now")
    assert unseal(key, old, "inventory:1") == b"not_now"
    with pytest.raises(SealError):
        unseal(key, old, "inventory:2")


def test_it_still_opens_a_private_entry_sealed_before_padding(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    from conftest import PASSWORD
    from mend.accounts.models import Keyring

    client = client_for(ana)
    assert (
        client.post("/journal/new/", {"title": "", "body": "zq old"}).status_code == 302
    )
    entry = JournalEntry.objects.get()
    key = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    entry.sealed = _old_format(
        key, b'{"title": "", "body": "zq old words"}', entry._where()
    )
    entry.save(update_fields=["sealed"])
    assert b"zq old words" in client.get(f"/journal/{entry.code}/").content


def test_a_changed_version_byte_is_refused_not_misread() -> None:
    key = new_key()
    sealed = seal(key, b"yes", "here")
    as_old = b"\x01" + sealed[1:]
    with pytest.raises(SealError):
        unseal(key, as_old, "here")
    old = _old_format(key, b"yes", "here")
    with pytest.raises(SealError):
        unseal(key, sealed[:1] + old[1:], "here")
