import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import Keyring, SignedInSession, User
from mend.couples.models import Space
from mend.journal.models import JournalEntry
from mend.lib.errors import Refused


def test_it_starts_a_new_key_and_old_entries_stay_sealed(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client_for(ana).post("/journal/new/", {"body": "before the reset"})
    out = io.StringIO()
    call_command(
        "resetpassword",
        "ana",
        "--password-stdin",
        stdin=io.StringIO("a brand new passphrase 9\n"),
        stdout=out,
    )
    assert "New recovery code" in out.getvalue()
    assert not SignedInSession.objects.filter(user=ana).exists()
    key = Keyring.objects.get(user=ana).open_with_password("a brand new passphrase 9")
    entry = JournalEntry.objects.get(author=ana)
    with pytest.raises(Refused):
        entry.content(key, ana)
    with pytest.raises(Exception):  # noqa: B017  # the old password opens nothing now
        Keyring.objects.get(user=ana).open_with_password(PASSWORD)


def test_it_refuses_an_unknown_person(db: None) -> None:
    with pytest.raises(CommandError):
        call_command(
            "resetpassword", "nobody", "--password-stdin", stdin=io.StringIO("x\n")
        )


def test_it_refuses_a_weak_password(ana: User) -> None:
    with pytest.raises(CommandError):
        call_command(
            "resetpassword", "ana", "--password-stdin", stdin=io.StringIO("123\n")
        )
