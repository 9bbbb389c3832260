"""A journal the partner can answer: replies, "I read this", questions, withdrawing (#16)."""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.journal.models import JournalEntry, JournalReply
from mend.privacy.models import AccessLog


def _write(
    client: Client, body: str, *, share: bool = False, question: bool = False
) -> JournalEntry:
    data = {"title": "t", "body": body}
    if share:
        data["share"] = "on"
    if question:
        data["is_question"] = "on"
    response = client.post("/journal/new/", data)
    assert response.status_code == 302, response.content
    return JournalEntry.objects.latest("created_at")


def test_a_reply_and_i_read_this_are_visible_to_the_author(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "Something I wanted you to know", share=True)
    assert b.post(f"/journal/{entry.code}/read/").status_code == 302
    assert b.post(f"/journal/{entry.code}/read/").status_code == 302  # once is enough
    b.post(f"/journal/{entry.code}/reply/", {"text": "Thank you for telling me."})
    page = a.get(f"/journal/{entry.code}/").content.decode()
    assert "Ben read this" in page
    assert "Thank you for telling me." in page
    assert JournalReply.objects.filter(kind="read").count() == 1
    # Ana reading Ben's reply is Ben's words read: in the access log both read.
    assert AccessLog.objects.filter(viewer=ana, author=ben).exists()
    # Ana cannot reply to herself; nobody replies to a private entry.
    assert a.post(f"/journal/{entry.code}/reply/", {"text": "x"}).status_code == 400
    private = _write(a, "mine alone")
    assert b.post(f"/journal/{private.code}/reply/", {"text": "x"}).status_code == 404
    assert b.post(f"/journal/{private.code}/read/").status_code == 404


def test_a_question_stays_on_the_partners_list_until_answered(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "What helps you most on a hard day?", share=True, question=True)
    assert b"Questions for you" in b.get("/journal/").content
    assert [q["code"] for q in b.get("/api/journal/questions").json()] == [
        str(entry.code)
    ]
    b.post(f"/journal/{entry.code}/read/")  # reading is not answering
    assert b"Questions for you" in b.get("/journal/").content
    b.post(f"/journal/{entry.code}/reply/", {"text": "A walk, with you."})
    assert b"Questions for you" not in b.get("/journal/").content
    assert b.get("/api/journal/questions").json() == []
    assert b"Questions for you" not in a.get("/journal/").content


def test_a_question_must_be_shared(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).post(
        "/journal/new/", {"title": "", "body": "kept", "is_question": "on"}
    )
    assert page.status_code == 200
    assert b"tick" in page.content and b"kept" in page.content
    assert not JournalEntry.objects.exists()


def test_withdrawing_shows_the_partner_withdrawn(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "I changed my mind about this", share=True, question=True)
    a.post(f"/journal/{entry.code}/unshare/")
    listing = b.get("/journal/").content.decode()
    assert "withdrawn" in listing
    assert "I changed my mind" not in listing
    assert "Questions for you" not in listing
    page = b.get(f"/journal/{entry.code}/")
    assert page.status_code == 410 and b"Withdrawn" in page.content
    api = b.get("/api/journal/entries").json()
    assert [(e["is_withdrawn"], e["body"]) for e in api] == [(True, "")]
    assert b.get(f"/api/journal/entries/{entry.code}").status_code == 410
    # Shared again, it reads as before.
    a.post(f"/journal/{entry.code}/share/")
    assert b"I changed my mind" in b.get(f"/journal/{entry.code}/").content


class Elements(HTMLParser):
    """Every element a browser would build from a page: (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.found


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<p onclick="alert(1)">hi</p>',
]


@pytest.mark.parametrize("body", XSS)
def test_raw_html_never_reaches_a_page(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    body: str,
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, body, share=True)
    b.post(f"/journal/{entry.code}/reply/", {"text": body})
    for client in (a, b):
        page = client.get(f"/journal/{entry.code}/").content.decode()
        built = elements(page)
        assert not [t for t, _a in built if t in ("img", "svg", "iframe")]
        # Mend's own scripts are files (CSP forbids inline ones); none came from text.
        assert all(a.get("src") for t, a in built if t == "script")
        assert not [a for _t, a in built if any(k.startswith("on") for k in a)]
        assert not [
            a
            for _t, a in built
            if (a.get("href") or "").strip().lower().startswith("javascript:")
        ]
        assert "alert(1)" in page  # still there, as text


def test_simple_formatting_renders(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    entry = _write(a, "One *soft* thing.\n\n- first\n- second\n\n**strong**")
    page = a.get(f"/journal/{entry.code}/").content.decode()
    assert "<em>soft</em>" in page
    assert "<li>first</li>" in page
    assert "<strong>strong</strong>" in page


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 100_000],
)
def test_a_bad_reply_gets_a_clear_error_and_keeps_the_text(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    text: str,
) -> None:
    entry = _write(client_for(ana), "shared", share=True)
    b = client_for(ben)
    page = b.post(f"/journal/{entry.code}/reply/", {"text": text})
    assert page.status_code == 400
    assert b'class="errorlist' in page.content
    if text.strip():
        assert text.encode() in page.content
    assert not JournalReply.objects.exists()
    api = b.post(
        f"/api/journal/entries/{entry.code}/replies",
        {"text": text},
        content_type="application/json",
    )
    assert api.status_code in (400, 422)


@pytest.mark.parametrize(
    "text", ["مرحبا، قرأت ما كتبت", "thank you 🌷👩‍❤️‍👨", "\u202eevil override"]
)
def test_right_to_left_and_emoji_replies_are_kept_whole(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    text: str,
) -> None:
    entry = _write(client_for(ana), "shared", share=True)
    client_for(ben).post(f"/journal/{entry.code}/reply/", {"text": text})
    assert JournalReply.objects.get().text == text
    assert text.encode() in client_for(ana).get(f"/journal/{entry.code}/").content


def test_the_api_answers_too(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    j = "application/json"
    made = a.post(
        "/api/journal/entries",
        {"body": "a question", "share": True, "is_question": True},
        content_type=j,
    )
    assert made.status_code == 201
    code = made.json()["code"]
    assert b.post(f"/api/journal/entries/{code}/read").status_code == 201
    reply = b.post(
        f"/api/journal/entries/{code}/replies", {"text": "yes"}, content_type=j
    )
    assert reply.status_code == 201
    kinds = [r["kind"] for r in a.get(f"/api/journal/entries/{code}/replies").json()]
    assert kinds == ["read", "reply"]
    assert (
        a.post(
            f"/api/journal/entries/{code}/question",
            {"is_question": False},
            content_type=j,
        ).json()["is_question"]
        is False
    )


def test_deleting_an_entry_the_partner_could_see_leaves_them_a_notice_not_its_words(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Nothing the partner read vanishes without a word; nothing of it is kept either."""
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "WORDS-THAT-GO", share=True, question=True)
    assert b.post(f"/journal/{entry.code}/reply/", {"text": "I hear you"}).status_code
    deleted = a.post(f"/journal/{entry.code}/delete/", follow=True)
    assert "they see that you withdrew it" in deleted.content.decode()
    # Gone for Ana: her list, the page, the API, and nothing left to share again.
    assert "WORDS-THAT-GO" not in deleted.content.decode()
    assert a.get(f"/journal/{entry.code}/").status_code == 404
    assert a.get("/api/journal/entries").json() == []
    assert a.post(f"/journal/{entry.code}/share/").status_code == 404
    # Ben keeps a notice where it was, never its words, and no question waits.
    listing = b.get("/journal/").content.decode()
    assert "Ana withdrew an entry they had shared, and deleted it." in listing
    assert "WORDS-THAT-GO" not in listing and "Questions for you" not in listing
    page = b.get(f"/journal/{entry.code}/")
    assert page.status_code == 410 and b"Its words are kept nowhere." in page.content
    api = b.get("/api/journal/entries").json()
    assert [(e["is_withdrawn"], e["body"]) for e in api] == [(True, "")]
    assert f"/journal/{entry.code}/" not in b.get("/").content.decode()  # home
    row = JournalEntry.objects.get(pk=entry.pk)
    assert (row.sealed, row.shared_content, row.is_shared) == (None, None, False)
    # One Ana never shared goes without a trace, page or API.
    private = _write(a, "only mine")
    a.post(f"/journal/{private.code}/delete/")
    never = _write(a, "only mine too")
    assert a.delete(f"/api/journal/entries/{never.code}").status_code == 204
    assert not JournalEntry.objects.filter(pk__in=[private.pk, never.pk]).exists()
    # Ben cannot delete Ana's (404: not his), and sees only the one notice.
    assert b.post(f"/journal/{entry.code}/delete/").status_code == 404
    assert len(b.get("/api/journal/entries").json()) == 1


def test_deleting_an_entry_already_withdrawn_keeps_the_partner_s_notice(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "shared once", share=True)
    a.post(f"/journal/{entry.code}/unshare/")
    assert "It is private again." in b.get("/journal/").content.decode()
    assert a.delete(f"/api/journal/entries/{entry.code}").status_code == 204
    assert "and deleted it." in b.get("/journal/").content.decode()
    assert JournalEntry.objects.get(pk=entry.pk).sealed is None
