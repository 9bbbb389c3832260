from collections.abc import Callable
from datetime import UTC, datetime

import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from mend.accounts.models import User
from mend.agreements.models import Agreement
from mend.agreements.tests.helpers import active
from mend.couples.models import Space

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
JSON = "application/json"


def test_it_requires_login(db: None) -> None:
    assert Client().get("/api/agreements").status_code == 401
    assert (
        Client()
        .post("/api/agreements", {"category": "money", "text": "x"}, content_type=JSON)
        .status_code
        == 401
    )


def test_it_works(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    with time_machine.travel(NOW, tick=False):
        a, b = client_for(ana), client_for(ben)
        created = a.post(
            "/api/agreements",
            {"category": "money", "text": "We share bank statements monthly."},
            content_type=JSON,
        )
        assert created.status_code == 201, created.content
        body = created.json()
        code, version = body["code"], body["pending_version"]
        assert body["state"] == "proposed"
        own = a.post(
            f"/api/agreements/{code}/versions/{version}/affirm",
            {"words": "I agree"},
            content_type=JSON,
        )
        assert own.status_code == 409
        affirmed = b.post(
            f"/api/agreements/{code}/versions/{version}/affirm",
            {"words": "I affirm"},
            content_type=JSON,
        )
        assert affirmed.status_code == 200, affirmed.content
        confirmed = a.post(f"/api/agreements/{code}/versions/{version}/confirm")
        assert confirmed.json()["state"] == "active"
        edit = b.post(
            f"/api/agreements/{code}/edits",
            {"text": "We share bank statements weekly."},
            content_type=JSON,
        )
        assert edit.json()["state"] == "revision"
        diff = b.get(f"/api/agreements/{code}/diff?old=1&new=2").json()
        assert {"op": "ins", "text": "weekly."} in diff
        assert b.post(f"/api/agreements/{code}/reopen").json()["state"] == "revision"
        assert a.get("/api/agreements/due").json()[0]["is_reopened"] is True
        review = a.put(
            f"/api/agreements/{code}/review",
            {"review_on": "2026-11-01", "review_every_days": 30},
            content_type=JSON,
        )
        assert review.status_code == 400
        assert "from today onwards" in review.json()["detail"]
        report = a.post(
            f"/api/agreements/{code}/reports",
            {"what_happened": "A missed month.", "how_it_felt": "I felt uneasy."},
            content_type=JSON,
        )
        assert report.status_code == 201, report.content
        report_code = report.json()["code"]
        repair = b.post(
            f"/api/agreements/reports/{report_code}/repair",
            {
                "feelings": "I felt embarrassed.",
                "view": "I forgot.",
                "responsibility": "I let it slide.",
                "step": "A calendar reminder.",
                "talk_at": "2026-11-27T19:00:00Z",
            },
            content_type=JSON,
        )
        assert repair.status_code == 201, repair.content
        reply = a.post(
            f"/api/agreements/reports/{report_code}/reply",
            {"outcome": "talk_more", "step": "I'll ask gently."},
            content_type=JSON,
        )
        assert reply.json()["status"] == "talk_more"
        assert len(a.get(f"/api/agreements/{code}/reports").json()) == 1
        assert a.post(f"/api/agreements/{code}/retirement").status_code == 200
        retired = b.post(f"/api/agreements/{code}/retirement/agree")
        assert retired.json()["state"] == "retired"
        kinds = [e["kind"] for e in a.get(f"/api/agreements/{code}/history").json()]
        assert kinds[0] == "proposed" and kinds[-1] == "retired"
        pdf = a.get("/api/agreements/export.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_it_refuses_a_stale_version(
    space: Space, ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben)
    seen = agreement.propose_edit(ana, "First try.")
    Agreement.objects.get(pk=agreement.pk).propose_edit(ana, "Second try.")
    response = client_for(ben).post(
        f"/api/agreements/{agreement.code}/versions/{seen.code}/affirm",
        {"words": "I agree"},
        content_type=JSON,
    )
    assert response.status_code == 409
    assert "no longer the one on the table" in response.json()["detail"]


def test_it_refuses_bad_input(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    for text in ("", "x" * 20_000):
        response = a.post(
            "/api/agreements", {"category": "money", "text": text}, content_type=JSON
        )
        assert response.status_code == 400
        assert response.json()["detail"]
    assert not Agreement.objects.exists()


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    agreement = active(space, ana, ben, "Ours alone")
    pending = agreement.propose_edit(ben, "Ours, still")
    d = client_for(dan)
    assert d.get("/api/agreements").json() == []
    assert d.get("/api/agreements/due").json() == []
    assert d.get(f"/api/agreements/{agreement.code}").status_code == 404
    assert d.get(f"/api/agreements/{agreement.code}/history").status_code == 404
    assert d.post(f"/api/agreements/{agreement.code}/reopen").status_code == 404
    affirm = d.post(
        f"/api/agreements/{agreement.code}/versions/{pending.code}/affirm",
        {"words": "I agree"},
        content_type=JSON,
    )
    assert affirm.status_code == 404
    assert b"Ours alone" not in d.get("/api/agreements/export.pdf").content


def test_the_list_pins_its_query_count(
    space: Space,
    ana: User,
    ben: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(6):
        active(space, ana, ben, f"Item {i}")
    a = client_for(ana)
    with django_assert_max_num_queries(6):
        a.get("/api/agreements")


def test_it_is_in_the_openapi_schema(db: None) -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/agreements",
        "/api/agreements/{code}/versions/{version_code}/affirm",
        "/api/agreements/{code}/versions/{version_code}/confirm",
        "/api/agreements/{code}/reopen",
        "/api/agreements/{code}/retirement/agree",
        "/api/agreements/inventory",
        "/api/agreements/reports/{code}/repair",
        "/api/agreements/export.pdf",
    ):
        assert path in paths, path
