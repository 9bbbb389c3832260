"""Search: your own entries and what was shared with you; private ones for you alone (#16)."""

from collections.abc import Callable

import pytest
from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.models import MAX_QUERY, JournalEntry
from mend.privacy.export import build_export

WORD = "lighthouse"


def _write(client: Client, body: str, share: bool = False) -> JournalEntry:
    data = {"title": "t", "body": body}
    if share:
        data["share"] = "on"
    assert client.post("/journal/new/", data).status_code == 302
    return JournalEntry.objects.latest("created_at")


def test_the_author_finds_their_own_private_entry(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    _write(a, f"We walked to the {WORD.upper()} at dusk")
    _write(a, "something else")
    page = a.get("/journal/search/", {"q": WORD}).content.decode()
    assert "at dusk" in page and "something else" not in page
    found = a.get("/api/journal/search", {"q": WORD}).json()
    assert [e["body"] for e in found] == [f"We walked to the {WORD.upper()} at dusk"]


def test_each_finds_what_was_shared_with_them(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _write(a, f"shared {WORD} memory", share=True)
    assert b"shared lighthouse memory" in b.get("/journal/search/", {"q": WORD}).content


def test_the_partner_never_finds_a_private_entry(
    space: Space,
    ana: User,
    ben: User,
    dan: User,
    client_for: Callable[[User], Client],
) -> None:
    a, b = client_for(ana), client_for(ben)
    private = _write(a, f"private {WORD} thought")
    withdrawn = _write(a, f"withdrawn {WORD} thought", share=True)
    a.post(f"/journal/{withdrawn.code}/unshare/")
    for client in (b, client_for(dan)):
        pages = [
            client.get("/journal/search/", {"q": WORD}),
            client.get("/journal/search/", {"q": "thought"}),
            client.get("/journal/"),
            client.get(f"/journal/{private.code}/"),
            client.get(f"/journal/{withdrawn.code}/"),
            client.get("/api/journal/search", {"q": WORD}),
            client.get("/api/journal/entries"),
            client.get("/api/journal/questions"),
            client.get(f"/api/journal/entries/{private.code}"),
            client.get(f"/api/journal/entries/{private.code}/replies"),
            client.get("/story/"),
            client.get("/"),
        ]
        for page in pages:
            # The query itself is echoed in the search box; the entries' words never.
            assert f"{WORD} thought" not in page.content.decode()
    assert WORD not in str(build_export(ben, None))
    b.post("/privacy/export/", {"password": PASSWORD})
    assert WORD.encode() not in b.get("/privacy/export.json").content


@pytest.mark.parametrize(
    "query,status",
    [("", 400), ("   ", 400), ("x" * 100_000, 400), ("x" * (MAX_QUERY + 1), 400)],
)
def test_a_bad_query_gets_a_clear_error(
    space: Space,
    ana: User,
    client_for: Callable[[User], Client],
    query: str,
    status: int,
) -> None:
    a = client_for(ana)
    page = a.get("/journal/search/", {"q": query})
    assert page.status_code == status
    assert b'class="errorlist' in page.content
    assert a.get("/api/journal/search", {"q": query}).status_code == 400


@pytest.mark.parametrize("word", ["<script>alert(1)</script>", "مرحبا", "🌷", "ÉTÉ"])
def test_any_query_is_safe_and_finds_unicode(
    space: Space, ana: User, client_for: Callable[[User], Client], word: str
) -> None:
    a = client_for(ana)
    _write(a, f"private {word.lower()} words")
    page = a.get("/journal/search/", {"q": word})
    assert page.status_code == 200
    assert b"<script>alert" not in page.content
    assert b"private" in page.content


def test_a_token_without_private_access_searches_shared_only(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    from mend.accounts.models import ApiToken

    a = client_for(ana)
    _write(a, f"private {WORD}")
    _write(a, f"shared {WORD}", share=True)
    _token, secret = ApiToken.issue(ana, "t")
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(
        "/api/journal/search", {"q": WORD}
    )
    assert [e["body"] for e in answer.json()] == [f"shared {WORD}"]
    assert answer["Mend-Private-Left-Out"] == "1"


def test_the_partner_s_entries_a_search_shows_are_logged(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.privacy.models import AccessLog

    entry = _write(client_for(ana), f"shared {WORD}", share=True)
    client_for(ben).get("/journal/search/", {"q": WORD})
    log = AccessLog.objects.for_member(ana).get()
    assert (log.viewer, log.object_code) == (ben, entry.code)
