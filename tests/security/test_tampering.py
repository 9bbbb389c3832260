"""Sealed values moved or altered in the database are refused, never misread.

Whoever can write to the database could swap two ciphertexts or flip a byte. Every
sealed value is bound to its own record and field, so either way it fails to open,
with a clear message, instead of showing another record's text.
"""

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import PASSWORD, signed_in
from mend.accounts.keyring import SESSION_FIELD, personal_key
from mend.accounts.models import Keyring, User
from mend.couples.models import Space
from mend.journal.actions import write_entry
from mend.journal.models import JournalEntry
from mend.lib.crypto import SealError
from mend.lib.errors import Refused
from mend.privacy.models import SpaceKey


def _key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


def _flips(sealed: bytes) -> list[bytes]:
    """Return SEALED altered by one byte at each region: version, nonce, body, tag."""
    sealed = bytes(sealed)
    spots = sorted({0, 1, 12, 13, len(sealed) // 2, len(sealed) - 17, len(sealed) - 1})
    return [sealed[:i] + bytes([sealed[i] ^ 0x01]) + sealed[i + 1 :] for i in spots]


def _entries(space: Space, ana: User) -> tuple[JournalEntry, JournalEntry]:
    key = _key(ana)
    first = write_entry(space, ana, key, title="", body="zq first words", share=False)
    second = write_entry(space, ana, key, title="", body="zq second words", share=False)
    return first, second


def test_a_swapped_entry_is_refused_not_misread(space: Space, ana: User) -> None:
    first, second = _entries(space, ana)
    first.sealed, second.sealed = second.sealed, first.sealed
    first.save(update_fields=["sealed"])
    second.save(update_fields=["sealed"])
    key = _key(ana)
    for entry in (first, second):
        with pytest.raises(Refused) as refused:
            JournalEntry.objects.get(pk=entry.pk).content(key, ana)
        assert refused.value.status == 410
    page = signed_in(ana).get(f"/journal/{first.code}/")
    assert page.status_code == 410
    assert b"zq second words" not in page.content
    assert b"no longer opens" in page.content
    api = signed_in(ana).get(f"/api/journal/entries/{first.code}")
    assert api.status_code == 410
    assert "zq second" not in api.content.decode()


def test_an_entry_altered_by_one_byte_is_refused(space: Space, ana: User) -> None:
    entry, _other = _entries(space, ana)
    key = _key(ana)
    for altered in _flips(entry.sealed or b""):
        entry.sealed = altered
        with pytest.raises(Refused):
            entry.content(key, ana)
    entry.save(update_fields=["sealed"])
    listing = signed_in(ana).get("/journal/")
    assert listing.status_code == 200
    assert b"zq first words" not in listing.content
    assert b"zq second words" in listing.content


def test_keyring_copies_are_bound_to_their_owner(
    space: Space, ana: User, ben: User
) -> None:
    # Ana's wrapped keys, salts and all, copied onto Ben's keyring: the password and
    # the recovery code still derive the same wrapping key, so only the binding to
    # the owner stops the copy from opening.
    a, b = Keyring.objects.get(user=ana), Keyring.objects.get(user=ben)
    key_a = a.open_with_password(PASSWORD)
    code_a = a.renew(key_a, PASSWORD)
    for field in (
        "password_salt",
        "recovery_salt",
        "wrapped_by_password",
        "wrapped_by_recovery",
        "sealed_private_key",
    ):
        setattr(b, field, getattr(a, field))
    b.save()
    b = Keyring.objects.select_related("user").get(user=ben)
    with pytest.raises(SealError):
        b.open_with_password(PASSWORD)
    with pytest.raises(SealError):
        b.open_with_recovery_code(code_a)
    with pytest.raises(SealError):
        b.private_key(key_a)


def test_an_altered_keyring_locks_entries_without_an_error(
    space: Space, ana: User
) -> None:
    ring = Keyring.objects.get(user=ana)
    for altered in _flips(ring.wrapped_by_password):
        ring.wrapped_by_password = altered
        with pytest.raises(SealError):
            ring.open_with_password(PASSWORD)
    ring.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"locked in this session" in response.content


def test_couple_key_copies_are_bound_to_their_partner(
    space: Space, ana: User, ben: User
) -> None:
    couple_key = SpaceKey.for_partner(space, ana, _key(ana))
    assert SpaceKey.for_partner(space, ben, _key(ben)) == couple_key
    mine = SpaceKey.objects.get(space=space, user=ana)
    theirs = SpaceKey.objects.get(space=space, user=ben)
    original = bytes(mine.wrapped)
    mine.wrapped, theirs.wrapped = theirs.wrapped, mine.wrapped
    mine.save()
    theirs.save()
    # Refused in plain words (a 409), never opened into the other partner's copy.
    with pytest.raises(Refused):
        SpaceKey.for_partner(space, ana, _key(ana))
    for altered in _flips(original):
        mine.wrapped = altered
        mine.save()
        with pytest.raises(Refused):
            SpaceKey.for_partner(space, ana, _key(ana))


def test_an_altered_session_key_locks_instead_of_opening(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    session = client.session
    sealed = session[SESSION_FIELD]
    session[SESSION_FIELD] = sealed[:-4] + ("AAAA" if sealed[-4:] != "AAAA" else "BBBB")
    session.save()
    response = client.get("/journal/")
    assert response.status_code == 200
    request = response.wsgi_request
    assert personal_key(request) is None
