from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import AccessLog
from mend.story.models import (
    MAX_NOTE,
    Appreciation,
    Ritual,
    StandFor,
    calendar_items,
)


def _propose(client: Client, values: str = "Honesty, even when it is hard") -> None:
    page = client.post(
        "/story/values/",
        {
            "values": values,
            "commitments": "We talk on Sundays",
            "vision": "Easy evenings",
            "revisit_every_days": "90",
        },
    )
    assert page.status_code == 302, page.content


def test_it_requires_login(db: None) -> None:
    assert Client().get("/story/").status_code == 302


def test_an_appreciation_reaches_the_partner_and_is_logged(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    assert (
        a.post("/story/appreciations/new/", {"text": "You made tea", "from": "home"})[
            "Location"
        ]
        == "/"
    )
    page = b.get("/story/")
    assert b"You made tea" in page.content
    assert b"From Ana" in page.content
    log = AccessLog.objects.for_member(ana).get()
    assert (log.viewer, log.author) == (ben, ana)


def test_it_offers_the_note_on_home(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).get("/")
    assert b'action="/story/appreciations/new/"' in page.content


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 100_000, "x" * (MAX_NOTE + 1)],
)
def test_it_refuses_bad_notes_clearly_and_keeps_the_text(
    space: Space, ana: User, client_for: Callable[[User], Client], text: str
) -> None:
    page = client_for(ana).post("/story/appreciations/new/", {"text": text})
    assert page.status_code == 400
    assert b'class="errorlist' in page.content
    if text.strip():
        assert text.encode() in page.content  # shown again, whole
    assert not Appreciation.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "شكرا لك على العشاء",  # right-to-left
        "thank you 🌷👩‍❤️‍👨",
    ],
)
def test_it_renders_any_note_inert_and_whole(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    text: str,
) -> None:
    client_for(ana).post("/story/appreciations/new/", {"text": text})
    page = client_for(ben).get("/story/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert Appreciation.objects.get().text == text


def test_the_recap_groups_what_each_appreciated(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    Appreciation.write(space, ana, "your patience")
    Appreciation.write(space, ben, "your honesty")
    page = client_for(ana).get("/story/recap/").content.decode()
    assert "You appreciated" in page and "Ben appreciated" in page
    assert "your patience" in page and "your honesty" in page
    assert client_for(ana).get("/story/recap/?month=2026-13").status_code == 400
    assert client_for(ana).get("/story/recap/?month=<b>").status_code == 400


def test_the_values_need_both_to_become_current(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _propose(a)
    statement = StandFor.objects.get(space=space)
    assert statement.current() is None
    waiting = statement.waiting()
    assert waiting is not None
    # The proposer cannot affirm their own words; a tick is not a yes.
    assert (
        a.post(
            f"/story/values/{waiting.code}/affirm/", {"words": "I agree"}
        ).status_code
        == 409
    )
    assert (
        b.post(f"/story/values/{waiting.code}/affirm/", {"words": "ok"}).status_code
        == 400
    )
    b.post(f"/story/values/{waiting.code}/affirm/", {"words": "I agree"})
    assert StandFor.objects.get(space=space).current() is None  # not yet confirmed
    a.post(f"/story/values/{waiting.code}/confirm/")
    current = StandFor.objects.get(space=space).current()
    assert current is not None and current.values.startswith("Honesty")
    assert b"Honesty, even when it is hard" in b.get("/story/").content


def test_new_words_clear_the_yes_to_the_old_ones(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _propose(a, "first words")
    first = StandFor.objects.get(space=space).waiting()
    assert first is not None
    b.post(f"/story/values/{first.code}/affirm/", {"words": "I agree"})
    _propose(a, "second words")  # changed before confirming: Ben's yes was to the old
    assert a.post(f"/story/values/{first.code}/confirm/").status_code == 302
    statement = StandFor.objects.get(space=space)
    assert statement.current() is None
    second = statement.waiting()
    assert second is not None and second.affirmed_at is None
    # Once in force, changing the words again leaves the words in force until both agree.
    b.post(f"/story/values/{second.code}/affirm/", {"words": "I agree"})
    a.post(f"/story/values/{second.code}/confirm/")
    _propose(b, "third words")
    statement = StandFor.objects.get(space=space)
    assert statement.current().values == "second words"  # type: ignore[union-attr]
    assert statement.revisit_on is not None


def test_a_token_cannot_affirm_the_values(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.accounts.models import ApiToken

    _propose(client_for(ana))
    waiting = StandFor.objects.get(space=space).waiting()
    assert waiting is not None
    _token, secret = ApiToken.issue(ben, "t")
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"/api/story/values/{waiting.code}/affirm",
        {"words": "I agree"},
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_a_ritual_counts_up_and_never_resets(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    page = a.post(
        "/story/rituals/new/",
        {
            "title": "Morning breath",
            "frequency": "daily",
            "interval": "1",
            "starts_on": "2026-01-01",
            "at": "07:30",
        },
    )
    assert page.status_code == 302, page.content
    ritual = Ritual.objects.get()
    a.post(f"/story/rituals/{ritual.code}/done/")
    b.post(f"/story/rituals/{ritual.code}/done/")  # the same day: one mark
    assert ritual.count() == 1
    ritual.mark_done(ben, date(2026, 2, 1))
    assert ritual.count() == 2
    assert b"Done together 2 times so far." in b.get("/story/").content
    b.post(f"/story/rituals/{ritual.code}/stop/")
    ritual.refresh_from_db()
    assert ritual.count() == 2


def test_a_bad_ritual_gets_a_clear_error(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).post(
        "/story/rituals/new/",
        {
            "title": "Walk",
            "frequency": "weekdays",
            "interval": "1",
            "starts_on": "2026-01-01",
            "at": "07:30",
        },
    )
    assert page.status_code == 400
    assert b"Choose at least one day of the week." in page.content
    assert not Ritual.objects.exists()


def test_occurrences_have_neutral_titles(
    space: Space, ana: User, ben: User, dan: User
) -> None:
    Ritual.start(
        space,
        ana,
        title="Our private words",
        starts_on=date(2026, 3, 1),
        at=time(8),
        frequency="weekly",
    )
    (item,) = calendar_items(ben)
    assert item.title == "Ritual"
    found = item.between(
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 22, tzinfo=UTC)
    )
    assert len(found) == 3
    # 8:00 in Berlin (Ana's zone) is 7:00 UTC in March before the change.
    assert found[0] == datetime(2026, 3, 1, 7, tzinfo=UTC)
    assert calendar_items(dan) == []


def test_other_couples_get_404(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    _propose(client_for(ana))
    waiting = StandFor.objects.get(space=space).waiting()
    ritual = Ritual.start(
        space,
        ana,
        title="Walk",
        starts_on=date(2026, 1, 1),
        at=time(8),
        frequency="daily",
    )
    d = client_for(dan)
    assert waiting is not None
    assert (
        d.post(
            f"/story/values/{waiting.code}/affirm/", {"words": "I agree"}
        ).status_code
        == 404
    )
    assert d.post(f"/story/rituals/{ritual.code}/done/").status_code == 404
    assert d.post(f"/api/story/rituals/{ritual.code}/done").status_code == 404
    Appreciation.write(space, ana, "only for Ben")
    assert b"only for Ben" not in d.get("/story/").content
    assert "only for Ben" not in d.get("/api/story/appreciations").content.decode()


def test_the_api_does_every_action(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    j = "application/json"
    assert (
        a.post(
            "/api/story/appreciations", {"text": "thanks"}, content_type=j
        ).status_code
        == 201
    )
    assert (
        a.post("/api/story/appreciations", {"text": ""}, content_type=j).status_code
        == 400
    )
    assert b.get("/api/story/appreciations").json()[0]["text"] == "thanks"
    assert b.get("/api/story/recap").json()["by"][0]["notes"] == ["thanks"]
    made = a.post("/api/story/values", {"values": "care"}, content_type=j)
    assert made.status_code == 201
    code = made.json()["waiting"]["code"]
    assert (
        b.post(
            f"/api/story/values/{code}/affirm", {"words": "I agree"}, content_type=j
        ).status_code
        == 200
    )
    assert (
        a.post(f"/api/story/values/{code}/confirm").json()["current"]["values"]
        == "care"
    )
    ritual = a.post(
        "/api/story/rituals",
        {
            "title": "Walk",
            "frequency": "weekly",
            "starts_on": "2026-01-01",
            "at": "18:00",
        },
        content_type=j,
    )
    assert ritual.status_code == 201
    rcode = ritual.json()["code"]
    assert b.post(f"/api/story/rituals/{rcode}/done").json()["times_done"] == 1
    assert b.get("/api/story/rituals").json()[0]["times_done"] == 1
    assert a.post(f"/api/story/rituals/{rcode}/stop").json()["is_ongoing"] is False
    bad = a.post(
        "/api/story/rituals",
        {
            "title": "x",
            "frequency": "sometimes",
            "starts_on": "2026-01-01",
            "at": "18:00",
        },
        content_type=j,
    )
    assert bad.status_code == 400


def test_the_pace_limit_refuses_a_flood(space: Space, ana: User) -> None:
    for n in range(10):
        Appreciation.write(space, ana, f"note {n}")
    with pytest.raises(Refused):
        Appreciation.write(space, ana, "one too many")


def test_the_pace_limit_refuses_a_flood_of_rituals(space: Space, ana: User) -> None:
    for n in range(10):
        Ritual.start(
            space,
            ana,
            title=f"r{n}",
            starts_on=date(2026, 1, 1),
            at=time(8),
            frequency="daily",
        )
    with pytest.raises(Refused):
        Ritual.start(
            space,
            ana,
            title="one more",
            starts_on=date(2026, 1, 1),
            at=time(8),
            frequency="daily",
        )


def test_no_page_logs_its_context(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A missing template variable logs the whole context, private words included."""
    import logging

    from mend.journal import actions as journal

    a, b = client_for(ana), client_for(ben)
    _propose(a)
    Appreciation.write(space, ana, "thanks")
    ritual = Ritual.start(
        space,
        ana,
        title="Walk",
        starts_on=date(2026, 1, 1),
        at=time(8),
        frequency="daily",
    )
    ritual.mark_done(ben, date(2026, 1, 2))
    entry = journal.write_entry(
        space, ana, None, title="t", body="b", share=True, is_question=True
    )
    journal.answer_entry(entry, ben, "reply", "r")
    caplog.set_level(logging.DEBUG, logger="django.template")
    for client in (a, b):
        for path in (
            "/story/",
            "/story/appreciations/",
            "/story/recap/",
            "/story/values/",
            "/story/values/history/",
            "/story/rituals/new/",
            "/journal/",
            f"/journal/{entry.code}/",
            "/journal/search/?q=b",
            "/",
        ):
            assert client.get(path).status_code == 200, path
    a.post(f"/journal/{entry.code}/unshare/")
    assert b.get(f"/journal/{entry.code}/").status_code == 410
    assert b.get("/journal/?before=nonsense").status_code == 400
    # Django's own form widget templates log an unused attribute (no content); ours none.
    missing = [
        line
        for line in caplog.text.splitlines()
        if "Exception while resolving variable" in line
        and "template 'django/forms/" not in line
    ]
    assert not missing


def test_the_export_holds_your_notes_words_and_rituals(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from mend.privacy.export import build_export

    _propose(client_for(ana), "our export words")
    Appreciation.write(space, ana, "a note to export")
    Ritual.start(
        space,
        ana,
        title="exported walk",
        starts_on=date(2026, 1, 1),
        at=time(8),
        frequency="daily",
    )
    mine = str(build_export(ana, None))
    assert "our export words" in mine and "a note to export" in mine
    assert "exported walk" in mine
    assert "a note to export" not in str(build_export(ben, None))


def test_it_is_due_to_be_reread_on_its_schedule(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    import time_machine

    statement = StandFor.of(space)
    wording = statement.propose(
        ana, values="v", commitments="", vision="", revisit_every_days=30
    )
    wording.affirm(ben, "I agree")
    wording.confirm(ana)
    statement.refresh_from_db()
    assert statement.revisit_on is not None
    assert b"time to reread" not in client_for(ana).get("/story/").content
    with time_machine.travel(statement.revisit_on.isoformat() + " 12:00Z"):
        assert b"time to reread" in client_for(ana).get("/story/").content


def test_lists_are_bounded_with_show_older(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from mend.journal import actions as journal

    start = timezone.now() - timedelta(days=100)
    for n in range(55):
        Appreciation.objects.create(
            space=space,
            author=ana,
            text=f"note-{n:02d}",
            created_at=start + timedelta(hours=n),
        )
    b = client_for(ben)
    story = b.get("/story/").content.decode()
    assert "note-54" in story and "note-34" not in story and "Show older notes" in story
    page = b.get("/story/appreciations/").content.decode()
    assert "note-05" in page and "note-04" not in page
    older = page.split('href="?before=')[1].split('"')[0]
    rest = b.get(f"/story/appreciations/?before={older}").content.decode()
    assert "note-04" in rest and "note-05" not in rest and "Show older" not in rest
    assert b.get("/story/appreciations/?before=yesterday").status_code == 400
    assert b.get("/api/story/appreciations?before=yesterday").status_code == 400
    for n in range(51):
        journal.write_entry(
            space, ana, None, title=f"entry-{n:02d}", body="b", share=True
        )
    listing = b.get("/journal/").content.decode()
    assert "Show older" in listing and "entry-00" not in listing


def test_a_lone_surrogate_is_refused_clearly(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    for path, body in (
        ("/api/story/appreciations", '{"text": "\\ud800 x"}'),
        ("/api/story/values", '{"values": "\\ud800 x"}'),
        (
            "/api/story/rituals",
            '{"title": "\\ud800", "frequency": "daily", "starts_on": "2026-01-01", '
            '"at": "08:00"}',
        ),
    ):
        answer = a.post(path, body, content_type="application/json")
        assert answer.status_code == 400, path
        assert "isn't valid text" in answer.json()["detail"]
