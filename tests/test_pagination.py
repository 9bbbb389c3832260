"""Long lists come a page at a time, newest first, and every item stays reachable (#12)."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from django.test import Client

from conftest import signed_in
from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.couples.models import Space
from mend.lib.pagination import PAGE_SIZE
from mend.privacy.models import AccessLog

START = datetime(2026, 6, 1, 9, tzinfo=UTC)


def log_views(space: Space, viewer: User, author: User, count: int) -> list[str]:
    """COUNT views, in runs of seven that share one moment (as one request writes them)."""
    rows = [
        AccessLog(
            space=space,
            viewer=viewer,
            viewer_name=str(viewer),
            author=author,
            kind=f"entry {n}",
            object_code=uuid.uuid4(),
            viewed_at=START + timedelta(minutes=n // 7),
        )
        for n in range(count)
    ]
    AccessLog.objects.bulk_create(rows)
    return [row.kind for row in rows]


def walk_pages(client: Client, path: str) -> list[str]:
    seen: list[str] = []
    while path:
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        seen += re.findall(r"<td>(entry \d+)</td>", html)
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', html)
        path = "/privacy/log/" + older.group(1) if older else ""
    return seen


def test_it_shows_every_view_once_a_page_at_a_time(
    space: Space, ana: User, ben: User
) -> None:
    kinds = log_views(space, ben, ana, PAGE_SIZE * 2 + 13)
    client = signed_in(ana)
    first = client.get("/privacy/log/").content.decode()
    assert len(re.findall(r"<td>entry \d+</td>", first)) == PAGE_SIZE
    assert "Show older" in first
    seen = walk_pages(client, "/privacy/log/")
    # Newest first; views of one moment come in the order they were written, reversed.
    assert sorted(seen) == sorted(kinds)
    assert len(seen) == len(set(seen)) == len(kinds)


def test_it_gives_the_api_the_older_page_as_a_link(
    space: Space, ana: User, ben: User
) -> None:
    kinds = log_views(space, ben, ana, PAGE_SIZE + 20)
    client = signed_in(ana)
    seen: list[str] = []
    url = "/api/privacy/access-log"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [row["kind"] for row in response.json()]
        link = response.headers.get("Link")
        url = re.match(r'<([^>]+)>; rel="next"', link).group(1) if link else ""
        pages += 1
    assert pages == 2
    assert sorted(seen) == sorted(kinds) and len(seen) == len(kinds)


def test_it_refuses_a_cursor_it_did_not_make(space: Space, ana: User) -> None:
    client = signed_in(ana)
    for bad in ("x", "1.2.3", "-5.0", "99999999999999999999999.0", "1.-1", "9" * 60):
        assert client.get(f"/privacy/log/?before={bad}").status_code == 400
        response = client.get(f"/api/privacy/access-log?before={bad}")
        assert response.status_code == 400
        assert "does not exist" in response.json()["detail"]


def retire(space: Space, a: User, b: User, text: str) -> None:
    item = Agreement.propose(space, a, category=Category.values[0], text=text)
    version = item.versions.get()
    version.affirm(b, "I agree")
    version.confirm(a)
    item.propose_retirement(a)
    item.agree_retirement(b)


def test_it_pages_retired_agreements_and_keeps_history_to_the_item(
    space: Space, ana: User, ben: User
) -> None:
    for n in range(PAGE_SIZE + 3):
        retire(space, ana, ben, f"retired item {n}")
    kept = Agreement.propose(space, ana, category=Category.values[0], text="in force")
    first = kept.versions.get()
    first.affirm(ben, "I agree")
    first.confirm(ana)
    edit = kept.propose_edit(ben, text="in force, reworded")
    edit.affirm(ana, "I agree")
    edit.confirm(ben)
    client = signed_in(ben)

    (current,) = client.get("/api/agreements").json()
    assert current["text"] == "in force, reworded"
    # The list carries the live wording; the item's own page keeps the history.
    assert [v["text"] for v in current["versions"]] == ["in force, reworded"]
    detail = client.get(f"/api/agreements/{current['code']}").json()
    assert [v["text"] for v in detail["versions"]] == ["in force", "in force, reworded"]

    response = client.get("/api/agreements?retired=true")
    newest = response.json()
    assert len(newest) == PAGE_SIZE
    assert newest[0]["text"] == f"retired item {PAGE_SIZE + 2}"
    older_url = re.match(r'<([^>]+)>; rel="next"', response.headers["Link"]).group(1)
    older = client.get(older_url).json()
    assert [a["text"] for a in older] == [
        "retired item 2",
        "retired item 1",
        "retired item 0",
    ]

    # The agreements page links to them; they are listed on a page of their own.
    index = client.get("/agreements/").content.decode()
    assert "retired item" not in index and 'href="/agreements/retired/"' in index
    page = client.get("/agreements/retired/").content.decode()
    assert "retired item 0" not in page and f"retired item {PAGE_SIZE + 2}" in page
    link = re.search(r'href="(\?before=[^"]+)" rel="next"', page).group(1)
    older_page = client.get("/agreements/retired/" + link).content.decode()
    assert "retired item 0" in older_page and "in force, reworded" not in older_page


def walk(client: Client, path: str, pattern: str) -> list[str]:
    """Follow "Show older" from PATH; return every match of PATTERN on every page."""
    seen: list[str] = []
    base = path
    while path:
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        seen += re.findall(pattern, html)
        older = re.search(r'href="(\?before=[^"]+)" rel="next"', html)
        path = base + older.group(1).replace("&amp;", "&") if older else ""
    return seen


def walk_api(client: Client, url: str, field: str) -> list[str]:
    seen: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [row[field] for row in response.json()]
        link = response.headers.get("Link")
        url = re.match(r'<([^>]+)>; rel="next"', link).group(1) if link else ""
    return seen


def test_it_reaches_every_journal_entry_even_those_written_at_one_moment(
    space: Space, ana: User, ben: User
) -> None:
    """A "before this time" cursor lost entries sharing the moment a page ended on."""
    import time_machine

    from conftest import PASSWORD
    from mend.accounts.models import Keyring
    from mend.journal.actions import write_entry

    key = Keyring.objects.get(user=ana).open_with_password(PASSWORD)
    with time_machine.travel(START, tick=False):
        for n in range(PAGE_SIZE + 5):
            write_entry(space, ana, key, title=f"entry {n:03}", body="b", share=True)
    titles = sorted(f"entry {n:03}" for n in range(PAGE_SIZE + 5))
    seen = walk(signed_in(ben), "/journal/", r"entry \d{3}")
    assert sorted(set(seen)) == titles
    assert sorted(walk_api(signed_in(ben), "/api/journal/entries", "title")) == titles


def test_it_reaches_every_note_of_appreciation_even_those_written_at_one_moment(
    space: Space, ana: User, ben: User
) -> None:
    import time_machine

    from mend.story.models import Appreciation

    with time_machine.travel(START, tick=False):
        for n in range(PAGE_SIZE + 5):
            Appreciation.objects.create(space=space, author=ana, text=f"note {n:03}")
    texts = sorted(f"note {n:03}" for n in range(PAGE_SIZE + 5))
    seen = walk(signed_in(ben), "/story/appreciations/", r"note \d{3}")
    assert sorted(set(seen)) == texts
    assert sorted(walk_api(signed_in(ben), "/api/story/appreciations", "text")) == texts
