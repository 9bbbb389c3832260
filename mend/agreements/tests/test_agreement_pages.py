from collections.abc import Callable
from datetime import UTC, datetime

import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from mend.accounts.models import User
from mend.agreements.models import Agreement, AgreementVersion, State
from mend.agreements.tests.helpers import active, proposed
from mend.couples.models import Space

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _state(agreement: Agreement) -> State:
    return Agreement.objects.with_versions().get(pk=agreement.pk).state


def test_it_requires_login(db: None) -> None:
    for url in ("/agreements/", "/agreements/new/", "/agreements/inventory/"):
        response = Client().get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    response = a.post(
        "/agreements/new/",
        {
            "category": "dating",
            "text": "No dating apps on our phones.",
            "why": "I need to feel safe.",
            "circle": "",
            "review_every_days": "30",
        },
    )
    assert response.status_code == 302, response.content
    agreement = Agreement.objects.get()
    version = agreement.versions.get()
    page = b.get(f"/agreements/{agreement.code}/")
    assert b"No dating apps on our phones." in page.content
    assert b"Type \xe2\x80\x9cI agree\xe2\x80\x9d" in page.content
    b.post(
        f"/agreements/{agreement.code}/versions/{version.code}/affirm/",
        {"words": "I agree"},
    )
    a.post(f"/agreements/{agreement.code}/versions/{version.code}/confirm/")
    assert _state(agreement) == State.ACTIVE
    assert b"In force" in a.get("/agreements/").content


def test_it_refuses_bad_input_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    for text in ("", "   ", "x" * 20_000):
        response = a.post(
            "/agreements/new/",
            {"category": "dating", "text": text, "review_every_days": "30"},
        )
        assert response.status_code == 200
        assert b"errorlist" in response.content
    assert not Agreement.objects.exists()
    response = a.post(
        "/agreements/new/",
        {"category": "dating", "text": "x" * 20_000, "review_every_days": "30"},
    )
    assert b"at most 2000 characters" in response.content


def test_affirming_your_own_proposal_says_why(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    agreement = proposed(space, ana)
    version = agreement.versions.get()
    response = client_for(ana).post(
        f"/agreements/{agreement.code}/versions/{version.code}/affirm/",
        {"words": "I agree"},
        follow=True,
    )
    assert b"your partner who affirms it" in response.content
    version.refresh_from_db()
    assert version.affirmed_at is None


def test_a_ticked_box_is_not_an_affirmation(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = proposed(space, ana)
    version = agreement.versions.get()
    for words in ("on", "I agre", "I" + " " * 100 + "agree"):
        response = client_for(ben).post(
            f"/agreements/{agreement.code}/versions/{version.code}/affirm/",
            {"words": words},
        )
        # The page again, at 400, with why and what was typed (nothing lost).
        assert response.status_code == 400, words
        content = response.content.decode()
        assert "please type" in content.lower()
        assert f'value="{words}"' in content
        assert 'aria-invalid="true"' in content
        version.refresh_from_db()
        assert version.affirmed_at is None


def test_an_edit_shows_the_diff_and_keeps_the_old_wording_in_force(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben, "We tell each other the same day.")
    b = client_for(ben)
    b.post(
        f"/agreements/{agreement.code}/edit/",
        {"text": "We tell each other within the hour.", "why": "", "circle": ""},
    )
    page = client_for(ana).get(f"/agreements/{agreement.code}/")
    assert b"<del>same day.</del>" in page.content
    assert b"<ins>within </ins>" in page.content and b"<ins>hour.</ins>" in page.content
    assert _state(agreement) == State.REVISION
    history = client_for(ana).get(f"/agreements/{agreement.code}/history/")
    assert b"Version 2" in history.content and b"Version 1" in history.content
    assert b"proposed new wording" in history.content


def test_an_edit_never_prefills_the_partners_reason_as_yours(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = Agreement.propose(
        space, ana, category="money", text="We share statements.", why="AnaReason"
    )
    version = agreement.versions.get()
    version.affirm(ben, "I agree")
    version.confirm(ana)
    page = client_for(ben).get(f"/agreements/{agreement.code}/edit/").content.decode()
    form = page.split('<form method="post" class="card"', 1)[1].split("</form>", 1)[0]
    assert "AnaReason" not in form
    assert "Why it matters to Ana: AnaReason" in page
    mine = client_for(ana).get(f"/agreements/{agreement.code}/edit/").content.decode()
    assert (
        "AnaReason"
        in mine.split('<form method="post" class="card"', 1)[1].split("</form>", 1)[0]
    )


def test_a_stale_version_is_refused(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben)
    first = agreement.propose_edit(ana, "Within the hour.")
    Agreement.objects.get(pk=agreement.pk).propose_edit(ana, "Within two hours.")
    response = client_for(ben).post(
        f"/agreements/{agreement.code}/versions/{first.code}/affirm/",
        {"words": "I agree"},
        follow=True,
    )
    assert b"no longer the one on the table" in response.content
    assert not AgreementVersion.objects.filter(affirmed_by=ben, number__gt=1).exists()


def test_reopen_review_and_retire(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        agreement = active(space, ana, ben)
        a, b = client_for(ana), client_for(ben)
        b.post(f"/agreements/{agreement.code}/reopen/")
        assert _state(agreement) == State.REOPENED
        home = a.get("/")
        assert b"An agreement to revisit together" in home.content  # (#18)
        assert f"/agreements/{agreement.code}/".encode() in home.content
        past = a.post(
            f"/agreements/{agreement.code}/review/",
            {"review_on": "2026-11-01", "review_every_days": "30"},
            follow=True,
        )
        assert b"from today onwards" in past.content
        a.post(f"/agreements/{agreement.code}/retire/")
        a.post(f"/agreements/{agreement.code}/retire/agree/")
        assert _state(agreement) == State.RETIREMENT
        b.post(f"/agreements/{agreement.code}/retire/agree/")
        assert _state(agreement) == State.RETIRED
        listing = a.get("/agreements/").content
        assert b"Retired items" in listing
        # Not "nothing is agreed yet": they did agree, and the record stays.
        assert b"Nothing is in force right now" in listing
        assert b"Nothing is agreed yet" not in listing
        assert b"An agreement to revisit together" not in a.get("/").content


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben, "Our private words")
    pending = agreement.propose_edit(ana, "Our newer words")
    d = client_for(dan)
    assert b"Our private words" not in d.get("/agreements/").content
    for url in (
        f"/agreements/{agreement.code}/",
        f"/agreements/{agreement.code}/history/",
        f"/agreements/{agreement.code}/edit/",
        f"/agreements/{agreement.code}/report/",
    ):
        assert d.get(url).status_code == 404, url
    for url in (
        f"/agreements/{agreement.code}/reopen/",
        f"/agreements/{agreement.code}/retire/",
        f"/agreements/{agreement.code}/versions/{pending.code}/affirm/",
    ):
        assert d.post(url, {"words": "I agree"}).status_code == 404, url
    assert b"Our private words" not in d.get("/agreements/print/").content
    assert b"Our private words" not in d.get("/").content


def test_the_list_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(6):
        active(space, ana, ben, f"Item {i}")
    a = client_for(ana)
    with django_assert_max_num_queries(10):
        a.get("/agreements/")
    with django_assert_max_num_queries(10):
        a.get("/agreements/circles/")
    with django_assert_max_num_queries(10):
        a.get("/agreements/print/")


def test_circles_are_shown_as_three_circles(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = Agreement.propose(
        space, ana, category="other", text="No gambling sites.", circle="inner"
    )
    version = agreement.versions.get()
    version.affirm(ben, "I agree")
    version.confirm(ana)
    page = client_for(ben).get("/agreements/circles/")
    assert b"Inner circle: behaviours to stop" in page.content
    assert b"Middle circle: warning signs" in page.content
    assert b"Outer circle: healthy behaviours" in page.content
    assert b"No gambling sites." in page.content


def test_the_agreement_page_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from mend.agreements.models import CrossingReport

    agreement = active(space, ana, ben)
    for i in range(4):
        version = Agreement.objects.get(pk=agreement.pk).propose_edit(ben, f"Take {i}")
        version.affirm(ana, "I agree")
        version.confirm(ben)
        CrossingReport.file(
            Agreement.objects.get(pk=agreement.pk),
            ana,
            what_happened=f"Time {i}",
            how_it_felt="I felt sad.",
        )
    a = client_for(ana)
    with django_assert_max_num_queries(11):
        a.get(f"/agreements/{agreement.code}/")
    with django_assert_max_num_queries(11):
        a.get(f"/agreements/{agreement.code}/history/")
    with django_assert_max_num_queries(10):
        a.get("/agreements/")
