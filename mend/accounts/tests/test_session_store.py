from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from mend.accounts.models import SignedInSession, User


def test_it_keeps_no_usable_session_key_in_the_database(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get()
    assert row.session_key != cookie
    assert cookie not in {s.key_hash for s in SignedInSession.objects.all()}

    # Someone with a copy of the table puts the stored key in a cookie.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = row.session_key
    assert thief.get("/privacy/").status_code == 302
    # The real cookie still works, and the row survived the thief's attempt.
    assert client.get("/privacy/").status_code == 200


def test_it_signs_out_and_deletes_the_row(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    client.post("/accounts/logout/")
    assert not Session.objects.filter(
        session_key__in=SignedInSession.objects.values("key_hash")
    ).exists()
    assert client.get("/privacy/").status_code == 302
