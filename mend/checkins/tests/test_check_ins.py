import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from mend.accounts.models import User
from mend.checkins.models import Answer, CheckIn
from mend.checkins.tests.helpers import NOW, TODAYS, TOMORROWS, daily, form
from mend.couples.models import Space
from mend.privacy.models import AccessLog

ClientFor = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_requires_login(db: None) -> None:
    assert Client().get("/checkins/").status_code == 302
    assert Client().get("/checkins/new/").status_code == 302
    assert Client().get("/api/checkins/").status_code == 401


def test_it_works(space: Space, ana: User, client_for: ClientFor) -> None:
    a = client_for(ana)
    assert "No check-ins yet" in a.get("/checkins/").content.decode()
    response = a.post(
        "/checkins/new/",
        {
            "kind": "daily",
            "name": "Our minute",
            "frequency": "daily",
            "interval": "1",
            "starts_on": "2026-11-01",
            "at": "20:00",
        },
    )
    assert response.status_code == 302, response.content
    check_in = CheckIn.objects.get()
    assert check_in.zone == "Europe/Berlin"
    assert [p["is_slider"] for p in check_in.prompts] == [True] * 3 + [False] * 2
    page = a.get("/checkins/").content.decode()
    assert "Our minute" in page and "How safe do I feel today? (0 to 10)" in page
    assert TODAYS.isoformat() in page
    assert "maxlength" not in page


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    d = client_for(dan)
    assert d.get(f"/checkins/{check_in.code}/edit/").status_code == 404
    assert d.post(f"/checkins/{check_in.code}/answer/", form(p0="5")).status_code == 404
    assert "Evening" not in d.get("/checkins/").content.decode()
    response = d.post(
        f"/api/checkins/{check_in.code}/answers",
        {"occurs_at": TODAYS.isoformat(), "answers": {"One thing I need": "x"}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_it_keeps_answers_hidden_until_both_answered(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a, b = client_for(ana), client_for(ben)
    response = a.post(
        f"/checkins/{check_in.code}/answer/",
        form(p0="7", p3="the walk by the river", share="on"),
    )
    assert response.status_code == 302, response.content
    page = b.get("/checkins/").content.decode()
    assert "the walk by the river" not in page
    assert "Ana has answered the check-in" in page
    assert b.get("/api/checkins/answers").json() == []
    code = Answer.objects.get().code
    assert b.get(f"/checkins/answers/{code}/").status_code == 404
    response = b.post(
        f"/checkins/{check_in.code}/answer/",
        form(p1="6", p4="an early night", share="on"),
    )
    assert response.status_code == 302, response.content
    for client, theirs in ((a, "an early night"), (b, "the walk by the river")):
        assert theirs in client.get("/checkins/").content.decode()
    assert AccessLog.objects.filter(viewer=ben, author=ana).exists()


def test_it_shows_an_early_answer_at_once(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a, b = client_for(ana), client_for(ben)
    a.post(f"/checkins/{check_in.code}/answer/", form(p3="thank you", show_early="on"))
    assert Answer.objects.get().is_shown_early
    assert "thank you" in b.get("/checkins/").content.decode()


def test_it_seals_a_private_answer(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a, b = client_for(ana), client_for(ben)
    a.post(f"/checkins/{check_in.code}/answer/", form(p3="only mine to read"))
    sealed, shared = Answer.objects.values_list("sealed", "shared_content").get()
    assert sealed and shared is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM checkins_answer")
        assert "only mine to read" not in repr(cursor.fetchall())
    assert "only mine to read" in a.get("/checkins/").content.decode()
    b.post(f"/checkins/{check_in.code}/answer/", form(p3="mine", share="on"))
    assert "only mine to read" not in b.get("/checkins/").content.decode()


@pytest.mark.parametrize("value", ["11", "-1", "seven", "5.5"])
def test_it_refuses_a_slider_out_of_range(
    space: Space, ana: User, client_for: ClientFor, value: str
) -> None:
    check_in = daily(space, ana)
    response = client_for(ana).post(
        f"/checkins/{check_in.code}/answer/", form(p0=value, p3="fine")
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", [11, -1, True, "10x"])
def test_the_api_refuses_a_slider_out_of_range(
    space: Space, ana: User, client_for: ClientFor, value: Any
) -> None:
    check_in = daily(space, ana)
    response = client_for(ana).post(
        f"/api/checkins/{check_in.code}/answers",
        {
            "occurs_at": TODAYS.isoformat(),
            "answers": {"How safe do I feel today?": value},
        },
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json()
    assert not Answer.objects.exists()


def test_it_refuses_a_future_occurrence(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    response = client_for(ana).post(
        f"/checkins/{check_in.code}/answer/",
        {"occurs_at": TOMORROWS.isoformat(), "p3": "ahead of time"},
    )
    assert response.status_code == 400
    assert "come yet" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_refuses_a_time_that_is_not_scheduled(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    response = client_for(ana).post(
        f"/checkins/{check_in.code}/answer/",
        {"occurs_at": (TODAYS - dt.timedelta(hours=1)).isoformat(), "p3": "x"},
    )
    assert response.status_code == 400
    assert "scheduled at that time" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_answers_each_occurrence_once(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a = client_for(ana)
    a.post(f"/checkins/{check_in.code}/answer/", form(p3="first"))
    response = a.post(f"/checkins/{check_in.code}/answer/", form(p3="second"))
    assert response.status_code == 409
    assert Answer.objects.count() == 1


def test_it_refuses_a_schedule_with_no_occurrences(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    a = client_for(ana)
    response = a.post(
        "/checkins/new/",
        {
            "kind": "weekly",
            "name": "Never",
            "frequency": "weekdays",
            "weekdays": ["4"],  # Friday, between a Monday and a Tuesday
            "interval": "1",
            "starts_on": "2026-11-02",
            "ends_on": "2026-11-03",
            "at": "20:00",
        },
    )
    assert response.status_code == 400
    assert "never happens" in response.content.decode()
    response = a.post(
        "/api/checkins/",
        {
            "name": "Never",
            "schedule": {
                "frequency": "weekdays",
                "weekdays": [4],
                "starts_on": "2026-11-02",
                "ends_on": "2026-11-03",
                "at": "20:00",
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "never happens" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_the_couple_edits_prompts_and_adds_their_own_kind(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    b = client_for(ben)
    response = b.patch(
        f"/api/checkins/{check_in.code}",
        {"prompts": [{"text": "Calm today", "is_slider": True}, {"text": "Plans"}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert [p["text"] for p in response.json()["prompts"]] == ["Calm today", "Plans"]
    response = b.post(
        "/api/checkins/",
        {
            "kind": "own",
            "name": "Sunday plans",
            "prompts": [{"text": "What we want this week"}],
            "schedule": {
                "frequency": "weekdays",
                "weekdays": [6],
                "starts_on": "2026-11-01",
                "at": "10:00",
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["zone"] == "Europe/Berlin"


def test_the_api_answers_and_reveals(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a, b = client_for(ana), client_for(ben)
    due = a.get("/api/checkins/due").json()
    assert [d["occurs_at"][:16] for d in due] == [TODAYS.isoformat()[:16]]
    for client, words in ((a, "a hug"), (b, "more time")):
        response = client.post(
            f"/api/checkins/{check_in.code}/answers",
            {
                "occurs_at": due[0]["occurs_at"],
                "answers": {"How safe do I feel today?": 8, "One thing I need": words},
                "share": True,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    seen = {
        x["answers"].get("One thing I need")
        for x in b.get("/api/checkins/answers").json()
    }
    assert seen == {"a hug", "more time"}
    assert a.get("/api/checkins/due").json() == []


def test_the_trend_is_each_person_s_own_and_only_what_is_revealed(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    check_in = daily(space, ana)
    a, b = client_for(ana), client_for(ben)
    a.post(f"/checkins/{check_in.code}/answer/", form(p0="8", p1="6", share="on"))
    assert b.get("/api/checkins/trend").json() == []
    b.post(f"/checkins/{check_in.code}/answer/", form(p0="4", share="on"))
    rows = b.get("/api/checkins/trend?weeks=4").json()
    got = {(r["person"], r["prompt"]): r["average"] for r in rows}
    assert got == {
        ("Ana", "How safe do I feel today?"): 8.0,
        ("Ana", "How much do I trust us today?"): 6.0,
        ("Ben", "How safe do I feel today?"): 4.0,
    }
    assert {r["week_of"] for r in rows} == {"2026-11-23"}
    assert b.get("/api/checkins/trend?weeks=53").status_code == 422


@pytest.mark.parametrize(
    ("at", "starts_on"),
    [("20:00:00Z", "2026-11-01"), ("20:00", "2000-01-01"), ("20:00", "0001-01-01")],
)
def test_it_refuses_a_zoned_time_or_a_start_long_ago(
    space: Space, ana: User, client_for: ClientFor, at: str, starts_on: str
) -> None:
    response = client_for(ana).post(
        "/api/checkins/",
        {"name": "x", "schedule": {"at": at, "starts_on": starts_on}},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert not CheckIn.objects.exists()
