"""Personas and clients shared by every test.

ana and ben share a space; cleo is a counselor; dan shares a space with eve and
should never see anything of ana's or ben's.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from _pytest.terminal import TerminalReporter
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from mend.accounts.actions import sign_up
from mend.accounts.models import User
from mend.couples import actions as couples
from mend.couples.models import Space
from tests.security.figures import FIGURES

PASSWORD = "a long enough passphrase 1"
# Every test person lives here (ahead of UTC, so from 23:00 UTC their day is
# tomorrow's: a test that means "today" for them must use today(), not UTC's).
ZONE = "Europe/Berlin"


def today() -> dt.date:
    """Return today's date on the test people's own clock."""
    return timezone.localdate(timezone=ZoneInfo(ZONE))


def make_person(username: str, display_name: str) -> User:
    user, _key, _code = sign_up(
        username=username,
        password=PASSWORD,
        display_name=display_name,
        time_zone=ZONE,
    )
    return user


def make_couple(first: User, second: User, roles_answer: str = "unsaid") -> Space:
    space = couples.create_space(first, roles_answer=roles_answer)
    _invite, code = couples.issue_invite(space, first)
    couples.join(second, code)
    return Space.objects.get(pk=space.pk)


@pytest.fixture
def ana(db: None) -> User:
    # Ana's trust was broken; she created the couple's space.
    return make_person("ana", "Ana")


@pytest.fixture
def ben(db: None) -> User:
    # Ben joined Ana's space through her invite.
    return make_person("ben", "Ben")


@pytest.fixture
def space(ana: User, ben: User) -> Space:
    # The space Ana and Ben share.
    return make_couple(ana, ben, roles_answer="mine")


@pytest.fixture
def dan(db: None) -> User:
    # Dan shares another space (with Eve) and must never reach Ana's or Ben's data.
    dan = make_person("dan", "Dan")
    make_couple(dan, make_person("eve", "Eve"))
    return dan


@pytest.fixture
def loner(db: None) -> User:
    # Lou has an account but no space yet.
    return make_person("lou", "Lou")


def signed_in(user: User) -> Client:
    """Return a client signed in through the real login form, with the key unlocked."""
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return signed_in


def close_stream(response: Any) -> None:
    """Close a streaming response the way Django's test client does.

    Closing fires request_finished, whose close_old_connections would otherwise
    close the test's own database connection (inside its transaction on PostgreSQL).
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# The figures the security tests measure (tests/security/figures.py), printed at the
# end of the run; under pytest-xdist each worker hands its own to the controller.
def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["figures"] = dict(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    FIGURES.update(getattr(node, "workeroutput", {}).get("figures", {}))


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("security figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Ask pytest-django to keep a copy of what the migrations wrote (see below)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if not _is_transactional(item) or marker is None:
            continue
        if "serialized_rollback" not in marker.kwargs:
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Put back the rows the migrations wrote once a transactional test emptied them.

    A transactional test empties the database when it ends, the built-in yes / no /
    maybe items included. Run in any order, as under pytest-xdist, a test after it
    would find them gone; Django's serialized rollback restores them only at the
    start of the next transactional test. Saving a deserialized row updates it if it
    is there, so restoring twice changes nothing.
    """
    yield
    # After the last test the test database is already gone (nextitem is None).
    if not _is_transactional(item) or nextitem is None:
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
