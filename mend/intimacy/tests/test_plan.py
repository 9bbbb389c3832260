from collections.abc import Callable
from typing import Any

from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.intimacy.models import DEFAULT_LADDER, Plan
from mend.live.models import Event


def _plan(client: Client) -> dict[str, Any]:
    plan: dict[str, Any] = client.get("/api/intimacy/plan").json()
    return plan


def _current(plan: dict[str, Any]) -> str:
    title: str = next(s["title"] for s in plan["steps"] if s["is_current"])
    return title


def test_it_requires_login(db: None) -> None:
    assert Client().get("/intimacy/").status_code == 302
    assert Client().get("/api/intimacy/plan").status_code == 401


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).get("/intimacy/").content.decode()
    assert "Time together" in page and "you are here" in page
    assert "coming soon" not in page.lower()
    plan = Plan.objects.get()
    assert [s.title for s in plan.ordered_steps()] == [
        str(t) for t, _n in DEFAULT_LADDER
    ]
    assert plan.current is not None
    assert plan.current.title == "Time together"
    for step in plan.ordered_steps():
        assert f"/intimacy/after/new/?step={step.code}" in page


def test_moving_up_needs_both_yeses_given_privately(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    first = a.post("/api/intimacy/plan/ready").json()
    assert first["i_am_ready"] and not first["moved_up"]
    assert _current(first) == "Time together"
    # Ana's yes is hers alone: Ben's page shows no sign of it, and no "no" either.
    ben_page = b.get("/intimacy/").content.decode()
    assert "You said you're ready" not in ben_page
    assert not _plan(b)["i_am_ready"]
    assert not Event.objects.exists()
    both = b.post("/api/intimacy/plan/ready").json()
    assert both["moved_up"] and _current(both) == "Holding hands"
    assert not both["i_am_ready"] and not _plan(a)["i_am_ready"]
    event = Event.objects.get()
    assert (event.type, event.change, event.actor) == ("intimacy", "up", ben)


def test_a_yes_can_be_taken_back(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    a.post("/intimacy/ready/")
    a.post("/intimacy/not-yet/")
    b.post("/intimacy/ready/")
    assert _current(_plan(a)) == "Time together"


def test_moving_up_alone_is_refused_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    plan = _plan(a)
    higher = plan["steps"][3]["code"]
    response = a.post(
        "/api/intimacy/plan/step", {"step": higher}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "needs a yes from both of you" in response.json()["detail"]
    assert _current(_plan(a)) == "Time together"
    page = a.post(f"/intimacy/steps/{higher}/go/", headers={"HX-Request": "true"})
    assert "needs a yes from both of you" in page.content.decode()
    assert not Event.objects.exists()


def test_either_moves_down_in_one_tap_and_the_other_is_told_kindly(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    a.post("/intimacy/ready/")
    b.post("/intimacy/ready/")
    a.post("/intimacy/ready/")
    b.post("/intimacy/ready/")
    assert _current(_plan(a)) == "Hugs and cuddling, clothed"
    response = a.post("/intimacy/gentler/")
    assert response.status_code == 302
    assert _current(_plan(b)) == "Holding hands"
    assert (
        "Your partner chose a gentler step. Nothing"
        in b.get("/intimacy/").content.decode()
    )
    assert (
        "Your partner chose a gentler step. Nothing"
        not in a.get("/intimacy/").content.decode()
    )
    last = Event.objects.order_by("-pk").first()
    assert last is not None
    assert last.change == "down"
    b.post("/api/intimacy/plan/down")
    assert _current(_plan(a)) == "Time together"
    at_bottom = a.post("/api/intimacy/plan/down")
    assert at_bottom.status_code == 409


def test_both_can_edit_the_ladder(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    added = a.post(
        "/api/intimacy/steps",
        {"title": "A bath together", "notes": ""},
        content_type="application/json",
    )
    assert added.status_code == 201
    code = added.json()["steps"][-1]["code"]
    renamed = b.put(
        f"/api/intimacy/steps/{code}",
        {"title": "A warm bath together", "notes": "candles"},
        content_type="application/json",
    )
    # A step above the current one: the new words wait for Ana's affirmation.
    proposal = renamed.json()["steps"][-1]["proposal"]
    assert renamed.json()["steps"][-1]["title"] == "A bath together"
    affirmed = a.post(
        f"/api/intimacy/steps/{code}/words/{proposal['code']}/affirm",
        {"words": "I agree"},
        content_type="application/json",
    )
    assert affirmed.json()["steps"][-1]["title"] == "A warm bath together"
    assert "A warm bath together" in a.get("/intimacy/").content.decode()
    current = _plan(a)["current"]
    assert a.delete(f"/api/intimacy/steps/{current}").status_code == 409
    assert a.delete(f"/api/intimacy/steps/{code}").status_code == 200
    assert len(_plan(b)["steps"]) == len(DEFAULT_LADDER)
    assert Event.objects.filter(change="edit").count() == 4
    bad = a.post("/api/intimacy/steps", {"title": ""}, content_type="application/json")
    assert bad.status_code in (400, 422)


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a, d = client_for(ana), client_for(dan)
    step = _plan(a)["steps"][0]["code"]
    assert (
        d.put(
            f"/api/intimacy/steps/{step}",
            {"title": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert d.post(f"/intimacy/steps/{step}/go/").status_code == 404
    assert step not in d.get("/api/intimacy/plan").content.decode()


def test_it_keeps_a_refused_step_s_words_with_htmx_and_without(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    """A ladder step refused (too long) came back with an empty form in the fragment,
    or as a message after a redirect: the words typed were gone."""
    a = client_for(ana)
    a.get("/intimacy/")
    steps = Plan.objects.get().steps.count()
    body = {"title": "A bath, مرحبا 🌱", "notes": "… " * 400 + "مرحبا 🌱"}
    page = a.post("/intimacy/steps/", body)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="A bath, مرحبا 🌱"' in html
    assert f'value="{body["notes"]}"' in html
    assert "at most 500 characters" in html and 'role="alert"' in html
    part = a.post("/intimacy/steps/", body, headers={"HX-Request": "true"})
    assert part.status_code == 200  # htmx swaps only a 200
    assert 'value="A bath, مرحبا 🌱"' in part.content.decode()
    assert Plan.objects.get().steps.count() == steps
