import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PASSWORD, make_couple, make_person, signed_in, today
from mend.accounts.models import Keyring, User
from mend.agreements.models import Agreement, AgreementVersion, CrossingReport
from mend.checkins.models import Answer as CheckInAnswer
from mend.checkins.models import CheckIn
from mend.commitments.models import Commitment, Goal
from mend.conversations.models import Conversation, Move, Outcome, Topic, Turn
from mend.counselor import actions
from mend.counselor.models import Admission, Counselor, Scope, offered_scopes
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.privacy.models import AccessLog


@pytest.fixture
def cleo(db: None) -> User:
    # Cleo is a counselor; Ana and Ben admit her in these tests.
    cleo = make_person("cleo", "Cleo")
    Counselor.become(cleo, "Cleo's practice")
    return cleo


def admit(space: Space, ana: User, ben: User, counselor: User) -> Admission:
    _invite, code = actions.invite(space, ana)
    admission = actions.join(counselor, code)
    admission.approve(ana, "I agree")
    admission.approve(ben, "I agree")
    admission.refresh_from_db()
    return admission


def all_scopes(admission: Admission, ana: User, ben: User) -> None:
    for scope in offered_scopes():
        admission.set_scope(ana, scope, on=True)
        admission.set_scope(ben, scope, on=True)


def agreement(space: Space, ana: User, text: str) -> Agreement:
    item = Agreement.objects.create(space=space, category="other", created_by=ana)
    AgreementVersion.objects.create(
        space=space,
        agreement=item,
        number=1,
        text=text,
        proposed_by=ana,
        confirmed_at=timezone.now(),
    )
    return item


def held(space: Space, ana: User, ben: User, words: str) -> Conversation:
    """Return an ended conversation of Ana and Ben's, one turn on one topic."""
    now = timezone.now()
    conversation = Conversation.objects.create(
        space=space,
        proposed_by=ana,
        starts_at=now,
        agenda_digest="-",
        status=Conversation.Status.ENDED,
        started_at=now,
        ended_at=now,
    )
    topic = Topic.objects.create(
        space=space, conversation=conversation, added_by=ana, text="zq topic", order=0
    )
    turn = Turn.objects.create(
        space=space,
        conversation=conversation,
        topic=topic,
        number=1,
        speaker=ana,
        listener=ben,
    )
    Move.objects.create(space=space, turn=turn, kind="point", by=ana, text=words)
    Move.objects.create(
        space=space, turn=turn, kind="reflection", by=ben, text="zq reflected"
    )
    Outcome.objects.create(
        space=space, conversation=conversation, by=ben, kind="question", text="zq q"
    )
    return conversation


def key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


def test_it_admits_only_after_both_approve(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    _invite, code = actions.invite(space, ana)
    admission = actions.join(cleo, code)
    assert not Admission.objects.serving(cleo).exists()
    admission.approve(ana, "I agree")
    assert not Admission.objects.serving(cleo).exists()
    admission.approve(ben, "I agree")
    assert Admission.objects.serving(cleo).get() == admission


def test_it_refuses_approving_twice(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    _invite, code = actions.invite(space, ana)
    admission = actions.join(cleo, code)
    client = signed_in(ana)
    client.post(
        f"/counselor/admissions/{admission.code}/approve/", {"words": "I agree"}
    )
    r = client.post(
        f"/api/counselor/admissions/{admission.code}/approve",
        {"words": "I agree"},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert "already approved" in r.json()["detail"]


def test_it_refuses_approval_without_typed_words(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    _invite, code = actions.invite(space, ana)
    admission = actions.join(cleo, code)
    r = signed_in(ana).post(
        f"/api/counselor/admissions/{admission.code}/approve",
        {"words": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "I agree" in r.json()["detail"]


def test_it_refuses_a_partner_inviting_themself(
    space: Space, ana: User, ben: User
) -> None:
    Counselor.become(ana)
    _invite, code = actions.invite(space, ana)
    r = signed_in(ana).post(
        "/api/counselor/join", {"code": code}, content_type="application/json"
    )
    assert r.status_code == 400
    assert "partner in this couple" in r.json()["detail"]
    assert not Admission.objects.exists()


def test_it_refuses_someone_who_is_not_a_counselor(
    space: Space, ana: User, ben: User
) -> None:
    lou = make_person("lou", "Lou")
    _invite, code = actions.invite(space, ana)
    r = signed_in(lou).post(
        "/api/counselor/join", {"code": code}, content_type="application/json"
    )
    assert r.status_code == 400
    assert "counselor first" in r.json()["detail"]


def test_it_uses_an_invite_once(space: Space, ana: User, ben: User, cleo: User) -> None:
    _invite, code = actions.invite(space, ana)
    actions.join(cleo, code)
    other = make_person("otto", "Otto")
    Counselor.become(other)
    r = signed_in(other).post(
        "/api/counselor/join", {"code": code}, content_type="application/json"
    )
    assert r.status_code == 400
    assert "already been used" in r.json()["detail"]


def test_it_removes_by_either_at_once(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    client = signed_in(cleo)
    assert client.get(f"/counselor/couples/{admission.code}/").status_code == 200
    signed_in(ben).post(f"/counselor/admissions/{admission.code}/remove/")
    assert client.get(f"/counselor/couples/{admission.code}/").status_code == 404
    assert client.get(f"/api/counselor/couples/{admission.code}").status_code == 404
    assert client.get(f"/counselor/couples/{admission.code}/brief/").status_code == 404
    assert (
        client.get(f"/api/counselor/couples/{admission.code}/brief").status_code == 404
    )
    assert client.get("/api/counselor/couples").json() == []


def test_it_refuses_a_brief_for_a_couple_no_longer_served(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    admission.remove(ana)
    r = signed_in(cleo).get(f"/api/counselor/couples/{admission.code}/brief")
    assert r.status_code == 404
    r = signed_in(cleo).get(f"/counselor/couples/{admission.code}/brief.pdf")
    assert r.status_code == 404


def test_it_refuses_assigning_outside_the_couple(
    space: Space, ana: User, ben: User, cleo: User, dan: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    r = signed_in(cleo).post(
        f"/api/counselor/couples/{admission.code}/assignments",
        {
            "text": "write",
            "due_on": str(timezone.localdate()),
            "assignee": str(dan.code),
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "either partner" in r.json()["detail"]
    assert not Goal.objects.exists()


def test_it_shows_an_assignment_to_the_couple_and_its_completion_to_the_counselor(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    r = signed_in(cleo).post(
        f"/api/counselor/couples/{admission.code}/assignments",
        {
            "text": "Write what you appreciate",
            "due_on": str(today() + dt.timedelta(days=7)),
            "assignee": str(ana.code),
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    page = signed_in(ana).get("/commitments/milestones/").content.decode()
    assert "Write what you appreciate" in page
    assert "A task from your counselor" in page
    # Ben can't mark Ana's task; Ana can.
    r = signed_in(ben).post(f"/api/commitments/goals/{code}/done")
    assert r.status_code == 403
    r = signed_in(ana).post(f"/api/commitments/goals/{code}/done")
    assert r.status_code == 200
    items = signed_in(cleo).get(f"/api/counselor/couples/{admission.code}").json()
    goal = next(i for i in items["items"] if i["code"] == code)
    assert goal["at"] is not None


def _seed(space: Space, ana: User, ben: User) -> dict[str, str]:
    agreement(space, ana, "zq agreement words")
    Commitment.objects.create(
        space=space,
        made_by=ana,
        text="zq commitment words",
        starts_on=timezone.localdate(),
    )
    journal.write_entry(space, ana, key(ana), title="zq shared", body="b", share=True)
    journal.write_entry(space, ana, key(ana), title="zq private", body="b", share=False)
    CrossingReport.objects.create(
        space=space,
        agreement=Agreement.objects.filter(space=space).order_by("-pk")[0],
        reporter=ben,
        what_happened="zq report words",
        how_it_felt="sad",
    )
    check_in = CheckIn.objects.create(
        space=space,
        name="evening",
        starts_on=timezone.localdate(),
        at=dt.time(20, 0),
        zone="UTC",
        created_by=ana,
    )
    when = timezone.now()
    for person, text in ((ana, "zq answer of ana"), (ben, "zq answer of ben")):
        CheckInAnswer.objects.create(
            space=space,
            check_in=check_in,
            occurs_at=when,
            author=person,
            is_shared=True,
            shared_at=when,
            shared_content={"mood": text},
        )
    # Ana's answer to another occurrence that Ben hasn't answered: not revealed.
    CheckInAnswer.objects.create(
        space=space,
        check_in=check_in,
        occurs_at=when - dt.timedelta(days=1),
        author=ana,
        is_shared=True,
        shared_at=when,
        shared_content={"mood": "zq unrevealed"},
    )
    held(space, ana, ben, "zq point words")
    return {
        Scope.CONVERSATIONS: "zq point words",
        Scope.AGREEMENTS: "zq agreement words",
        Scope.COMMITMENTS: "zq commitment words",
        Scope.JOURNAL: "zq shared",
        Scope.REPORTS: "zq report words",
        Scope.CHECKINS: "zq answer of ben",
    }


@pytest.mark.parametrize(
    "scope",
    [
        Scope.AGREEMENTS,
        Scope.REPORTS,
        Scope.CONVERSATIONS,
        Scope.CHECKINS,
        Scope.COMMITMENTS,
        Scope.JOURNAL,
    ],
)
def test_it_hides_a_scope_at_once_when_either_says_no(
    space: Space, ana: User, ben: User, cleo: User, scope: str
) -> None:
    admission = admit(space, ana, ben, cleo)
    words = _seed(space, ana, ben)[scope]
    client = signed_in(cleo)
    page = f"/counselor/couples/{admission.code}/"
    api = f"/api/counselor/couples/{admission.code}"
    admission.set_scope(ana, scope, on=True)
    # One yes is not enough.
    assert words not in client.get(page).content.decode()
    admission.set_scope(ben, scope, on=True)
    assert words in client.get(page).content.decode()
    assert words in client.get(api).content.decode()
    signed_in(ben).post(
        f"/counselor/admissions/{admission.code}/scopes/", {"scope": scope, "on": "0"}
    )
    assert words not in client.get(page).content.decode()
    assert words not in client.get(api).content.decode()
    assert words not in client.get(page + "brief/").content.decode()


def test_it_never_shows_private_entries_whatever_the_scopes(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    _seed(space, ana, ben)
    client = signed_in(cleo)
    for path in (
        f"/counselor/couples/{admission.code}/",
        f"/api/counselor/couples/{admission.code}",
        f"/counselor/couples/{admission.code}/brief/",
    ):
        body = client.get(path).content.decode()
        assert "zq shared" in body
        assert "zq answer of ben" in body
        assert "zq private" not in body
        assert "zq unrevealed" not in body


def test_it_logs_every_counselor_view(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    _seed(space, ana, ben)
    signed_in(cleo).get(f"/counselor/couples/{admission.code}/")
    logged = AccessLog.objects.filter(space=space, viewer=cleo)
    assert logged.count() >= 3
    assert {row.viewer_role for row in logged} == {"counselor"}
    assert {"journal entry", "conversation"} <= {row.kind for row in logged}


# The home's queries, pinned: the session and person, the couples with every count
# in one query, and three prefetches (partners, approvals, scopes); the page adds
# the counselor flag and the partner side's space.
HOME_QUERIES = {"/counselor/": 10, "/api/counselor/couples": 8}


@pytest.mark.parametrize("path", ["/counselor/", "/api/counselor/couples"])
def test_it_keeps_the_home_flat_as_couples_grow_tenfold(cleo: User, path: str) -> None:
    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            a = make_person(f"a{i}", f"A{i}")
            b = make_person(f"b{i}", f"B{i}")
            s = make_couple(a, b)
            admission = admit(s, a, b, cleo)
            all_scopes(admission, a, b)
            agreement(s, a, f"words {i}")

    client = signed_in(cleo)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    grow(2, 0)
    small = count()
    grow(18, 2)
    assert count() == small
    assert small == HOME_QUERIES[path]


def test_it_gives_a_pdf_brief(space: Space, ana: User, ben: User, cleo: User) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    _seed(space, ana, ben)
    r = signed_in(cleo).get(f"/counselor/couples/{admission.code}/brief.pdf")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")


def test_it_requires_login(db: None) -> None:
    r = Client().get("/counselor/")
    assert r.status_code == 302
    assert Client().get("/api/counselor/couples").status_code == 401


def test_it_works_for_the_partners(space: Space, ana: User, ben: User) -> None:
    r = signed_in(ana).get("/counselor/")
    assert r.status_code == 200
    assert "Invite a counselor" in r.content.decode()


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, cleo: User, dan: User
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    for path in (
        f"/counselor/couples/{admission.code}/",
        f"/api/counselor/couples/{admission.code}",
    ):
        assert signed_in(dan).get(path).status_code == 404
    r = signed_in(dan).post(f"/api/counselor/admissions/{admission.code}/remove")
    assert r.status_code == 404


def test_it_gives_a_counselor_no_live_stream_to_keep(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    """The partners' live stream admits partners only; a witness has its own, which
    asks Admission.objects.serving at each wake-up (test_witness.py)."""
    admit(space, ana, ben, cleo)
    assert signed_in(cleo).get("/safety/stream/").status_code == 403


@pytest.mark.parametrize("page", ["", "brief/"])
def test_it_keeps_the_couple_page_and_brief_flat_as_history_grows_tenfold(
    space: Space, ana: User, ben: User, cleo: User, page: str
) -> None:
    admission = admit(space, ana, ben, cleo)
    all_scopes(admission, ana, ben)
    client = signed_in(cleo)
    path = f"/counselor/couples/{admission.code}/{page}"

    def grow(n: int) -> None:
        for _i in range(n):
            _seed(space, ana, ben)
            Goal.assign(space, cleo, text="task", due_on=today())

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    grow(1)
    small = count()
    grow(9)
    assert count() == small


def test_it_keeps_a_refused_task_s_words_on_the_page(
    space: Space, ana: User, ben: User, cleo: User
) -> None:
    """A task refused (too long, say) came back as a message after a redirect, and
    the words typed were gone. Bad input loses nothing."""
    admission = admit(space, ana, ben, cleo)
    words = "Write three things you appreciate. " * 200 + "שלום 🌱"
    r = signed_in(cleo).post(
        f"/counselor/couples/{admission.code}/assign/",
        {"text": words, "due_on": "2026-12-24", "assignee": ""},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "שלום 🌱</textarea>" in html
    assert "characters" in html  # why, said
    assert not Goal.objects.exists()


def test_it_leads_a_counselor_from_home_to_their_couples(cleo: User) -> None:
    """A counselor shares no space: home offered only "create or join a space",
    with no way to the couples they serve but typing /counselor/."""
    html = signed_in(cleo).get("/").content.decode()
    assert 'href="/counselor/"' in html


def test_it_keeps_a_refused_practice_name_on_the_page(db: None) -> None:
    """A practice name over the limit was refused with a message after a redirect,
    and the name typed was gone."""
    dora = make_person("dora", "Dora")
    practice = "… " * 100 + "مرحبا 🌱"
    r = signed_in(dora).post("/counselor/become/", {"practice": practice})
    assert r.status_code == 400
    html = r.content.decode()
    assert f'value="{practice}"' in html
    assert "at most 120 characters" in html
    assert not Counselor.is_counselor(dora)
