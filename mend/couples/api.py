from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from mend.accounts.models import User
from mend.couples import actions
from mend.couples.context_processors import current_space
from mend.couples.forms import ROLE_CHOICES
from mend.couples.models import Space

router = Router(tags=["space"])
ROLE_VALUES = [value for value, _label in ROLE_CHOICES]


class PartnerOut(Schema):
    code: str
    display_name: str
    is_me: bool


class SpaceOut(Schema):
    code: str
    name: str
    created_at: datetime
    partners: list[PartnerOut]
    roles: str = Field(
        description="Whose trust was broken, as the asking partner sees it."
    )

    @staticmethod
    def of(space: Space, user: User) -> "SpaceOut":
        return SpaceOut(
            code=str(space.code),
            name=space.name,
            created_at=space.created_at,
            partners=[
                PartnerOut(code=str(p.code), display_name=str(p), is_me=p.pk == user.pk)
                for p in space.partners()
            ],
            roles=space.roles_answer_for(user),
        )


class SpaceIn(Schema):
    name: str = Field("", max_length=80)
    roles: str = Field("unsaid", description="One of: " + ", ".join(ROLE_VALUES))


class SpaceUpdate(Schema):
    name: str | None = Field(None, max_length=80)
    roles: str | None = None


class InviteOut(Schema):
    code: str = Field(description="The short code to share; shown once.")
    link: str
    expires_at: datetime


class JoinIn(Schema):
    code: str = Field(min_length=1, max_length=40)


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _my_space(request: HttpRequest) -> Space:
    space = current_space(request)
    if space is None:
        raise HttpError(404, _("You don't share a space yet."))
    return space


def _check_roles(roles: str | None) -> None:
    if roles is not None and roles not in ROLE_VALUES:
        raise HttpError(400, _("roles must be one of: %s") % ", ".join(ROLE_VALUES))


@router.get("", response=SpaceOut)
def get_space(request: HttpRequest) -> SpaceOut:
    return SpaceOut.of(_my_space(request), _me(request))


@router.post("", response={201: SpaceOut})
def create_space(request: HttpRequest, payload: SpaceIn) -> Status[SpaceOut]:
    _check_roles(payload.roles)
    space = actions.create_space(
        _me(request), name=payload.name, roles_answer=payload.roles
    )
    return Status(201, SpaceOut.of(space, _me(request)))


@router.patch("", response=SpaceOut)
def update_space(request: HttpRequest, payload: SpaceUpdate) -> SpaceOut:
    _check_roles(payload.roles)
    space = _my_space(request)
    if payload.name is not None:
        space.name = payload.name
        space.save(update_fields=["name"])
    if payload.roles is not None:
        space.set_roles(_me(request), payload.roles)
    return SpaceOut.of(space, _me(request))


@router.post("/invites", response={201: InviteOut})
def create_invite(request: HttpRequest) -> Status[InviteOut]:
    invite, code = actions.issue_invite(_my_space(request), _me(request))
    link = request.build_absolute_uri(
        reverse("couples:join", args=[code.replace("-", "")])
    )
    return Status(201, InviteOut(code=code, link=link, expires_at=invite.expires_at))


@router.post("/join", response=SpaceOut)
def join(request: HttpRequest, payload: JoinIn) -> SpaceOut:
    space = actions.join(_me(request), payload.code)
    fresh = (
        Space.objects.for_member(_me(request))
        .prefetch_related("memberships__user")
        .get(pk=space.pk)
    )
    return SpaceOut.of(fresh, _me(request))
