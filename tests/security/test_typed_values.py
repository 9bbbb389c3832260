"""Every date, time and number a person types: any value gets an answer, never a 500.

Hypothesis draws values across everything Python can hold (years 1 to 9999, any
offset, integers far past 64 bits) and sends them through the API and the pages.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mend.accounts.models import User
from mend.agreements.models import CrossingReport
from mend.agreements.tests.helpers import active
from mend.couples.models import Space

JSON = "application/json"
SETTINGS = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
moments = st.datetimes(timezones=st.none() | offsets)
numbers = st.integers(-(2**80), 2**80) | st.integers(-5, 400)


def _ok(response: Any) -> None:
    assert response.status_code < 500, response.content[:300]


def test_any_typed_value_gets_an_answer_not_a_server_error(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben)
    a, b = client_for(ana), client_for(ben)
    a.raise_request_exception = b.raise_request_exception = False
    code = agreement.code

    @SETTINGS
    @given(day=st.dates(), every=numbers)
    def review(day: date, every: int) -> None:
        body = {"review_on": day.isoformat(), "review_every_days": every}
        _ok(a.put(f"/api/agreements/{code}/review", body, JSON))
        _ok(a.post(f"/agreements/{code}/review/", body))

    @SETTINGS
    @given(day=st.dates())
    def days(day: date) -> None:
        report = {
            "what_happened": "w",
            "how_it_felt": "I felt",
            "happened_on": str(day),
        }
        _ok(a.post(f"/api/agreements/{code}/reports", report, JSON))
        _ok(a.post("/api/intimacy/after", {"felt_good": "g", "on": str(day)}, JSON))
        _ok(a.post("/intimacy/after/new/", {"felt_good": "g", "on": str(day)}))

    @SETTINGS
    @given(at=moments)
    def talk(at: datetime) -> None:
        report = CrossingReport.objects.filter(status="open").first()
        if report is None:
            report = CrossingReport.file(
                agreement, ana, what_happened="w", how_it_felt="I felt"
            )
        repair = {"feelings": "f", "view": "v", "responsibility": "r", "step": "s"}
        path = f"/api/agreements/reports/{report.code}/repair"
        _ok(b.post(path, repair | {"talk_at": at.isoformat()}, JSON))
        page = f"/agreements/reports/{report.code}/repair/"
        local = at.replace(tzinfo=None).isoformat(timespec="minutes")
        _ok(b.post(page, repair | {"talk_at": local}))

    @SETTINGS
    @given(minutes=numbers, at=st.none() | moments, intensity=numbers)
    def pause(minutes: int, at: datetime | None, intensity: int) -> None:
        body: dict[str, Any] = {"kind": "pause", "minutes": minutes}
        if at is not None:
            body["return_at"] = at.isoformat()
        response = a.post("/api/safety/signals", body, JSON)
        _ok(response)
        if response.status_code == 201:
            signal = response.json()["code"]
            extend = {"minutes": minutes}
            _ok(a.post(f"/api/safety/signals/{signal}/extend", extend, JSON))
            _ok(a.post(f"/api/safety/signals/{signal}/end"))
        _ok(a.post("/safety/send/", {"kind": "pause", "minutes": minutes}))
        trigger = {"what": "w", "intensity": intensity}
        _ok(a.post("/api/safety/triggers", trigger, JSON))
        _ok(a.post("/safety/triggers/new/", trigger))

    review()
    days()
    talk()
    pause()
