from collections.abc import Callable

from django.test import Client
from django.urls import NoReverseMatch, reverse
from pytest_django import DjangoAssertNumQueries

from mend.accounts.models import User
from mend.couples.models import Space
from mend.home.views import CAPABILITIES


def test_it_welcomes_a_visitor(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert b"Create an account" in response.content


def test_it_offers_to_create_or_join_a_space(
    loner: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(loner).get("/")
    assert b"Create our space" in response.content
    assert b"Invite code" in response.content


def test_it_works(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ana).get("/")
    assert response.status_code == 200
    assert b"Ana" in response.content and b"Ben" in response.content
    assert b"Quick exit" in response.content


def test_it_lists_only_what_is_built(
    space: Space, ana: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(ana).get("/").content.decode()
    assert "coming" not in page
    assert '<a href="/agreements/">Agreements</a>' in page
    assert '<a href="/journal/">Journal</a>' in page
    for slug, title, _blurb in CAPABILITIES:
        try:
            reverse(f"{slug}:index")
        except NoReverseMatch:
            assert f">{title}<" not in page, slug
    welcome = Client().get("/").content.decode()
    assert "small promises" not in welcome


def test_it_hides_other_couples_data(
    space: Space, dan: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(dan).get("/")
    assert b"Ana" not in response.content and b"Ben" not in response.content
    assert b"Eve" in response.content


def test_it_does_not_name_a_role(
    space: Space, ben: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ben).get("/")
    for word in (b"hurt partner", b"involved partner", b"guilty", b"victim"):
        assert word not in response.content.lower()


def test_it_pins_its_query_count(
    space: Space,
    ana: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(ana)
    # What waits, from each feature, and the path's totals (#18); flat as history
    # grows: tests/test_performance.py.
    with django_assert_max_num_queries(25):
        client.get("/")


def test_quick_exit_lands_on_a_neutral_page(db: None) -> None:
    response = Client().get("/kitchen/")
    assert response.status_code == 200
    assert b"Mend" not in response.content
