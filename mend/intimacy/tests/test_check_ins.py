import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from conftest import PASSWORD
from mend.accounts.models import ApiToken, Keyring, User
from mend.couples.models import Space
from mend.intimacy.actions import plan_for, write_check_in
from mend.intimacy.models import AfterCheckIn, Step
from mend.lib.errors import Refused
from mend.privacy import actions as privacy
from mend.privacy.models import AccessLog
from mend.privacy.tests.helpers import confirmed

ClientFor = Callable[[User], Client]
# Midday in Berlin, where every persona lives.
NOW = dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 26)
YESTERDAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _write(
    client: Client,
    felt_good: str = "",
    *,
    on: dt.date = TODAY,
    share: bool = False,
    step: Step | None = None,
    **answers: str,
) -> AfterCheckIn:
    data = {"felt_good": felt_good, "on": on.isoformat(), **answers}
    if share:
        data["share"] = "on"
    url = "/intimacy/after/new/" + (f"?step={step.code}" if step else "")
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    return AfterCheckIn.objects.latest("pk")


def _api_write(client: Client, **body: Any) -> Any:
    return client.post("/api/intimacy/after", body, content_type="application/json")


def _key(user: User) -> bytes:
    return Keyring.objects.get(user=user).open_with_password(PASSWORD)


def test_it_requires_login(db: None) -> None:
    assert Client().get("/intimacy/after/").status_code == 302
    assert Client().get("/intimacy/after/new/").status_code == 302
    assert Client().get("/api/intimacy/after").status_code == 401


def test_it_works(space: Space, ana: User, client_for: ClientFor) -> None:
    a = client_for(ana)
    form = a.get("/intimacy/after/new/").content.decode()
    assert "What felt good" in form and "same day" in form
    assert 'name="share"' in form and "checked" not in form
    assert 'value="2026-11-26"' in form and 'max="2026-11-26"' in form
    entry = _write(a, "slow and easy", change_or_keep="keep the music")
    assert (entry.on, entry.author, entry.is_shared) == (TODAY, ana, False)
    page = a.get("/intimacy/after/").content.decode()
    assert "slow and easy" in page and "you, private" in page
    detail = a.get(f"/intimacy/after/{entry.code}/").content.decode()
    assert "keep the music" in detail and "Share with my partner" in detail


def test_it_seals_private_answers(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    entry = _write(client_for(ana), "only mine to read", felt_not_good="also mine")
    sealed, shared = AfterCheckIn.objects.values_list("sealed", "shared_content").get()
    assert shared is None
    assert b"only mine" not in bytes(sealed or b"")
    assert b"also mine" not in bytes(sealed or b"")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intimacy_aftercheckin")
        row = cursor.fetchone()
    assert "only mine" not in repr(row) and "also mine" not in repr(row)
    assert entry.content(_key(ana), ana)["felt_good"] == "only mine to read"


def test_the_partner_never_sees_a_private_check_in(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(b, "ben keeps this")
    _write(a, "ana shares hers", share=True)
    page = a.get("/intimacy/after/").content.decode()
    assert "ben keeps this" not in page and "Ben wrote a check-in" not in page
    assert a.get(f"/intimacy/after/{entry.code}/").status_code == 404
    assert a.get(f"/api/intimacy/after/{entry.code}").status_code == 404
    assert "ben keeps this" not in a.get("/api/intimacy/after").content.decode()
    assert a.get("/api/intimacy/after/waiting").json() == []


def test_a_shared_check_in_waits_for_the_partners_about_the_same_day(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
) -> None:
    a, b = client_for(ana), client_for(ben)
    bens = _write(b, "ben's honest words", share=True)
    page = a.get("/intimacy/after/").content.decode()
    assert "honest" not in page
    assert "Ben wrote a check-in about 26 November 2026" in page
    assert a.get(f"/intimacy/after/{bens.code}/").status_code == 404
    assert a.get(f"/api/intimacy/after/{bens.code}").status_code == 404
    assert a.get("/api/intimacy/after").json() == []
    assert a.get("/api/intimacy/after/waiting").json() == [
        {"on": "2026-11-26", "author": "Ben"}
    ]
    # Another day, or the same day kept private, reveals nothing.
    _write(a, "about yesterday", on=YESTERDAY, share=True)
    anas = _write(a, "ana's own view")
    assert a.get(f"/intimacy/after/{bens.code}/").status_code == 404
    assert "honest" not in a.get("/api/intimacy/after").content.decode()
    assert not AccessLog.objects.exists()
    a.post(f"/intimacy/after/{anas.code}/share/")
    assert "honest words" in a.get(f"/intimacy/after/{bens.code}/").content.decode()
    assert "ana&#x27;s own view" in b.get("/intimacy/after/").content.decode()
    assert a.get("/api/intimacy/after/waiting").json() == []
    # Visibility is decided at the time of viewing: making hers private hides both.
    a.post(f"/intimacy/after/{anas.code}/unshare/")
    assert a.get(f"/intimacy/after/{bens.code}/").status_code == 404
    assert b.get(f"/intimacy/after/{anas.code}/").status_code == 404
    assert "Ben wrote a check-in about" in a.get("/intimacy/after/").content.decode()


def test_reading_a_revealed_check_in_is_logged(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
) -> None:
    a, b = client_for(ana), client_for(ben)
    bens = _write(b, "ben's words", share=True)
    _write(a, "ana's words", share=True)
    assert a.get(f"/intimacy/after/{bens.code}/").status_code == 200
    log = AccessLog.objects.for_member(ben).get()
    assert (log.viewer, log.author, log.object_code) == (ana, ben, bens.code)
    assert log.kind == "after-intimacy check-in"
    # Reading one's own is not a view of someone else's.
    b.get(f"/intimacy/after/{bens.code}/")
    assert AccessLog.objects.count() == 1


def test_only_the_author_shares_or_deletes(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
) -> None:
    a, b = client_for(ana), client_for(ben)
    entry = _write(a, "mine", share=True)
    _write(b, "his", share=True)
    assert b.post(f"/intimacy/after/{entry.code}/unshare/").status_code == 404
    assert b.post(f"/intimacy/after/{entry.code}/delete/").status_code == 404
    assert b.delete(f"/api/intimacy/after/{entry.code}").status_code == 404
    assert b.post(f"/api/intimacy/after/{entry.code}/unshare").status_code == 404
    assert a.post(f"/intimacy/after/{entry.code}/delete/").status_code == 302
    gone = AfterCheckIn.objects.get(author=ana)
    # Hers had opened his, so only a "withdrawn" mark stays, without her words.
    assert gone.is_deleted and gone.shared_content is None and gone.sealed is None
    assert a.post(f"/intimacy/after/{entry.code}/delete/").status_code == 404


def test_it_links_a_step_of_the_plan(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    a = client_for(ana)
    step = plan_for(space).ordered_steps()[1]
    form = a.get(f"/intimacy/after/new/?step={step.code}").content.decode()
    assert "Holding hands" in form
    entry = _write(a, "warm hands", step=step)
    assert entry.step == step
    assert "Holding hands" in a.get("/intimacy/after/").content.decode()
    api = _api_write(a, felt_good="again", step=str(step.code)).json()
    assert (api["step"], api["step_title"]) == (str(step.code), "Holding hands")


def test_it_refuses_a_step_from_another_couple(
    space: Space,
    ana: User,
    dan: User,
    client_for: ClientFor,
) -> None:
    a, d = client_for(ana), client_for(dan)
    dans = plan_for(Space.objects.get(memberships__user=dan)).ordered_steps()[0]
    url = f"/intimacy/after/new/?step={dans.code}"
    assert a.get(url).status_code == 404
    assert a.post(url, {"felt_good": "x", "on": "2026-11-26"}).status_code == 404
    assert a.get("/intimacy/after/new/?step=not-a-code").status_code == 404
    assert _api_write(a, felt_good="x", step=str(dans.code)).status_code == 404
    with pytest.raises(Refused):
        write_check_in(
            space,
            ana,
            _key(ana),
            answers={"felt_good": "x"},
            on=None,
            step=dans,
            share=False,
        )
    assert not AfterCheckIn.objects.exists()
    assert d.get("/intimacy/after/").status_code == 200


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"felt_good": "  ", "felt_not_good": "", "change_or_keep": ""}, "at least"),
        ({"felt_good": "x" * 2_001}, "2000"),
        ({"felt_good": "fine", "on": "2026-11-27"}, "today or earlier"),
    ],
)
def test_it_refuses_bad_input(
    space: Space, ana: User, client_for: ClientFor, data: dict[str, str], says: str
) -> None:
    a = client_for(ana)
    page = a.post("/intimacy/after/new/", {"on": "2026-11-26", **data})
    assert page.status_code == 400
    assert says in page.content.decode().replace(",", "")
    api = _api_write(a, **data)
    assert api.status_code == 400
    assert says in api.json()["detail"].replace(",", "")
    assert not AfterCheckIn.objects.exists()


def test_today_is_the_writers_today(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    # Just after midnight in Berlin, while it is still the 26th in UTC.
    with time_machine.travel(dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)):
        a = client_for(ana)
        assert _api_write(a, felt_good="late").json()["on"] == "2026-11-27"
        assert _api_write(a, felt_good="ok", on="2026-11-27").status_code == 201
        assert _api_write(a, felt_good="no", on="2026-11-28").status_code == 400


def test_the_api_works(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    created = _api_write(a, felt_good="gentle", felt_not_good="rushed")
    assert created.status_code == 201
    out = created.json()
    assert (out["on"], out["is_mine"], out["is_shared"]) == ("2026-11-26", True, False)
    code = out["code"]
    assert a.get(f"/api/intimacy/after/{code}").json()["felt_not_good"] == "rushed"
    assert [e["code"] for e in a.get("/api/intimacy/after").json()] == [code]
    shared = a.post(f"/api/intimacy/after/{code}/share").json()
    assert shared["is_shared"] and shared["felt_good"] == "gentle"
    assert b.get(f"/api/intimacy/after/{code}").status_code == 404
    _api_write(b, change_or_keep="more of this", share=True)
    seen = b.get("/api/intimacy/after").json()
    assert {e["felt_good"] for e in seen if not e["is_mine"]} == {"gentle"}
    assert AccessLog.objects.filter(viewer=ben).exists()
    private = a.post(f"/api/intimacy/after/{code}/unshare").json()
    assert not private["is_shared"]
    assert b.get(f"/api/intimacy/after/{code}").status_code == 404
    assert a.delete(f"/api/intimacy/after/{code}").status_code == 204
    assert a.get(f"/api/intimacy/after/{code}").status_code == 404


def test_a_token_cannot_write_private_check_ins_but_says_why(
    space: Space, ana: User
) -> None:
    _token, secret = ApiToken.issue(ana, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = _api_write(client, felt_good="hi")
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    assert _api_write(client, felt_good="hi", share=True).status_code == 201


def test_it_hides_other_couples_data(
    space: Space,
    ana: User,
    ben: User,
    dan: User,
    client_for: ClientFor,
) -> None:
    a, b, d = client_for(ana), client_for(ben), client_for(dan)
    entry = _write(a, "ours", share=True)
    _write(b, "ours too", share=True)
    _write(d, "dan's own day", share=True)
    assert d.get(f"/intimacy/after/{entry.code}/").status_code == 404
    assert d.post(f"/intimacy/after/{entry.code}/delete/").status_code == 404
    assert d.post(f"/api/intimacy/after/{entry.code}/share").status_code == 404
    page = d.get("/intimacy/after/").content.decode()
    assert "ours" not in page and "Ana" not in page and "Ben" not in page
    assert [e["felt_good"] for e in d.get("/api/intimacy/after").json()] == [
        "dan's own day"
    ]
    assert d.get("/api/intimacy/after/waiting").json() == []
    assert not AccessLog.objects.filter(viewer=dan).exists()


def test_it_is_exported_for_its_author_and_erased_with_the_account(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
) -> None:
    a, b = client_for(ana), client_for(ben)
    _write(a, "ana private answer")
    _write(a, "ana shared answer", share=True)
    _write(b, "ben shared answer", share=True)
    mine = json.dumps(confirmed(a).get("/privacy/export.json").json())
    assert "ana private answer" in mine and "ana shared answer" in mine
    assert "ben shared answer" not in mine and "After-intimacy check-in" in mine
    theirs = json.dumps(confirmed(b).get("/privacy/export.json").json())
    assert "ana private answer" not in theirs and "ana shared answer" not in theirs
    privacy.erase_account(ana, keep_shared=False)
    assert not AfterCheckIn.objects.filter(author_id=ana.pk).exists()
    assert AfterCheckIn.objects.filter(author=ben).exists()


def test_the_list_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: ClientFor,
    django_assert_max_num_queries: Any,
) -> None:
    a, b = client_for(ana), client_for(ben)
    steps = plan_for(space).ordered_steps()
    for i in range(5):
        day = TODAY - dt.timedelta(days=i)
        _write(a, f"ana {i}", on=day, share=True, step=steps[i])
        _write(b, f"ben {i}", on=day, share=i % 2 == 0)
    # One more than before: the partner's withdrawn check-ins (#10).
    with django_assert_max_num_queries(14):
        page = b.get("/intimacy/after/")
    assert page.content.decode().count("shared by Ana") == 3
    assert page.content.decode().count("Ana wrote a check-in about") == 2


@pytest.mark.parametrize("how", ["unshare", "delete", "api-unshare", "api-delete"])
def test_withdrawing_one_that_opened_the_partners_shows_as_withdrawn(
    space: Space, ana: User, ben: User, client_for: ClientFor, how: str
) -> None:
    a, b = client_for(ana), client_for(ben)
    bens = _write(b, "ben's honest words", share=True)
    # A throwaway entry opens Ben's; Ana reads it, then withdraws hers.
    throwaway = _write(a, "x", share=True)
    assert "honest words" in a.get(f"/intimacy/after/{bens.code}/").content.decode()
    if how == "unshare":
        a.post(f"/intimacy/after/{throwaway.code}/unshare/")
    elif how == "delete":
        a.post(f"/intimacy/after/{throwaway.code}/delete/")
    elif how == "api-unshare":
        a.post(f"/api/intimacy/after/{throwaway.code}/unshare")
    else:
        assert a.delete(f"/api/intimacy/after/{throwaway.code}").status_code == 204
    page = b.get("/intimacy/after/").content.decode()
    assert "Ana shared a check-in about 26 November 2026, then withdrew it" in page
    assert b.get("/api/intimacy/after/withdrawn").json() == [
        {"on": "2026-11-26", "author": "Ana", "withdrawn_at": "2026-11-26T11:00:00Z"}
    ]
    # Ana sees nothing of a withdrawal notice about her own, and Ben's is locked again.
    assert a.get("/api/intimacy/after/withdrawn").json() == []
    assert a.get(f"/intimacy/after/{bens.code}/").status_code == 404
    assert "then withdrew it" not in a.get("/intimacy/after/").content.decode()


def test_withdrawing_one_that_opened_nothing_is_quiet(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    a, b = client_for(ana), client_for(ben)
    first = _write(a, "mine", share=True)
    second = _write(a, "also mine", on=YESTERDAY, share=True)
    a.post(f"/intimacy/after/{first.code}/delete/")
    a.post(f"/intimacy/after/{second.code}/unshare/")
    assert b.get("/api/intimacy/after/withdrawn").json() == []
    assert not AfterCheckIn.objects.filter(code=first.code).exists()
    assert "withdrew" not in b.get("/intimacy/after/").content.decode()
