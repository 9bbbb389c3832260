"""Home's "Waiting for you" and "Waiting for your partner", as each partner acts."""

from collections.abc import Callable

from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Agreement
from mend.checkins.tests.helpers import daily
from mend.commitments.models import Question
from mend.commitments.tests.test_accountability import key_of
from mend.couples.models import Space
from mend.journal import actions as journal


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
