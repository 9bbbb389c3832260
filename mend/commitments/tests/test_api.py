import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from mend.accounts.models import ApiToken, User
from mend.commitments.models import Commitment, CommitmentWording, Mark, Question
from mend.couples.models import Space
from mend.privacy.models import AccessLog

NOW = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
ClientFor = Callable[[User], Client]
LISTS = [
    "/api/commitments/",
    "/api/commitments/disclosures",
    "/api/commitments/questions",
    "/api/commitments/slips",
    "/api/commitments/milestones",
    "/api/commitments/goals",
    "/api/commitments/progress",
]


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def daily(client: Client) -> Any:
    return post(
        client,
        "/api/commitments/",
        {
            "text": "Answer within two hours",
            "frequency": "daily",
            "at": "08:00",
            "starts_on": "2026-11-01",
        },
    )


@pytest.mark.parametrize("path", LISTS)
def test_it_works(space: Space, ana: User, client_for: ClientFor, path: str) -> None:
    assert client_for(ana).get(path).status_code == 200


@pytest.mark.parametrize("path", LISTS)
def test_it_requires_login(client: Client, path: str) -> None:
    assert client.get(path).status_code == 401


@time_machine.travel(NOW, tick=False)
def test_it_hides_other_couples_data(
    space: Space, ben: User, dan: User, client_for: ClientFor
) -> None:
    code = daily(client_for(ben)).json()["code"]
    outsider = client_for(dan)
    assert outsider.get("/api/commitments/").json() == []
    assert outsider.get(f"/api/commitments/{code}").status_code == 404
    response = post(
        outsider, f"/api/commitments/{code}/marks", {"on": "2026-11-09", "kept": True}
    )
    assert response.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_commitment_is_made_marked_and_confirmed(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    ben_client, ana_client = client_for(ben), client_for(ana)
    made = daily(ben_client)
    assert made.status_code == 201
    code = made.json()["code"]
    marked = post(
        ben_client, f"/api/commitments/{code}/marks", {"on": "2026-11-09", "kept": True}
    )
    assert marked.json()["status"] == "kept"
    seen = ana_client.get(f"/api/commitments/{code}").json()
    by_day = {o["on"]: o["status"] for o in seen["recent"]}
    assert (by_day["2026-11-10"], by_day["2026-11-09"]) == (None, "kept")
    assert AccessLog.objects.filter(viewer=ana, kind="commitment").exists()
    confirmed = post(
        ana_client,
        f"/api/commitments/{code}/responses",
        {"on": "2026-11-09", "agrees": True},
    )
    assert confirmed.json()["partner_view"] == "confirmed"
    window = ana_client.get(
        "/api/commitments/occurrences",
        {"start": "2026-11-09T00:00:00Z", "end": "2026-11-11T00:00:00Z"},
    ).json()
    assert [o["title"] for o in window] == ["Commitment", "Commitment"]
    assert "Answer" not in str(window)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"on": "2026-11-11", "kept": True}, 400, "hasn't come yet"),
        ({"on": "1066-10-14", "kept": True}, 400, "between"),
    ],
)
def test_it_refuses_bad_marks_clearly(
    space: Space,
    ben: User,
    client_for: ClientFor,
    body: dict[str, Any],
    status: int,
    says: str,
) -> None:
    client = client_for(ben)
    code = daily(client).json()["code"]
    response = post(client, f"/api/commitments/{code}/marks", body)
    assert response.status_code == status
    assert says in response.json()["detail"]
    assert not Mark.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_mark_by_the_other_partner(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    code = daily(client_for(ben)).json()["code"]
    response = post(
        client_for(ana),
        f"/api/commitments/{code}/marks",
        {"on": "2026-11-09", "kept": True},
    )
    assert response.status_code == 403
    assert not Mark.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_recurrence_that_never_occurs(
    space: Space, ben: User, client_for: ClientFor
) -> None:
    response = post(
        client_for(ben),
        "/api/commitments/",
        {
            "text": "x",
            "frequency": "weekdays",
            "weekdays": [0],
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-15",
        },
    )
    assert response.status_code == 400
    assert "never happens" in response.json()["detail"]
    assert not Commitment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_change_needs_the_partner_and_a_token_cannot_give_it(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    code = daily(client_for(ben)).json()["code"]
    change = post(client_for(ben), f"/api/commitments/{code}/end").json()
    assert change["is_waiting"]
    _token, secret = ApiToken.issue(ana, "phone")
    by_token = Client().post(
        f"/api/commitments/changes/{change['code']}/affirm",
        {"words": "I agree"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert by_token.status_code == 403
    assert Commitment.objects.get().ended_at is None
    done = post(
        client_for(ana),
        f"/api/commitments/changes/{change['code']}/affirm",
        {"words": "I agree"},
    )
    assert done.status_code == 200
    assert Commitment.objects.get().ended_at is not None
    assert CommitmentWording.objects.get().confirmed_at is not None


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_disclosure_told_before_it_happened(
    space: Space, ben: User, client_for: ClientFor
) -> None:
    response = post(
        client_for(ben),
        "/api/commitments/disclosures",
        {
            "what": "x",
            "happened_at": "2026-11-10T10:00:00Z",
            "told_in_person": True,
            "told_at": "2026-11-10T09:00:00Z",
        },
    )
    assert response.status_code == 400
    assert "told before it happened" in response.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_a_disclosure_shows_its_delay_and_takes_a_response(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    made = post(
        client_for(ben),
        "/api/commitments/disclosures",
        {"what": "x", "kind": "money", "happened_at": "2026-11-09T12:00:00Z"},
    ).json()
    assert made["delay_hours"] == 24
    own = post(
        client_for(ben),
        f"/api/commitments/disclosures/{made['code']}/response",
        {"response": "ok"},
    )
    assert own.status_code == 403
    answered = post(
        client_for(ana),
        f"/api/commitments/disclosures/{made['code']}/response",
        {"response": "Thank you"},
    )
    assert answered.json()["response"] == "Thank you"


def test_a_question_is_drafted_sent_and_answered(
    space: Space, ana: User, ben: User, client_for: ClientFor
) -> None:
    ana_client, ben_client = client_for(ana), client_for(ben)
    made = post(
        ana_client, "/api/commitments/questions", {"text": "Describe the sex in detail"}
    )
    assert made.status_code == 201
    assert made.json()["gentle_note"]
    code = made.json()["code"]
    assert ben_client.get("/api/commitments/questions").json() == []
    assert (
        post(ana_client, f"/api/commitments/questions/{code}/send").status_code == 200
    )
    own = post(ana_client, f"/api/commitments/questions/{code}/answers", {"text": "x"})
    assert own.status_code == 403
    first = post(
        ben_client, f"/api/commitments/questions/{code}/answers", {"for_talk": True}
    )
    assert first.status_code == 201
    post(ben_client, f"/api/commitments/questions/{code}/answers", {"text": "Later"})
    seen = ana_client.get("/api/commitments/questions").json()[0]
    assert [a["number"] for a in seen["answers"]] == [2, 1]
    assert Question.objects.get().is_shared


def test_a_milestone_keeps_every_run(
    space: Space, ben: User, client_for: ClientFor
) -> None:
    client = client_for(ben)
    with time_machine.travel(NOW, tick=False):
        made = post(
            client,
            "/api/commitments/milestones",
            {"name": "days sober", "started_on": "2026-10-01"},
        ).json()
        after = post(
            client,
            f"/api/commitments/milestones/{made['code']}/runs",
            {"on": "2026-11-01"},
        ).json()
    assert after["total_days"] == 40
    assert after["current_days"] == 9
    assert [r["days"] for r in after["runs"]] == [31, 9]


def test_it_refuses_a_time_with_a_zone_clearly(
    space: Space, ana: User, client_for: ClientFor
) -> None:
    # Found by the API fuzz: a time with a UTC offset was a 500 on SQLite.
    response = client_for(ana).post(
        "/api/commitments/",
        {"text": "Call at noon", "frequency": "daily", "at": "12:00:00-04:59"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "without a time zone" in response.json()["detail"]
    assert client_for(ana).get("/api/commitments/").json() == []
