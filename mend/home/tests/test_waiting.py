"""Home's "Waiting for you" and "Waiting for your partner", as each partner acts."""

from collections.abc import Callable
from datetime import time

import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Agreement
from mend.checkins import actions as checkins
from mend.checkins.tests.helpers import NOW, TODAYS, daily
from mend.commitments.models import Commitment, Question, Words
from mend.commitments.tests.test_accountability import key_of
from mend.couples.models import Space
from mend.journal import actions as journal
from mend.live.models import Event
from mend.story.models import StandFor


def section(page: str, name: str) -> str:
    start = page.index(f'data-waiting="{name}"')
    return page[start : page.index("</section>", start)]


def test_it_shows_what_waits_on_each_as_the_partner_acts(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    as_ana, as_ben = client_for(ana), client_for(ben)
    page = as_ben.get("/").content.decode()
    assert "Nothing is waiting for you right now." in section(page, "you")
    assert "/agreements/new/" in section(page, "you")  # one next step
    item = Agreement.propose(space, ana, category="other", text="Phones down at dinner")
    page = as_ben.get("/").content.decode()
    assert f"/agreements/{item.code}/" in section(page, "you")
    assert "An agreement wording to affirm" in page
    page = as_ana.get("/").content.decode()
    assert "In their hands now, for whenever they are ready." in page
    assert "An agreement wording you proposed" in section(page, "partner")
    item.versions.get().affirm(ben, "I agree")
    page = as_ana.get("/").content.decode()
    assert "An affirmed agreement wording to confirm" in section(page, "you")
    assert "Phones down" not in page  # the words stay on the agreement's page


def test_it_never_shows_the_partner_s_private_things(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    key = key_of(ana)
    journal.write_entry(space, ana, key, title="SECRET-T", body="SECRET-B", share=False)
    Question.draft(space, ana, key, text="SECRET-Q", topic="other")
    daily(space, ana)
    page = client_for(ben).get("/").content.decode()
    assert "SECRET" not in page
    assert "journal" not in section(page, "you").lower()
    assert "question" not in section(page, "you").lower()
    assert 'data-waiting="partner"' not in page  # nothing of Ben's waits on Ana
    assert "Your path" not in page  # nothing done yet: no row of zeros


def test_it_lists_newest_first(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    first = Agreement.propose(space, ana, category="other", text="one")
    entry = journal.write_entry(
        space, ana, key_of(ana), title="t", body="b", share=True, is_question=True
    )
    page = section(client_for(ben).get("/").content.decode(), "you")
    assert page.index(f"/journal/{entry.code}/") < page.index(
        f"/agreements/{first.code}/"
    )


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    Agreement.propose(space, ana, category="other", text="ours")
    page = client_for(dan).get("/").content.decode()
    assert "Nothing is waiting for you right now." in page


def test_it_shows_the_path_in_totals(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    item = Agreement.propose(space, ana, category="other", text="one")
    version = item.versions.get()
    version.affirm(ben, "I agree")
    version.confirm(ana)
    page = client_for(ben).get("/").content.decode()
    assert "1 agreement in force" in page
    # What the couple has done, not a row of what they haven't yet.
    for words in ("0 repairs completed", "0 check-ins kept", "0 milestones reached"):
        assert words not in page


def test_it_never_shows_the_partner_s_ready_on_the_ladder(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    as_ana, as_ben = client_for(ana), client_for(ben)
    before = section(as_ben.get("/").content.decode(), "you")
    assert as_ana.post("/api/intimacy/plan/ready").json()["i_am_ready"]
    after = section(as_ben.get("/").content.decode(), "you")
    assert after == before
    assert "ready" not in after.lower()


def _told(since: int) -> list[tuple[str, str]]:
    """(type, change) of the live events open pages were told of after SINCE."""
    return list(
        Event.objects.filter(id__gt=since).order_by("id").values_list("type", "change")
    )


def _last() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


@time_machine.travel(NOW, tick=False)
def test_every_act_that_changes_what_waits_tells_open_pages_and_nothing_private_does(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    """Home's "Waiting for you" follows the partner live (#18), whatever the feature."""
    key = key_of(ana)
    as_ana, as_ben = client_for(ana), client_for(ben)
    # Private things tell nobody anything, not even that they exist.
    since = _last()
    journal.write_entry(space, ana, key, title="t", body="b", share=False)
    question = Question.draft(space, ana, key, text="When did it start?", topic="other")
    check_in = daily(space, ana)
    checkins.answer(
        check_in,
        ana,
        key,
        occurs_at=TODAYS,
        answers={check_in.prompts[0]["text"]: 3},
        share=False,
    )
    assert _told(since) == []

    # Commitments: a question sent and answered; a change proposed and affirmed.
    since = _last()
    as_ana.post(f"/api/commitments/questions/{question.code}/send")
    as_ben.post(
        f"/api/commitments/questions/{question.code}/answers",
        {"text": "In March."},
        content_type="application/json",
    )
    item = Commitment.make(
        space, ben, Words(text="Phone before dinner", frequency="daily", at=time(8))
    )
    change = item.propose_end(ben)
    change.affirm(ana, "I agree")
    assert _told(since) == [
        ("commitment", "sent"),
        ("commitment", "answered"),
        ("commitment", "proposed"),
        ("commitment", "affirmed"),
    ]

    # The journal: a question shared, a reply; a check-in answer shared.
    since = _last()
    entry = journal.write_entry(
        space, ben, key_of(ben), title="q", body="b", share=True, is_question=True
    )
    journal.answer_entry(entry, ana, "reply", "Yes.")
    shared = checkins.answer(
        check_in,
        ben,
        key_of(ben),
        occurs_at=TODAYS,
        answers={check_in.prompts[0]["text"]: 4},
        share=True,
    )
    assert (
        as_ben.post(f"/api/checkins/answers/{shared.code}/unshare").status_code == 200
    )
    assert _told(since) == [
        ("journal", "asked"),
        ("journal", "reply"),
        ("checkin", "shared"),
        ("checkin", "withdrawn"),
    ]

    # What the couple stands for: proposed, affirmed, confirmed.
    since = _last()
    wording = StandFor.of(space).propose(
        ana, values="Honesty", commitments="", vision=""
    )
    wording.affirm(ben, "I agree")
    wording.confirm(ana)
    assert _told(since) == [
        ("story", "proposed"),
        ("story", "affirmed"),
        ("story", "confirmed"),
    ]

    # Home listens for each of them.
    page = as_ben.get("/").content.decode()
    trigger = page.split('id="waiting-now"', 1)[1].split(">", 1)[0]
    for kind in ("agreement", "conversation", "intimacy", "commitment", "checkin"):
        assert f"mend:{kind} from:body" in trigger
    for kind in ("journal", "story"):
        assert f"mend:{kind} from:body" in trigger
