"""The counselor as witness of a conversation (#17 item 6)."""

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client, TestCase

from conftest import make_couple, make_person, signed_in
from mend.accounts.models import ApiToken, User
from mend.conversations import actions as talk
from mend.conversations.models import MAX_NOTE, Conversation, WitnessNote
from mend.conversations.tests.helpers import proposed, running
from mend.counselor.models import Admission, Counselor, Scope
from mend.counselor.tests.test_counselor import admit
from mend.couples.models import Space
from mend.live.models import Event
from mend.live.tests.test_stream import _async_client, _body, _read_events
from mend.privacy.models import AccessLog
from mend.safety import actions as safety

JSON = "application/json"


@pytest.fixture
def cleo(db: None) -> User:
    # Cleo is a counselor; Ana and Ben admit her and let her see their conversations.
    cleo = make_person("cleo", "Cleo")
    Counselor.become(cleo, "Cleo's practice")
    return cleo


@pytest.fixture
def admission(space: Space, ana: User, ben: User, cleo: User) -> Admission:
    admission = admit(space, ana, ben, cleo)
    for partner in (ana, ben):
        admission.set_scope(partner, Scope.CONVERSATIONS, on=True)
    return admission


@pytest.fixture
def talking(space: Space, ana: User, ben: User) -> Conversation:
    """A conversation under way, Ana's point reflected back by Ben."""
    conversation = running(space, ana, ben)
    turn = talk.say_point(conversation, ana, "zq I felt alone on Sunday")
    talk.reflect(conversation, turn, ben, "zq you felt alone on Sunday")
    return conversation


def page(admission: Admission, conversation: Conversation, rest: str = "") -> str:
    return (
        f"/counselor/couples/{admission.code}/conversations/{conversation.code}/{rest}"
    )


def api(admission: Admission, conversation: Conversation, rest: str = "") -> str:
    path = f"/api/counselor/couples/{admission.code}/conversations/{conversation.code}"
    return path + rest


def note(client: Client, admission: Admission, c: Conversation, text: str) -> Any:
    return client.post(api(admission, c, "/note"), {"text": text}, content_type=JSON)


def test_it_shows_the_turns_to_the_witness(
    admission: Admission, talking: Conversation, cleo: User
) -> None:
    client = signed_in(cleo)
    body = client.get(page(admission, talking)).content.decode()
    assert "zq I felt alone on Sunday" in body
    assert "zq you felt alone on Sunday" in body
    assert "as a witness" in body
    # Nothing to say while it runs: no form of the partners', no note yet.
    assert "Say it" not in body and "End the conversation" not in body
    assert 'name="text"' not in body
    r = client.get(api(admission, talking)).json()
    assert [m["text"] for m in r["turns"][0]["moves"]] == [
        "zq I felt alone on Sunday",
        "zq you felt alone on Sunday",
    ]
    assert r["floor"] == "Ana"


def test_it_lists_the_couple_s_conversations_on_the_couple_page(
    admission: Admission, talking: Conversation, cleo: User
) -> None:
    body = signed_in(cleo).get(f"/counselor/couples/{admission.code}/").content
    assert page(admission, talking).encode() in body
    assert b"zq I felt alone on Sunday" in body


def test_it_logs_each_witness_view(
    admission: Admission, talking: Conversation, cleo: User, ana: User
) -> None:
    signed_in(cleo).get(page(admission, talking))
    row = AccessLog.objects.get(viewer=cleo, object_code=talking.code)
    assert row.viewer_role == "counselor"
    assert row.kind == "conversation"
    assert row.author_id == ana.pk


def test_it_never_lets_the_witness_take_part(
    admission: Admission, talking: Conversation, cleo: User
) -> None:
    client = signed_in(cleo)
    turn = talking.turns.get()
    for path in (
        f"/conversations/{talking.code}/say/",
        f"/conversations/{talking.code}/end/",
        f"/conversations/{talking.code}/pause/",
        f"/conversations/{talking.code}/turns/{turn.code}/confirmation/",
    ):
        assert client.post(path, {"text": "zq counselor"}).status_code == 404
    r = client.post(
        f"/api/conversations/{talking.code}/points",
        {"text": "zq counselor"},
        content_type=JSON,
    )
    assert r.status_code == 404
    assert not talking.turns.filter(moves__by=cleo).exists()


def test_it_refuses_a_note_while_the_conversation_runs(
    admission: Admission, talking: Conversation, cleo: User
) -> None:
    r = note(signed_in(cleo), admission, talking, "zq well done")
    assert r.status_code == 409
    assert "once it has ended" in r.json()["detail"]
    client = signed_in(cleo)
    r = client.post(page(admission, talking, "note/"), {"text": "zq"}, follow=True)
    assert "adds nothing while the conversation runs" in r.content.decode()
    assert not WitnessNote.objects.exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "write your note first"),
        ("   ", "write your note first"),
        ("x" * (MAX_NOTE + 1), f"at most {MAX_NOTE} characters (this one has"),
    ],
)
def test_it_refuses_an_empty_or_too_long_note(
    admission: Admission,
    talking: Conversation,
    cleo: User,
    ana: User,
    text: str,
    says: str,
) -> None:
    talk.end(talking, ana)
    r = note(signed_in(cleo), admission, talking, text)
    assert r.status_code == 400
    assert says in r.json()["detail"]
    assert not WitnessNote.objects.exists()


def test_it_keeps_one_note_after_the_end_and_shows_it_to_the_partners(
    admission: Admission, talking: Conversation, cleo: User, ana: User, ben: User
) -> None:
    talk.end(talking, ben)
    client = signed_in(cleo)
    r = client.post(page(admission, talking, "note/"), {"text": "zq you listened well"})
    assert r.status_code == 302
    body = client.get(page(admission, talking)).content.decode()
    assert "Your note as a witness" in body and "zq you listened well" in body
    assert 'name="text"' not in body
    r = note(client, admission, talking, "zq and another")
    assert r.status_code == 409
    assert "already left your note" in r.json()["detail"]
    assert WitnessNote.objects.get().text == "zq you listened well"
    partner_page = signed_in(ana).get(f"/conversations/{talking.code}/")
    assert "A note from your counselor, Cleo" in partner_page.content.decode()
    assert "zq you listened well" in partner_page.content.decode()
    notes = signed_in(ben).get(f"/api/conversations/{talking.code}").json()
    assert [(n["by"], n["text"]) for n in notes["witness_notes"]] == [
        ("Cleo", "zq you listened well")
    ]
    # It reaches the partners' open pages live, as a change to the conversation.
    event = Event.objects.filter(subject=talking.code).latest("pk")
    assert (event.change, event.actor_id) == ("note", cleo.pk)


def test_it_tells_the_partners_plainly_who_can_witness(
    admission: Admission, talking: Conversation, ana: User, ben: User
) -> None:
    path = f"/conversations/{talking.code}/"
    assert (
        "Cleo can follow this conversation" in signed_in(ana).get(path).content.decode()
    )
    assert signed_in(ben).get(f"/api{path.rstrip('/')}").json()["witnesses"] == ["Cleo"]
    admission.set_scope(ben, Scope.CONVERSATIONS, on=False)
    assert (
        "can follow this conversation" not in signed_in(ana).get(path).content.decode()
    )
    assert signed_in(ben).get(f"/api{path.rstrip('/')}").json()["witnesses"] == []


@pytest.mark.parametrize("how", ["scope off", "removed"])
def test_it_hides_the_conversation_at_once(
    admission: Admission,
    talking: Conversation,
    cleo: User,
    ana: User,
    ben: User,
    how: str,
) -> None:
    client = signed_in(cleo)
    assert client.get(page(admission, talking)).status_code == 200
    talk.end(talking, ana)
    if how == "removed":
        signed_in(ben).post(f"/counselor/admissions/{admission.code}/remove/")
    else:
        signed_in(ben).post(
            f"/counselor/admissions/{admission.code}/scopes/",
            {"scope": "conversations", "on": "0"},
        )
    assert client.get(page(admission, talking)).status_code == 404
    assert (
        client.post(page(admission, talking, "note/"), {"text": "zq"}).status_code
        == 404
    )
    assert client.get(api(admission, talking)).status_code == 404
    assert note(client, admission, talking, "zq").status_code == 404
    assert _stream_status(client, page(admission, talking, "stream/")) == 404
    assert not WitnessNote.objects.exists()


def test_it_hides_other_couples_data(
    admission: Admission, talking: Conversation, dan: User
) -> None:
    # A counselor Dan and Eve admitted, with every scope, asks for Ana's conversation.
    otto = make_person("otto", "Otto")
    Counselor.become(otto)
    dans = Space.objects.for_member(dan).get()
    theirs = admit(dans, dan, dans.partner_of(dan), otto)  # type: ignore[arg-type]  # Eve is there
    for partner in dans.partners():
        theirs.set_scope(partner, Scope.CONVERSATIONS, on=True)
    for who, path in (
        (otto, page(theirs, talking)),
        (otto, page(admission, talking)),
        (dan, page(admission, talking)),
    ):
        client = signed_in(who)
        assert client.get(path).status_code == 404
        assert _stream_status(client, path + "stream/") == 404
    r = note(signed_in(otto), theirs, talking, "zq")
    assert r.status_code == 404


def test_it_requires_login(admission: Admission, talking: Conversation) -> None:
    path = page(admission, talking)
    assert Client().get(path).status_code == 302
    assert Client().get(api(admission, talking)).status_code == 401
    assert _stream_status(Client(), path + "stream/") == 404


def _stream_status(client: Client, path: str) -> int:
    async def go() -> int:
        response = await _async_client(client).get(path)
        if response.streaming:
            await _body(response).aclose()
        return int(response.status_code)

    return async_to_sync(go)()


def test_it_streams_only_this_conversation_to_the_witness(
    space: Space,
    admission: Admission,
    talking: Conversation,
    cleo: User,
    ana: User,
    ben: User,
) -> None:
    seen = Event.objects.latest("pk").pk
    other = running(space, ana, ben)
    safety.send_signal(space, ana, kind="pause", minutes=20)
    turn = talking.turns.get()
    talk.confirm(talking, turn, ana)
    client = _async_client(signed_in(cleo))

    async def go() -> list[dict[str, Any]]:
        response = await client.get(
            page(admission, talking, "stream/"), headers={"Last-Event-ID": str(seen)}
        )
        assert response["Content-Type"] == "text/event-stream"
        body = _body(response)
        try:
            return await _read_events(body, 2)
        finally:
            await body.aclose()

    hello, confirmed = async_to_sync(go)()
    assert hello["type"] == "hello"
    # Not the other conversation, not the pause signal: this conversation only.
    assert confirmed["code"] == str(talking.code)
    assert confirmed["change"] == "confirmation"
    assert str(other.code) not in json.dumps([hello, confirmed])


# Committed for real: on PostgreSQL the wake-up travels by NOTIFY, which is
# delivered only when its transaction commits.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["scope off", "removed", "token revoked"])
def test_it_ends_the_witness_stream_at_once(
    ana: User, ben: User, cleo: User, how: str
) -> None:
    space = make_couple(ana, ben)
    admission = admit(space, ana, ben, cleo)
    for partner in (ana, ben):
        admission.set_scope(partner, Scope.CONVERSATIONS, on=True)
    conversation = running(space, ana, ben)
    # The counselor's own app, by API token, or their signed-in browser.
    token, secret = ApiToken.issue(cleo, "practice app")
    by_token = how == "token revoked"
    client = _async_client(Client() if by_token else signed_in(cleo))
    headers = {"Authorization": f"Bearer {secret}"} if by_token else {}

    def end_access() -> None:
        with TestCase.captureOnCommitCallbacks(execute=True):
            if how == "removed":
                Admission.objects.get(pk=admission.pk).remove(ben)
            elif how == "scope off":
                Admission.objects.get(pk=admission.pk).set_scope(
                    ben, Scope.CONVERSATIONS, on=False
                )
            else:
                token.revoke()

    async def go() -> list[dict[str, Any]]:
        response = await client.get(
            page(admission, conversation, "stream/"), headers=headers
        )
        body = _body(response)
        try:
            await _read_events(body, 1)
            await sync_to_async(end_access)()
            # No heartbeat: only the wake-up the removal sends can end it, and an
            # event after it is never delivered.
            await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: talk.end(Conversation.objects.get(pk=conversation.pk), ana),
            )
            return await _read_events(body, 1, timeout=3)
        finally:
            await body.aclose()

    assert async_to_sync(go)() == []


def test_it_counts_conversations_held_since_the_last_session_on_the_home(
    admission: Admission, talking: Conversation, cleo: User, ana: User, ben: User
) -> None:
    client = signed_in(cleo)
    [row] = client.get("/api/counselor/couples").json()
    assert {"label": "conversations held", "count": 0} in row["changes"]
    talk.end(talking, ben)
    [row] = client.get("/api/counselor/couples").json()
    assert {"label": "conversations held", "count": 1} in row["changes"]
    admission.set_scope(ana, Scope.CONVERSATIONS, on=False)
    [row] = client.get("/api/counselor/couples").json()
    assert "conversations held" not in {c["label"] for c in row["changes"]}


def test_it_keeps_a_refused_note_s_words_on_the_page(
    admission: Admission, talking: Conversation, cleo: User, ana: User
) -> None:
    """A note over the limit was refused with a message and a redirect: the words
    typed were gone. Bad input loses nothing."""
    talk.end(talking, ana)
    words = "Sundays matter to you both. " * 40 + "مرحبا 🌱"
    assert len(words) > MAX_NOTE
    r = signed_in(cleo).post(page(admission, talking, "note/"), {"text": words})
    assert r.status_code == 400
    html = r.content.decode()
    assert f"at most {MAX_NOTE} characters" in html
    assert "مرحبا 🌱</textarea>" in html
    assert not WitnessNote.objects.exists()


def test_it_offers_no_note_for_a_declined_conversation(
    space: Space, admission: Admission, ana: User, ben: User, cleo: User
) -> None:
    conversation = talk.decline(proposed(space, ana), ben)
    html = signed_in(cleo).get(page(admission, conversation)).content.decode()
    assert "once the conversation has ended" not in html
