import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from conftest import PASSWORD
from mend.accounts.models import User
from mend.agreements import actions as inventory_actions
from mend.agreements import models as agreement_models
from mend.agreements.actions import SWEEP_CHANGES
from mend.agreements.models import SWEEP_KIND, InventoryAnswer, InventoryItem
from mend.couples.models import Space
from mend.privacy.models import AccessLog, unseal_with

CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _item(text: str = "Kissing") -> InventoryItem:
    return InventoryItem.objects.get(text=text, space=None)


def _answer(client: Client, item: InventoryItem, answer: str) -> None:
    response = client.post("/agreements/inventory/", {f"item-{item.code}": answer})
    assert response.status_code == 302, response.content


def _page(client: Client, section: str = "") -> bytes:
    """Return the inventory page without its per-request CSRF tokens."""
    response = client.get(f"/agreements/inventory/?section={section}")
    assert response.status_code == 200
    return CSRF.sub(rb"\1-", response.content)


def _api(client: Client) -> bytes:
    response = client.get("/api/agreements/inventory")
    assert response.status_code == 200
    return response.content


def _overlap_section(page: bytes, heading: bytes) -> bytes:
    return page.split(heading, 1)[1].split(b"</section>", 1)[0]


def test_it_requires_login(db: None) -> None:
    assert Client().get("/agreements/inventory/").status_code == 302
    assert Client().get("/api/agreements/inventory").status_code == 401


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _page(a), _page(b)
    _answer(a, _item(), "yes")
    _answer(b, _item(), "yes")
    page = _page(a)
    assert b"Kissing" in _overlap_section(page, b"You both said yes</h2>")
    assert b"whoever runs this Mend server could" in page


def test_a_no_never_reaches_the_other_partner(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _page(a), _page(b)
    item = _item()
    _answer(a, item, "yes")
    _page(a)  # shows and clears the "Saved" message
    # What Ana can see while Ben has not answered at all...
    before_page, before_api = _page(a), _api(a)
    for answer in ("no", "not_now"):
        _answer(b, item, answer)
        # ...is exactly what she sees after Ben says no or not now: no trace of it.
        assert _page(a) == before_page
        assert _api(a) == before_api
    assert b"Kissing" not in _overlap_section(_page(a), b"You both said yes</h2>")
    # The sealed answer in the database names nothing either.
    sealed = bytes(InventoryAnswer.objects.get(user=ben, item=item).sealed)
    assert b"not_now" not in sealed

    _answer(b, item, "yes")
    assert b"Kissing" in _overlap_section(_page(a), b"You both said yes</h2>")
    assert "Kissing" in [
        i["text"] for i in a.get("/api/agreements/inventory").json()["both_yes"]
    ]

    _answer(b, item, "no")
    assert _page(a) == before_page
    assert _api(a) == before_api


def test_at_least_maybe_is_a_separate_overlap(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _page(a), _page(b)
    _answer(a, _item(), "maybe")
    _answer(b, _item(), "yes")
    page = _page(b)
    assert b"Kissing" not in _overlap_section(page, b"You both said yes</h2>")
    assert b"Kissing" in _overlap_section(page, b"You both said yes or maybe</h2>")


def test_a_couple_can_extend_the_list(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    response = a.post("/agreements/inventory/add/", {"text": "Dancing in the kitchen"})
    assert response["Location"] == "/agreements/inventory/?section=ours"
    assert b"Dancing in the kitchen" in _page(client_for(ben), "ours")
    assert (
        b"Dancing in the kitchen"
        not in client_for(dan).get("/agreements/inventory/?section=ours").content
    )
    a.post("/agreements/inventory/add/", {"text": ""})
    assert InventoryItem.objects.filter(space=space).count() == 1


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a, b, d = client_for(ana), client_for(ben), client_for(dan)
    _page(a), _page(b)
    _answer(a, _item(), "yes")
    _answer(b, _item(), "yes")
    page = _page(d)
    assert b"Kissing" not in _overlap_section(page, b"You both said yes</h2>")
    assert d.get("/api/agreements/inventory").json()["both_yes"] == []


def test_it_refuses_an_unknown_answer(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    _page(a)
    response = a.post(
        "/agreements/inventory/", {f"item-{_item().code}": "definitely"}, follow=True
    )
    assert b"Please answer yes, maybe, not now or no." in response.content
    assert not InventoryAnswer.objects.exists()
    api = a.put(
        f"/api/agreements/inventory/{_item().code}",
        {"answer": "definitely"},
        content_type="application/json",
    )
    assert api.status_code == 400


def test_a_locked_key_is_explained_kindly(space: Space, ana: User) -> None:
    from mend.accounts.models import ApiToken

    _token, secret = ApiToken.issue(ana, "t")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(
        "/api/agreements/inventory"
    )
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]


def test_the_page_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    a, b = client_for(ana), client_for(ben)
    _page(a), _page(b)
    for text in ("Kissing", "Long hugs", "Holding hands"):
        _answer(a, _item(text), "yes")
        _answer(b, _item(text), "maybe")
    with django_assert_max_num_queries(18):
        a.get("/agreements/inventory/")


def test_it_translates_built_in_wording_but_never_a_couples_own(
    space: Space, ana: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_in = InventoryItem.objects.filter(space__isnull=True).first()
    assert built_in is not None
    ours = InventoryItem.add(space, ana, "Holding hands")  # same words, typed by them
    # No catalog ships yet: stand in for one that knows every built-in wording.
    monkeypatch.setattr(agreement_models, "_", lambda text: f"[de] {text}")
    assert built_in.label == f"[de] {built_in.text}"
    assert ours.label == "Holding hands"
    migration = (
        Path(__file__).resolve().parent.parent
        / "migrations"
        / "0002_seed_inventory_items.py"
    ).read_text()
    # Every built-in wording is marked for translation where it is defined.
    for item in InventoryItem.objects.filter(space__isnull=True):
        assert f'_("{item.text}")' in migration


def test_it_explains_what_an_overlap_reveals_before_anyone_answers(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = _page(client_for(ana)).decode()
    assert not InventoryAnswer.objects.exists()
    explained = page.split('id="what-overlaps-show"', 1)[1].split("</section>", 1)[0]
    answers_form = page.index("Your answers</h2>")
    assert page.index('id="what-overlaps-show"') < answers_form
    for words in (
        "If your partner answers yes to everything",
        "No, not now and not answered yet look exactly the same",
        "many answers in a short time",
        "When either of you leaves the space or erases their account",
    ):
        assert words in explained


def _everything_ana_can_see(a: Client) -> tuple[bytes, bytes, bytes, dict[str, Any]]:
    export = a.get("/privacy/export.json").json()
    export.pop("exported_at")
    log = CSRF.sub(rb"\1-", a.get("/privacy/log/").content)
    return _page(a), _api(a), log, export


def test_no_not_now_and_unanswered_look_the_same_everywhere(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = client_for(ana), client_for(ben)
    a.post("/accounts/confirm/", {"password": PASSWORD})
    _page(a), _page(b)
    everything = {f"item-{i.code}": "yes" for i in InventoryItem.objects.all()}
    assert a.post("/agreements/inventory/", everything).status_code == 302
    _page(a)  # shows and clears the "Saved" message
    # Count how many sealed answers Ana's page opens: work done per item must not
    # depend on whether Ben answered.
    opened: list[str] = []

    def counting(couple_key: bytes, sealed: bytes, where: str) -> str:
        opened.append(where)
        return unseal_with(couple_key, sealed, where)

    monkeypatch.setattr(inventory_actions, "unseal_with", counting)

    def seen() -> tuple[tuple[bytes, bytes, bytes, dict[str, Any]], int]:
        opened.clear()
        everything_seen = _everything_ana_can_see(a)
        return everything_seen, len(opened)

    unanswered = seen()
    item = _item()
    for answer in ("no", "not_now"):
        _answer(b, item, answer)
        assert seen() == unanswered, answer
    _answer(b, item, "yes")
    assert b"Kissing" in _overlap_section(_page(a), b"You both said yes</h2>")


def test_a_sweep_of_changes_shows_in_the_other_partners_access_log(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    _page(a), _page(b)
    items = list(InventoryItem.objects.all()[: SWEEP_CHANGES + 2])
    # Answering for the first time, all at once, is no sweep.
    assert (
        a.post(
            "/agreements/inventory/", {f"item-{i.code}": "no" for i in items}
        ).status_code
        == 302
    )
    # Nor is changing one's mind about a few things.
    for item in items[: SWEEP_CHANGES - 1]:
        _answer(a, item, "yes")
    assert b"Ana" not in b.get("/privacy/log/").content
    # One change more within the hour, here through the API, and it shows.
    response = a.put(
        f"/api/agreements/inventory/{items[SWEEP_CHANGES - 1].code}",
        {"answer": "yes"},
        content_type="application/json",
    )
    assert response.status_code == 200
    log = b.get("/privacy/log/").content.decode()
    assert "Ana" in log
    assert str(SWEEP_KIND) in log
    entry = AccessLog.objects.get()
    assert (entry.viewer, entry.author) == (ana, ben)
    # Both read the same log; Ben's own answers are untouched and unnamed.
    assert str(SWEEP_KIND) in a.get("/privacy/log/").content.decode()
    assert "Kissing" not in log


def test_it_shows_one_section_at_a_time_with_progress(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    first = _page(a).decode()
    assert "Section 1 of 3" in first and 'aria-current="step">1' not in first
    answers = first.split('id="your-answers"', 1)[1]
    assert "Kissing" in answers and "Intercourse" not in answers
    assert "Next: Intimacy" in first and "Back:" not in first
    intimacy = _page(a, "intimacy").decode()
    assert "Section 2 of 3" in intimacy and "Back: Closeness" in intimacy
    assert (
        "Intercourse" in intimacy
        and "Kissing" not in intimacy.split('id="your-answers"', 1)[1]
    )
    # An unknown section shows the first, never an error.
    assert "Section 1 of 3" in _page(a, "nonsense").decode()


def test_it_saves_an_answer_on_tap(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    a, b = client_for(ana), client_for(ben)
    item = _item()
    url = f"/agreements/inventory/{item.code}/answer/"
    response = a.post(url, {f"item-{item.code}": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip() == "Saved. Only you can see it."
    b.post(url, {f"item-{item.code}": "yes"}, HTTP_HX_REQUEST="true")
    assert b"Kissing" in _overlap_section(_page(a), b"You both said yes</h2>")
    # Without htmx the same address saves and goes back to the item's section.
    response = a.post(url, {f"item-{item.code}": "maybe"})
    assert response["Location"] == "/agreements/inventory/?section=closeness"
    assert b"Kissing" not in _overlap_section(_page(a), b"You both said yes</h2>")


def test_a_tap_with_a_bad_answer_says_so_and_changes_nothing(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    item = _item()
    url = f"/agreements/inventory/{item.code}/answer/"
    response = a.post(url, {f"item-{item.code}": "definitely"}, HTTP_HX_REQUEST="true")
    assert (
        "Not saved: Please answer yes, maybe, not now or no."
        in response.content.decode()
    )
    assert not InventoryAnswer.objects.exists()


def test_a_tap_cannot_reach_another_couples_item(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    client_for(ana).post("/agreements/inventory/add/", {"text": "Ours alone"})
    ours = InventoryItem.objects.get(space=space)
    response = client_for(dan).post(
        f"/agreements/inventory/{ours.code}/answer/", {f"item-{ours.code}": "yes"}
    )
    assert response.status_code == 404
    assert not InventoryAnswer.objects.exists()


def test_it_keeps_a_refused_item_s_words_on_the_page(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    """An item refused (too long) came back as a message after a redirect, and the
    words typed were gone."""
    words = "… " * 100 + "مرحبا 🌱"
    response = client_for(ana).post("/agreements/inventory/add/", {"text": words})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{words}"' in html
    assert "200 characters" in html
    assert not InventoryItem.objects.filter(space=space).exists()


def test_saving_twice_at_once_says_saved_once(
    space: Space, client_for: Callable[[User], Client]
) -> None:
    """A double click on "Save my answers" sent the form twice, and the page after
    said "Saved" twice."""
    ben = client_for(space.partners()[1])
    _answer(ben, _item(), "no")
    _answer(ben, _item(), "no")
    page = ben.get("/agreements/inventory/").content.decode()
    assert page.count("Saved. Only you can see your answers.") == 1
