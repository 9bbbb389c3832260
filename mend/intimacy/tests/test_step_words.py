"""A ladder step's words change only with both, and a "ready" belongs to its words."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from conftest import make_person
from mend.accounts.models import User
from mend.couples import actions as couples
from mend.couples.models import Space
from mend.intimacy.actions import plan_for
from mend.intimacy.models import Plan, Readiness
from mend.live.models import Event

ClientFor = Callable[[User], Client]


def _plan(client: Client) -> dict[str, Any]:
    plan: dict[str, Any] = client.get("/api/intimacy/plan").json()
    return plan


def _step(plan: dict[str, Any], index: int) -> dict[str, Any]:
    step: dict[str, Any] = plan["steps"][index]
    return step


def _current(plan: dict[str, Any]) -> str:
    title: str = next(s["title"] for s in plan["steps"] if s["is_current"])
    return title


def _propose(client: Client, code: str, title: str, notes: str = "") -> Any:
    return client.put(
        f"/api/intimacy/steps/{code}",
        {"title": title, "notes": notes},
        content_type="application/json",
    )


def _affirm(client: Client, step: dict[str, Any], words: str = "I agree") -> Any:
    proposal = step["proposal"]
    return client.post(
        f"/api/intimacy/steps/{step['code']}/words/{proposal['code']}/affirm",
        {"words": words},
        content_type="application/json",
    )


def test_it_keeps_the_current_words_until_the_partner_affirms(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    current = _step(_plan(a), 0)
    proposed = _propose(a, current["code"], "A slow walk", "Arm in arm if we like")
    assert proposed.status_code == 200, proposed.content
    # Ana alone cannot reword the step they are on: the old words stand for both.
    assert _current(_plan(b)) == "Time together"
    assert _current(proposed.json()) == "Time together"
    waiting = _step(_plan(b), 0)["proposal"]
    assert waiting["title"] == "A slow walk" and not waiting["proposed_by_me"]
    page = b.get("/intimacy/").content.decode()
    assert "A slow walk" in page and "Time together" in page
    # The proposer cannot affirm her own words.
    assert _affirm(a, _step(_plan(a), 0)).status_code == 409
    # Words other than an explicit affirmation are refused and change nothing.
    assert _affirm(b, _step(_plan(b), 0), "ok whatever").status_code == 400
    assert _current(_plan(a)) == "Time together"
    done = _affirm(b, _step(_plan(b), 0))
    assert done.status_code == 200, done.content
    assert _current(done.json()) == "A slow walk"
    assert _step(done.json(), 0)["notes"] == "Arm in arm if we like"
    assert _step(done.json(), 0)["proposal"] is None
    assert Event.objects.filter(change="edit").exists()


def test_a_step_above_needs_both_too_but_a_step_below_changes_alone(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    a.post("/api/intimacy/plan/ready")
    b.post("/api/intimacy/plan/ready")
    plan = _plan(a)
    assert _current(plan) == "Holding hands"
    _propose(a, _step(plan, 4)["code"], "Something else")
    assert _step(_plan(b), 4)["title"] != "Something else"
    below = _propose(a, _step(plan, 0)["code"], "Time side by side")
    assert below.status_code == 200
    assert _step(_plan(b), 0)["title"] == "Time side by side"
    assert _step(_plan(b), 0)["proposal"] is None


def test_a_ready_given_to_old_words_does_not_carry_over(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    assert a.post("/api/intimacy/plan/ready").json()["i_am_ready"]
    following = _step(_plan(b), 1)
    assert following["title"] == "Holding hands"
    _propose(b, following["code"], "Hugs, clothed")
    # Ana affirms the new words; her earlier yes was for "Holding hands".
    assert _affirm(a, _step(_plan(a), 1)).status_code == 200
    assert not _plan(a)["i_am_ready"]
    moved = b.post("/api/intimacy/plan/ready").json()
    assert not moved["moved_up"]
    assert _current(_plan(a)) == "Time together"
    # Both are told plainly that any earlier yes for the step was cleared.
    for client in (a, b):
        page = client.get("/intimacy/").content.decode()
        assert "Any “ready” given for the earlier words was cleared" in page
    # Ana can say yes again, to the new words, and then they move up together.
    assert a.post("/api/intimacy/plan/ready").json()["moved_up"]
    assert _current(_plan(b)) == "Hugs, clothed"


def test_a_proposal_waiting_is_replaced_by_a_newer_one(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    code = _step(_plan(a), 1)["code"]
    _propose(a, code, "First idea")
    stale = _step(_plan(b), 1)
    _propose(b, code, "Second idea")
    # Ben's counter-proposal replaced Ana's: affirming the old one is refused.
    assert _affirm(b, stale).status_code == 409
    assert _affirm(a, _step(_plan(a), 1)).status_code == 200
    assert _step(_plan(b), 1)["title"] == "Second idea"


def test_the_edit_page_proposes_and_the_partner_affirms_on_the_ladder(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    code = _step(_plan(a), 0)["code"]
    response = a.post(f"/intimacy/steps/{code}/edit/", {"title": "A slow walk"})
    assert response.status_code == 302
    assert _current(_plan(a)) == "Time together"
    proposal = _step(_plan(b), 0)["proposal"]["code"]
    url = f"/intimacy/steps/{code}/words/{proposal}/affirm/"
    # Refused: the page again at 400 with why and the words as typed; by htmx, the
    # plan with the same.
    for htmx in (False, True):
        refused = b.post(
            url,
            {"words": "I agre ✋ אני"},
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert refused.status_code == (200 if htmx else 400)
        content = refused.content.decode()
        assert 'value="I agre ✋ אני" aria-invalid="true"' in content
        # Why, said beside the box (at the top of the plan it was off a phone's
        # screen, a long way above the step), and tied to it for a screen reader.
        label = content.index(f'for="affirm-{proposal}"')
        error = content.index(f'id="affirm-error-{proposal}"')
        assert label < error < content.index(f'id="affirm-{proposal}"')
        assert content.count("error-box") == 1
        assert f'aria-describedby="affirm-error-{proposal}"' in content
    assert _current(_plan(a)) == "Time together"
    assert b.post(url, {"words": "I agree"}).status_code == 302
    assert _current(_plan(a)) == "A slow walk"


def _rows() -> dict[str, set[tuple[Any, ...]]]:
    tables = [
        t for t in connection.introspection.table_names() if t.startswith("intimacy_")
    ]
    rows: dict[str, set[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # table names from introspection
            rows[table] = {
                tuple(
                    bytes(v) if isinstance(v, (bytes, memoryview)) else v for v in row
                )
                for row in cursor.fetchall()
            }
    return rows


def test_a_ready_is_not_readable_at_rest(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a = client_for(ana)
    a.get("/api/intimacy/plan")
    before = _rows()
    a.post("/api/intimacy/plan/ready")
    after = _rows()
    for table, rows in after.items():
        for row in rows - before[table]:
            # A changed row may differ only in sealed bytes: nothing readable names
            # who said ready or for which step.
            old = [r for r in before[table] if r[0] == row[0]]
            assert old, f"a new readable row in {table}: {row}"
            changed = [(o, n) for o, n in zip(old[0], row, strict=True) if o != n]
            assert all(isinstance(n, bytes) for _o, n in changed), (table, changed)
    sealed = Plan.objects.get().sealed_readiness
    assert sealed is not None
    a.post("/api/intimacy/plan/not-yet")
    taken_back = Plan.objects.get().sealed_readiness
    assert taken_back is not None
    # The same length with a yes or without: the length says nothing either.
    assert len(bytes(sealed)) == len(bytes(taken_back))
    assert not _plan(a)["i_am_ready"]


def test_a_yes_stored_readably_before_is_sealed_and_still_counts(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    plan = plan_for(space)
    following = plan.next_step()
    assert following is not None
    Readiness.objects.create(plan=plan, user=ana, step=following)
    a, b = client_for(ana), client_for(ben)
    assert _plan(b)["i_am_ready"] is False
    # Opening the ladder folded Ana's v0.1 yes into the sealed value.
    assert not Readiness.objects.exists()
    assert Plan.objects.get().sealed_readiness is not None
    assert _plan(a)["i_am_ready"]
    assert b.post("/api/intimacy/plan/ready").json()["moved_up"]


def test_it_hides_other_couples_proposals(
    space: Space, ana: User, dan: User, client_for: ClientFor
) -> None:
    a, d = client_for(ana), client_for(dan)
    step = _step(_plan(a), 0)
    _propose(a, step["code"], "A slow walk")
    mine = _step(_plan(a), 0)
    assert _affirm(d, mine).status_code == 404
    url = f"/intimacy/steps/{step['code']}/words/{mine['proposal']['code']}/affirm/"
    assert d.post(url, {"words": "I agree"}).status_code == 404
    assert _current(_plan(a)) == "Time together"


def test_the_plan_still_shows_before_a_partner_has_a_copy_of_the_couple_key(
    db: None, client_for: ClientFor
) -> None:
    ana, ben = make_person("ana", "Ana"), make_person("ben", "Ben")
    space = couples.create_space(ana, roles_answer="unsaid")
    a = client_for(ana)
    assert _plan(a)["i_am_ready"] is False
    _invite, code = couples.issue_invite(space, ana)
    couples.join(ben, code)
    b = client_for(ben)
    # Ben has no copy of the couple key until Ana opens a page that seals him one.
    response = b.get("/api/intimacy/plan")
    assert response.status_code == 200
    assert response.json()["i_am_ready"] is None
    assert b.post("/api/intimacy/plan/ready").status_code == 409
    assert "Time together" in b.get("/intimacy/").content.decode()
    _plan(a)
    assert b.post("/api/intimacy/plan/ready").json()["i_am_ready"]
