import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.commitments.models import (
    Commitment,
    CommitmentWording,
    Disclosure,
    Mark,
    Milestone,
    Question,
    Slip,
    Words,
)
from mend.couples.models import Space
from mend.privacy.models import AccessLog

NOW = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
PAGES = [
    "/commitments/",
    "/commitments/new/",
    "/commitments/disclosures/",
    "/commitments/questions/",
    "/commitments/slips/",
    "/commitments/milestones/",
    "/commitments/progress/",
]
ClientFor = Callable[[User], Client]


@pytest.fixture
def commitment(space: Space, ben: User) -> Commitment:
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        return Commitment.make(
            space,
            ben,
            Words(text="Phone before dinner zz", frequency="daily", at=dt.time(8)),
        )


@pytest.mark.parametrize("path", PAGES)
def test_it_works(
    space: Space, ana: User, client_for: ClientFor, commitment: Commitment, path: str
) -> None:
    item = Agreement.propose(space, ana, category=Category.values[0], text="Honesty")
    version = item.versions.get()
    assert commitment.made_by is not None
    version.affirm(commitment.made_by, "I agree")
    version.confirm(ana)
    response = client_for(ana).get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_it_requires_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_hides_other_couples_data(
    commitment: Commitment, dan: User, client_for: ClientFor
) -> None:
    client = client_for(dan)
    assert b"Phone before dinner" not in client.get("/commitments/").content
    assert client.get(f"/commitments/{commitment.code}/").status_code == 404
    response = client.post(
        f"/commitments/{commitment.code}/mark/", {"on": "2026-11-09", "kept": "yes"}
    )
    assert response.status_code == 404
    assert not Mark.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_marks_confirms_and_logs_the_partner_s_view(
    commitment: Commitment, ana: User, ben: User, client_for: ClientFor
) -> None:
    ben_client, ana_client = client_for(ben), client_for(ana)
    response = ben_client.post(
        f"/commitments/{commitment.code}/mark/", {"on": "2026-11-09", "kept": "yes"}
    )
    assert response.status_code == 302
    page = ana_client.get("/commitments/")
    assert b"Phone before dinner" in page.content
    assert AccessLog.objects.filter(
        viewer=ana, object_code=commitment.code, kind="commitment"
    ).exists()
    ana_client.post(
        f"/commitments/{commitment.code}/respond/",
        {"on": "2026-11-09", "agrees": "yes"},
    )
    assert Mark.objects.get().partner_view == "confirmed"


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_mark_on_the_partner_s_commitment_with_a_message(
    commitment: Commitment, ana: User, client_for: ClientFor
) -> None:
    client = client_for(ana)
    response = client.post(
        f"/commitments/{commitment.code}/mark/",
        {"on": "2026-11-09", "kept": "yes"},
        follow=True,
    )
    assert "Only the person who made this commitment" in response.content.decode()
    assert not Mark.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_schedule_that_never_occurs_as_a_form_error(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).post(
        "/commitments/new/",
        {
            "text": "Therapy on Mondays",
            "frequency": "weekdays",
            "weekdays": ["0"],
            "interval": "1",
            "at": "18:00",
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-15",
        },
    )
    assert response.status_code == 400
    assert "never happens" in response.content.decode()
    assert not Commitment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_an_end_before_the_start_as_a_form_error(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    response = client_for(ana).post(
        "/commitments/new/",
        {
            "text": "Walk",
            "frequency": "daily",
            "interval": "1",
            "at": "18:00",
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert "before the start" in response.content.decode()
    assert not Commitment.objects.exists()


def test_it_shows_a_change_to_affirm_and_brings_it_into_force(
    commitment: Commitment, ana: User, ben: User, client_for: ClientFor
) -> None:
    ben_client, ana_client = client_for(ben), client_for(ana)
    ben_client.post(f"/commitments/{commitment.code}/end/")
    page = ana_client.get(f"/commitments/{commitment.code}/")
    assert "Ending it is proposed" in page.content.decode()
    change = CommitmentWording.objects.get()
    for words in ("nope", "I agree" + "!" * 80):
        refused = ana_client.post(
            f"/commitments/changes/{change.code}/affirm/", {"words": words}
        )
        # The page again, at 400, with why and the words as typed (nothing lost).
        assert refused.status_code == 400, words
        content = refused.content.decode()
        assert f'value="{words}"' in content
        assert 'aria-invalid="true"' in content
        assert "Ending it is proposed" in content
        commitment.refresh_from_db()
        assert commitment.ended_at is None
    ana_client.post(f"/commitments/changes/{change.code}/affirm/", {"words": "I agree"})
    commitment.refresh_from_db()
    assert commitment.ended_at is not None


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_disclosure_told_before_it_happened_as_a_form_error(
    space: Space, ben: User, client_for: ClientFor
) -> None:
    response = client_for(ben).post(
        "/commitments/disclosures/",
        {
            "kind": "contact",
            "what": "A message from X",
            "happened_at": "2026-11-09T10:00",
            "told_in_person": "on",
            "told_at": "2026-11-08T10:00",
        },
    )
    assert response.status_code == 400
    assert "told before it happened" in response.content.decode()
    assert not Disclosure.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_disclosure_is_answered_thanked_and_its_view_logged(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    ben_client, ana_client = client_for(ben), client_for(ana)
    ben_client.post(
        "/commitments/disclosures/",
        {"kind": "contact", "what": "X wrote to me", "happened_at": "2026-11-10T08:00"},
    )
    told = Disclosure.objects.get()
    page = ana_client.get("/commitments/disclosures/").content.decode()
    assert "X wrote to me" in page
    assert AccessLog.objects.filter(viewer=ana, object_code=told.code).exists()
    ana_client.post(
        f"/commitments/disclosures/{told.code}/respond/", {"response": "Thank you."}
    )
    ana_client.post(f"/commitments/disclosures/{told.code}/thank/")
    told.refresh_from_db()
    assert told.response == "Thank you." and told.thanked_at == NOW


def test_a_question_stays_private_until_sent_then_is_answered(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    ana_client, ben_client = client_for(ana), client_for(ben)
    ana_client.post(
        "/commitments/questions/",
        {"topic": "scope", "text": "Describe the sex in detail"},
    )
    question = Question.objects.get()
    page = ana_client.get("/commitments/questions/").content.decode()
    assert "sexual detail" in page  # the gentle note, before sending
    assert (
        "Describe the sex"
        not in ben_client.get("/commitments/questions/").content.decode()
    )
    assert (
        ben_client.post(
            f"/commitments/questions/{question.code}/answer/", {"text": "No"}
        ).status_code
        == 404
    )
    ana_client.post(f"/commitments/questions/{question.code}/send/")
    page = ben_client.get("/commitments/questions/").content.decode()
    assert "Describe the sex in detail" in page
    ben_client.post(
        f"/commitments/questions/{question.code}/answer/", {"for_talk": "on"}
    )
    ben_client.post(
        f"/commitments/questions/{question.code}/answer/", {"text": "It was brief."}
    )
    page = ana_client.get("/commitments/questions/").content.decode()
    assert "It was brief." in page and "An earlier answer" in page
    # The asker can't answer their own question.
    response = ana_client.post(
        f"/commitments/questions/{question.code}/answer/", {"text": "x"}, follow=True
    )
    assert "your partner is the one to answer" in response.content.decode()
    assert question.answers.count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_slip_is_private_unless_shared(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    ben_client = client_for(ben)
    ben_client.post(
        "/commitments/slips/",
        {"kind": "middle", "led_to": "Old chats zz", "learned": "l", "step": "s"},
    )
    slip = Slip.objects.get()
    assert slip.sealed and not slip.is_shared
    assert "Old chats zz" in ben_client.get("/commitments/slips/").content.decode()
    assert (
        "Old chats zz"
        not in client_for(ana).get("/commitments/slips/").content.decode()
    )


def test_a_milestone_gets_a_new_run_and_home_celebrates_quietly(
    space: Space, ben: User, client_for: ClientFor
) -> None:
    client = client_for(ben)
    with time_machine.travel(NOW, tick=False):
        client.post(
            "/commitments/milestones/",
            {
                "milestone-name": "days sober",
                "milestone-unit": "days",
                "milestone-started_on": "2026-10-10",
            },
        )
        milestone = Milestone.objects.get()
        assert "Quietly worth noticing" in client.get("/").content.decode()
        client.post(
            f"/commitments/milestones/{milestone.code}/new-run/", {"on": "2026-11-09"}
        )
    assert milestone.runs.count() == 2


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_newest_twenty_with_a_link_to_older_ones(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    for n in range(25):
        Disclosure.log(
            space, ben, what=f"item-{n:02d}", happened_at=NOW - dt.timedelta(hours=n)
        )
    client = client_for(ana)
    first = client.get("/commitments/disclosures/").content.decode()
    # All told at once: the last written comes first.
    assert first.count("item-") == 20 and "item-24" in first and "item-04" not in first
    assert 'href="?page=2"' in first
    second = client.get("/commitments/disclosures/?page=2").content.decode()
    assert second.count("item-") == 5 and "item-00" in second
    assert 'href="?page=3"' not in second
    assert client.get("/commitments/disclosures/?page=x").status_code == 200


# Bad input loses nothing: a refused answer, response or goal comes back whole -------

WORDS = "… " * 1200 + "مرحبا 🌱"


def test_it_keeps_a_refused_answer_s_words_on_the_page(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    """An answer over the limit was refused with a message after a redirect: the
    words typed were gone."""
    from mend.commitments.tests.test_accountability import key_of

    question = Question.draft(space, ana, key_of(ana), text="Why?", topic="meaning")
    question.set_shared(key_of(ana), ana, share=True)
    r = client_for(ben).post(
        f"/commitments/questions/{question.code}/answer/", {"text": WORDS}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "مرحبا 🌱</textarea>" in html
    assert "at most 2000 characters" in html
    assert not question.answers.exists()


def test_it_keeps_a_refused_response_s_words_on_the_page(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    told = Disclosure.log(space, ben, what="x", happened_at=NOW, late_addition=True)
    r = client_for(ana).post(
        f"/commitments/disclosures/{told.code}/respond/", {"response": WORDS}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "مرحبا 🌱</textarea>" in html
    assert "at most 2000 characters" in html
    told.refresh_from_db()
    assert not told.response


def test_it_keeps_a_refused_goal_s_words_on_the_page(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    from mend.commitments.models import Goal

    r = client_for(ana).post(
        "/commitments/goals/new/",
        {"goal-text": WORDS, "goal-due_on": "2099-01-01"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "مرحبا 🌱" in html
    assert "at most 300 characters" in html
    assert not Goal.objects.exists()


def test_it_keeps_the_words_when_the_answer_s_form_is_not_on_the_page(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    """The asker has no answer form on her own question: the reason and the words
    come back above the list, to copy."""
    from mend.commitments.tests.test_accountability import key_of

    question = Question.draft(space, ana, key_of(ana), text="Why?", topic="meaning")
    question.set_shared(key_of(ana), ana, share=True)
    r = client_for(ana).post(
        f"/commitments/questions/{question.code}/answer/", {"text": "مرحبا 🌱"}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "your partner is the one to answer" in html
    assert "مرحبا 🌱</textarea>" in html
    assert not question.answers.exists()


def test_it_keeps_a_refused_change_s_words_on_the_page(
    ben: User, client_for: ClientFor, commitment: Commitment
) -> None:
    r = client_for(ben).post(
        f"/commitments/{commitment.code}/change/",
        {"text": WORDS, "frequency": "daily", "interval": "1", "at": "08:00"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert 'مرحبا 🌱"' in html  # the input's value, whole
    assert "at most 300 characters" in html
    assert not commitment.wordings.filter(affirmed_by=None).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("back", ["index", "detail"])
def test_it_keeps_a_refused_view_s_words_where_it_was_written(
    commitment: Commitment, ana: User, ben: User, client_for: ClientFor, back: str
) -> None:
    """ "I saw it differently", refused (too long), came back as a message after a
    redirect, and the sentence was gone."""
    client_for(ben).post(
        f"/commitments/{commitment.code}/mark/", {"on": "2026-11-09", "kept": "yes"}
    )
    note = "… " * 200 + "مرحبا 🌱"
    r = client_for(ana).post(
        f"/commitments/{commitment.code}/respond/",
        {"on": "2026-11-09", "agrees": "no", "note": note, "next": back},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert f'value="{note}"' in html
    assert "at most 300 characters" in html
    assert not Mark.objects.get().partner_view
