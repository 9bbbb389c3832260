from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from conftest import make_person
from mend.accounts.models import User
from mend.couples import actions
from mend.couples.models import Membership, Space


def _invite(user: User) -> str:
    space = actions.create_space(user)
    _invite, code = actions.issue_invite(space, user)
    return code


def test_it_joins_through_the_link(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    client = client_for(ben)
    page = client.get(f"/join/{code.replace('-', '')}/")
    assert page.status_code == 200
    assert b"Join Ana" in page.content
    response = client.post(f"/join/{code.replace('-', '')}/")
    assert response.status_code == 302
    assert [p.username for p in Space.objects.for_member(ben).get().partners()] == [
        "ana",
        "ben",
    ]


def test_it_joins_by_the_typed_code(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    response = client_for(ben).get("/join/", {"code": code.lower()})
    assert response.status_code == 302


def test_it_asks_a_visitor_to_sign_up_first(ana: User) -> None:
    code = _invite(ana)
    page = Client().get(f"/join/{code}/")
    assert b"Create an account" in page.content
    assert Client().post(f"/join/{code}/").status_code == 302


def test_it_refuses_an_expired_invite(
    ana: User, ben: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    with time_machine.travel(timezone.now() + timedelta(hours=73), tick=False):
        page = client_for(ben).get(f"/join/{code}/")
        assert page.status_code == 410
        assert b"expired" in page.content
        client_for(ben).post(f"/join/{code}/")
    assert not Space.objects.for_member(ben).exists()


def test_it_refuses_a_used_invite(
    ana: User, ben: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    actions.join(ben, code)
    lou = make_person("lou", "Lou")
    response = client_for(lou).post(f"/join/{code}/")
    assert response.status_code == 410
    assert b"already been used" in response.content
    assert (
        Membership.objects.filter(
            space__memberships__user=ana, left_at__isnull=True
        ).count()
        == 2
    )


def test_it_refuses_a_third_partner(ana: User, ben: User) -> None:
    space = actions.create_space(ana)
    _i, first = actions.issue_invite(space, ana)
    _i, second = actions.issue_invite(space, ana)
    actions.join(ben, second)
    lou = make_person("lou", "Lou")
    try:
        actions.join(lou, first)
    except actions.SpaceError as e:
        assert "used" in str(e) or "expired" in str(e) or "two partners" in str(e)
    else:
        raise AssertionError("a third partner joined")
    assert len(Space.objects.get(pk=space.pk).partners()) == 2


def test_it_refuses_someone_already_in_a_space(
    ana: User, dan: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    response = client_for(dan).post(f"/join/{code}/")
    assert b"already share a space" in response.content


def test_it_refuses_your_own_invite(
    ana: User, client_for: Callable[[User], Client]
) -> None:
    code = _invite(ana)
    response = client_for(ana).get(f"/join/{code}/")
    assert b"your own invite" in response.content


def test_it_refuses_an_unknown_code(
    ben: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(ben).get("/join/NOPE/")
    assert response.status_code == 404
    assert b"couldn" in response.content


def test_a_new_invite_cancels_the_old_one(ana: User, ben: User) -> None:
    space = actions.create_space(ana)
    _i, old = actions.issue_invite(space, ana)
    actions.issue_invite(space, ana)
    try:
        actions.join(ben, old)
    except actions.SpaceError:
        pass
    else:
        raise AssertionError("an old invite still worked")


def test_the_joiner_is_marked_when_the_creator_said_they_broke_trust(
    ana: User, ben: User
) -> None:
    space = actions.create_space(ana, roles_answer="theirs")
    _i, code = actions.issue_invite(space, ana)
    actions.join(ben, code)
    space = Space.objects.get(pk=space.pk)
    assert space.hurt_partner() == ben
    assert space.roles_answer_for(ana) == "theirs"
    assert space.roles_answer_for(ben) == "mine"
