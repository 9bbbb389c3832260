"""Far-future dates: refused at the door, harmless if a row already holds one."""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from mend.accounts.models import User
from mend.agreements.models import Agreement, CrossingReport, Repair
from mend.agreements.tests.helpers import active
from mend.couples.models import Space
from mend.safety.models import Signal

JSON = "application/json"
PASSWORD = "a long enough passphrase 1"

# The last moment Python can hold; any east-of-UTC clock overflows showing it.
LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def _pages(agreement: Agreement, report: CrossingReport) -> list[str]:
    return [
        "/",
        "/agreements/",
        f"/agreements/{agreement.code}/",
        f"/agreements/{agreement.code}/history/",
        f"/agreements/reports/{report.code}/",
        "/agreements/print/",
        "/agreements/our-agreement.pdf",
        "/privacy/",
    ]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"])
def test_it_shows_every_page_when_a_row_already_holds_year_9999(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client], zone: str
) -> None:
    agreement = active(space, ana, ben)
    report = CrossingReport.file(
        agreement, ana, what_happened="Far away", how_it_felt="I felt lost."
    )
    Repair.objects.create(
        space=space,
        report=report,
        by=ben,
        feelings="f",
        view="v",
        responsibility="r",
        step="s",
        talk_at=LAST,
    )
    Agreement.objects.filter(pk=agreement.pk).update(review_on=date(9999, 12, 31))
    User.objects.filter(pk__in=[ana.pk, ben.pk]).update(time_zone=zone)
    for person in (ana, ben):
        client = client_for(person)
        for page in _pages(agreement, report):
            assert client.get(page).status_code == 200, (person, page)
        for fmt in ("json", "html", "pdf"):
            response = client.post(
                "/privacy/export/",
                {"format": fmt, "password": "a long enough passphrase 1"},
            )
            assert response.status_code in (200, 302), (person, fmt)


@pytest.mark.parametrize(
    "talk_at",
    ["9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59Z", "3000-01-01T00:00:00Z"],
)
def test_it_refuses_a_far_future_time_to_talk(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    talk_at: str,
) -> None:
    agreement = active(space, ana, ben)
    report = CrossingReport.file(
        agreement, ana, what_happened="Far away", how_it_felt="I felt lost."
    )
    repair = {
        "feelings": "f",
        "view": "v",
        "responsibility": "r",
        "step": "s",
        "talk_at": talk_at,
    }
    b = client_for(ben)
    path = f"/api/agreements/reports/{report.code}/repair"
    response = b.post(path, repair, content_type=JSON)
    assert response.status_code == 400, response.content
    assert "between 1900-01-01 and 2999-12-31" in response.json()["detail"]
    # The page: the browser sends the person's local time, here west of UTC.
    User.objects.filter(pk=ben.pk).update(time_zone="America/New_York")
    page = b.post(
        f"/agreements/reports/{report.code}/repair/",
        repair | {"talk_at": "9999-12-31T23:59"},
    )
    assert page.status_code == 200
    assert b"between 1900-01-01 and 2999-12-31" in page.content
    assert not Repair.objects.exists()


def test_it_refuses_a_far_future_review_date(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben)
    before = agreement.review_on
    a = client_for(ana)
    body = {"review_on": "9999-12-31", "review_every_days": 30}
    response = a.put(f"/api/agreements/{agreement.code}/review", body, JSON)
    assert response.status_code == 400
    page = a.post(f"/agreements/{agreement.code}/review/", body, follow=True)
    assert page.status_code == 200
    assert b"between 1900-01-01 and 2999-12-31" in page.content
    assert Agreement.objects.get().review_on == before


def test_it_refuses_far_away_days_and_pause_returns(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben)
    a = client_for(ana)
    report = {
        "what_happened": "w",
        "how_it_felt": "I felt f",
        "happened_on": "0001-01-01",
    }
    response = a.post(f"/api/agreements/{agreement.code}/reports", report, JSON)
    assert response.status_code == 400
    check_in = {"felt_good": "Being close.", "on": "0001-01-01"}
    assert a.post("/api/intimacy/after", check_in, JSON).status_code == 400
    for return_at in ["9999-12-31T23:59:59-05:00", "2026-01-01T10:00:00"]:
        body = {"kind": "pause", "minutes": 20, "return_at": return_at}
        response = a.post("/api/safety/signals", body, JSON)
        assert response.status_code == 400, (return_at, response.content)
    assert not Signal.objects.exists()
    assert not CrossingReport.objects.exists()
