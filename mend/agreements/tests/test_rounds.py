"""Repair for any hurt, walked by both: incidents, two-sided realities, rounds."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mend.accounts.models import User
from mend.agreements.models import CrossingReport, RepairRound, RoundEntry
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import AccessLog

JSON = "application/json"


def _incident(space: Space, ana: User) -> CrossingReport:
    return CrossingReport.file_incident(
        space, ana, what_happened="We shouted in the car.", how_it_felt="I felt small."
    )


def test_an_incident_needs_no_agreement(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).post(
        "/agreements/incidents/new/",
        {"what_happened": "A remark at dinner.", "how_it_felt": "I felt hurt."},
    )
    report = CrossingReport.objects.get()
    assert response.status_code == 302 and report.agreement is None
    page = client_for(ben).get(f"/agreements/reports/{report.code}/").content.decode()
    assert "After a hard moment" in page and "A remark at dinner." in page
    # The same steps follow: Ben answers with a repair, Ana replies.
    report.answer(
        ben,
        feelings="I felt ashamed.",
        view="I was tired and snapped.",
        responsibility="I'm sorry I raised my voice.",
        step="I'll ask for a pause when I'm tired.",
        talk_at=timezone.now() + timedelta(days=1),
    )
    report.close(ana, outcome="talk_more", step="I'll say when I'm hurt.")
    api = client_for(ana).get(f"/api/agreements/reports/{report.code}").json()
    assert api["agreement"] is None and api["status"] == "talk_more"


def test_realities_are_two_sided_before_any_plan(
    space: Space, ana: User, ben: User
) -> None:
    report = _incident(space, ana)
    r = report.open_round(ben)
    with pytest.raises(Refused, match="hasn't described their view"):
        r.write(ana, "summary", "You were tired.", "Tired makes sense.")
    r.write(ana, "view", "You raised your voice first.")
    with pytest.raises(Refused, match="Plans come after understanding"):
        r.write(ana, "plan", "Pause when tired.")
    r.write(ben, "view", "I was tired and the traffic was bad.")
    with pytest.raises(Refused, match="part that makes sense"):
        r.write(ben, "summary", "You felt I started it.", "")
    r.write(ben, "summary", "You felt I started it.", "I did raise it first.")
    with pytest.raises(Refused, match="Plans come after understanding"):
        r.write(ben, "plan", "Pause when tired.")
    r.write(ana, "summary", "You were tired.", "Traffic wears anyone down.")
    r.write(ben, "plan", "I'll ask for a pause when I'm tired.")
    r.write(ana, "plan", "I'll name it early.")
    with pytest.raises(Refused, match="already wrote this step") as refused:
        r.write(ana, "plan", "Another plan.")
    assert refused.value.status == 409
    assert RoundEntry.objects.filter(round=r).count() == 6


def test_a_new_round_keeps_the_earlier_ones(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    report = _incident(space, ana)
    first = report.open_round(ana)
    with pytest.raises(Refused, match="still empty"):
        report.open_round(ben)
    first.write(ana, "feelings", "I felt small.")
    a = client_for(ana)
    assert a.post(f"/agreements/reports/{report.code}/rounds/").status_code == 302
    second = RepairRound.objects.get(number=2)
    url = f"/api/agreements/reports/{report.code}/rounds/{second.code}/entries"
    made = a.post(url, {"step": "feelings", "text": "Still small."}, content_type=JSON)
    assert made.status_code == 201
    rounds = made.json()["rounds"]
    assert [[e["text"] for e in r["entries"]] for r in rounds] == [
        ["I felt small."],
        ["Still small."],
    ]
    page = client_for(ben).get(f"/agreements/reports/{report.code}/").content.decode()
    assert "Round 1" in page and "Round 2" in page and "I felt small." in page
    assert "Talk it through in a conversation" in page
    # Ben's look at Ana's words in the rounds is in the log both read.
    assert AccessLog.objects.filter(viewer=ben, kind="repair step").count() == 2


@pytest.mark.parametrize(
    "body",
    [{"step": "nonsense", "text": "x"}, {"step": "feelings", "text": "  "}, {}],
)
def test_it_refuses_bad_steps_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client], body: dict[str, str]
) -> None:
    report = _incident(space, ana)
    r = report.open_round(ana)
    url = f"/api/agreements/reports/{report.code}/rounds/{r.code}/entries"
    response = client_for(ana).post(url, body, content_type=JSON)
    assert response.status_code == 400, response.content
    assert not RoundEntry.objects.exists()


def test_it_hides_other_couples_rounds(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    report = _incident(space, ana)
    r = report.open_round(ana)
    d = client_for(dan)
    assert d.post(f"/agreements/reports/{report.code}/rounds/").status_code == 404
    url = f"/agreements/reports/{report.code}/rounds/{r.code}/"
    assert d.post(url, {"step": "feelings", "text": "x"}).status_code == 404
    api = f"/api/agreements/reports/{report.code}/rounds/{r.code}/entries"
    assert (
        d.post(api, {"step": "feelings", "text": "x"}, content_type=JSON).status_code
        == 404
    )
    assert not RoundEntry.objects.exists()


def test_every_repair_form_asks_the_coach(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    report = _incident(space, ana)
    page = client_for(ben).get(f"/agreements/reports/{report.code}/").content.decode()
    # The repair's five steps, each read by the coach for its writer, not its reader.
    assert page.count('hx-post="/conversations/coach/"') >= 4
    assert 'id="coach-note"' in page
    form = client_for(ana).get("/agreements/incidents/new/").content.decode()
    assert form.count('hx-post="/conversations/coach/"') == 2


WORDS = "… " * 1200 + "مرحبا 🌱"


def test_it_keeps_a_refused_step_s_words_on_the_page(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    """A step refused (too long) came back as a message after a redirect, and the
    words written were gone. Bad input loses nothing."""
    report = _incident(space, ana)
    r = report.open_round(ana)
    response = client_for(ana).post(
        f"/agreements/reports/{report.code}/rounds/{r.code}/",
        {"step": "feelings", "text": WORDS},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "مرحبا 🌱</textarea>" in html
    assert 'aria-describedby="step-feelings-error"' in html
    assert "at most 2000 characters" in html
    assert not RoundEntry.objects.exists()


def test_it_keeps_the_words_of_a_step_written_too_early(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    """A plan before both views has no form on the page: the reason and the words
    come back above the rounds, to copy."""
    report = _incident(space, ana)
    r = report.open_round(ana)
    response = client_for(ana).post(
        f"/agreements/reports/{report.code}/rounds/{r.code}/",
        {"step": "plan", "text": "Pause when tired. مرحبا 🌱"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Plans come after understanding" in html
    assert "Pause when tired. مرحبا 🌱</textarea>" in html
    assert not RoundEntry.objects.exists()
