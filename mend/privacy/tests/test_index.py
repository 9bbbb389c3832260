from collections.abc import Callable

from django.test import Client
from pytest_django import DjangoAssertNumQueries

from mend.accounts.models import User
from mend.couples.models import Space


def test_it_requires_login(db: None) -> None:
    assert Client().get("/privacy/").status_code == 302


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(ana)
    page = client.get("/privacy/").content.decode()
    for url in (
        "/privacy/export/",
        "/privacy/log/",
        "/privacy/leave/",
        "/privacy/erase/",
        "/accounts/sessions/",
        "/accounts/two-factor/",
    ):
        assert f'href="{url}"' in page
    # Linked from the navigation on every page.
    assert 'href="/privacy/"' in client.get("/").content.decode()


def test_it_offers_no_leaving_without_a_space(
    loner: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(loner).get("/privacy/").content.decode()
    assert 'href="/privacy/leave/"' not in page
    assert 'href="/privacy/erase/"' in page


def test_it_hides_other_couples_data(
    space: Space, ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(dan).get("/privacy/").content
    assert b"Ana" not in page
    assert b"Ben" not in page


def test_it_pins_its_query_count(
    space: Space,
    ana: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(ana)
    with django_assert_max_num_queries(8):
        client.get("/privacy/")
