from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.forms import MAX_BODY
from mend.journal.models import JournalEntry


def test_it_never_lets_the_browser_cut_text(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    for url in ("/journal/new/", "/accounts/profile/", "/safety/triggers/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert b"maxlength" not in page.content, url


def test_it_refuses_text_over_the_limit_clearly_and_keeps_it(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    body = "word " * (MAX_BODY // 5) + "the end that matters"
    page = client_for(ana).post("/journal/new/", {"title": "", "body": body})
    assert page.status_code == 200
    assert f"at most {MAX_BODY:,}".replace(",", "") in page.content.decode().replace(
        ",", ""
    )
    assert b"the end that matters" in page.content
    assert not JournalEntry.objects.exists()
