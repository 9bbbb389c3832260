import uuid
from collections.abc import Callable

from django.db import connection, transaction
from django.test import Client

from mend.accounts.models import User
from mend.couples.models import Space
from mend.privacy.models import AccessLog


def test_it_requires_login(db: None) -> None:
    assert Client().get("/privacy/log/").status_code == 302
    assert Client().get("/api/privacy/access-log").status_code == 401


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).get("/privacy/log/")
    assert response.status_code == 200
    assert b"Nobody has opened" in response.content


def test_it_hides_other_couples_data(
    space: Space, ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    a = client_for(ana)
    a.post("/journal/new/", {"body": "shared note", "share": "on"})
    client_for(ben).get("/journal/")
    assert len(a.get("/api/privacy/access-log").json()) == 1
    assert client_for(dan).get("/api/privacy/access-log").json() == []
    assert b"Ben" not in client_for(dan).get("/privacy/log/").content


def test_it_finds_a_repeat_view_through_an_index(ana: User, ben: User) -> None:
    # record_views runs this check on every view of a partner's entry; without an
    # index it scanned the whole log (36-78 ms at 200,000 rows, #12).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = AccessLog.objects.recent(ben, [uuid.uuid4()]).explain()
    assert "access_log_repeat_check" in plan
