from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts import throttle
from mend.accounts.guards import ACCOUNT, person_only
from mend.accounts.models import Keyring, User
from mend.lib.crypto import SealError
from mend.lib.pagination import link_older, newest_first
from mend.privacy import actions
from mend.privacy.export import build_export
from mend.privacy.models import AccessLog

router = Router(tags=["privacy"])


class AccessLogOut(Schema):
    viewed_at: datetime
    viewer: str
    viewer_role: str
    kind: str
    object_code: str


class PasswordIn(Schema):
    password: str = Field(max_length=4096, description="Asked again for every call.")


class LeaveIn(PasswordIn):
    shared: Literal["keep", "erase"] = Field(
        description="Keep what you shared for your partner, or erase it."
    )


class LeftOut(Schema):
    space: str
    left_at: datetime


def _confirmed(request: HttpRequest, password: str) -> User:
    """Return the caller after checking their password again (re-authentication)."""
    user = request.user
    assert isinstance(user, User)
    throttle.check_password(request, user, password)
    return user


@router.get("/access-log", response=list[AccessLogOut])
def access_log(
    request: HttpRequest, response: HttpResponse, before: str | None = None
) -> list[AccessLogOut]:
    """The newest 50 views; a `Link: <...>; rel="next"` header leads to older ones."""
    page = newest_first(AccessLog.objects.for_member(request.user), "viewed_at", before)
    link_older(request, response, page)
    return [
        AccessLogOut(
            viewed_at=e.viewed_at,
            viewer=e.viewer_name,
            viewer_role=e.viewer_role,
            kind=gettext(e.kind),  # stored in English; said in the reader's language
            object_code=str(e.object_code),
        )
        for e in page.items
    ]


@router.post("/export", response=dict[str, Any])
def export(request: HttpRequest, payload: PasswordIn) -> dict[str, Any]:
    """Everything you wrote, opened with your password; nothing your partner wrote."""
    user = _confirmed(request, payload.password)
    try:
        key: bytes | None = user.keyring.open_with_password(payload.password)
    except (Keyring.DoesNotExist, SealError):
        key = None
    return build_export(user, key)


@router.post("/leave", response=LeftOut)
@person_only(ACCOUNT)
def leave(request: HttpRequest, payload: LeaveIn) -> LeftOut:
    user = _confirmed(request, payload.password)
    space = actions.leave_space(user, keep_shared=payload.shared == "keep")
    membership = space.memberships.get(user=user, left_at__isnull=False)
    assert membership.left_at is not None
    return LeftOut(space=str(space.code), left_at=membership.left_at)


@router.post("/erase", response={204: None})
@person_only(ACCOUNT)
def erase(request: HttpRequest, payload: LeaveIn) -> Status[None]:
    user = _confirmed(request, payload.password)
    actions.erase_account(user, keep_shared=payload.shared == "keep")
    if hasattr(request, "session"):
        logout(request)
    return Status(204, None)
