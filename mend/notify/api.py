import uuid
from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from mend.accounts.models import User
from mend.lib.errors import Refused
from mend.notify import push
from mend.notify.models import (
    PUSH_TOPICS,
    TOPICS,
    PushSubscription,
    email_is_configured,
    email_topics,
    push_is_configured,
    push_topics,
    set_email,
    set_push,
    subscribe,
    unsubscribe,
)

router = Router(tags=["reminders"])


class ChoiceOut(Schema):
    topic: str
    label: str
    email: bool


class ChoiceIn(Schema):
    email: bool


class ChoicesOut(Schema):
    email_ready: bool
    choices: list[ChoiceOut]


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _out(user: User) -> ChoicesOut:
    chosen = email_topics(user)
    return ChoicesOut(
        email_ready=email_is_configured(),
        choices=[
            ChoiceOut(topic=t, label=str(label), email=t in chosen)
            for t, label in TOPICS.items()
        ],
    )


@router.get("/", response=ChoicesOut)
def list_choices(request: HttpRequest) -> ChoicesOut:
    """Your reminder choices per kind (all off until you turn one on)."""
    return _out(_me(request))


@router.put("/{topic}", response=ChoicesOut)
def set_choice(request: HttpRequest, topic: str, payload: ChoiceIn) -> ChoicesOut:
    """Turn e-mail reminders of one kind on or off (unknown kind: 404)."""
    set_email(_me(request), topic, payload.email)
    return _out(_me(request))


class DeviceOut(Schema):
    code: uuid.UUID
    name: str
    created_at: datetime


class DeviceIn(Schema):
    name: str
    endpoint: str
    p256dh: str
    auth: str


class KindOut(Schema):
    topic: str
    label: str
    push: bool


class KindIn(Schema):
    push: bool


class PushOut(Schema):
    push_ready: bool
    # The applicationServerKey a browser subscribes with (base64url); "" when off.
    public_key: str
    devices: list[DeviceOut]
    kinds: list[KindOut]


def _push_out(user: User) -> PushOut:
    chosen = push_topics(user)
    return PushOut(
        push_ready=push_is_configured(),
        public_key=push.public_key() if push_is_configured() else "",
        devices=[
            DeviceOut(code=d.code, name=d.name, created_at=d.created_at)
            for d in PushSubscription.objects.for_member(user).order_by("created_at")
        ],
        kinds=[
            KindOut(topic=t, label=str(label), push=t in chosen)
            for t, label in PUSH_TOPICS.items()
        ],
    )


@router.get("/push/devices", response=PushOut)
def push_settings(request: HttpRequest) -> PushOut:
    """Your browsers with Web Push on, by the names you gave them, and the kinds."""
    return _push_out(_me(request))


@router.post("/push/devices", response={201: PushOut})
def add_device(request: HttpRequest, payload: DeviceIn) -> Status[PushOut]:
    """Keep a browser's push subscription (the same endpoint again renames it)."""
    subscribe(
        _me(request), payload.name, payload.endpoint, payload.p256dh, payload.auth
    )
    return Status(201, _push_out(_me(request)))


@router.delete("/push/devices/{uuid:code}", response={204: None})
def remove_device(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    """Turn Web Push off for one of your browsers (another's: 404)."""
    if not unsubscribe(_me(request), code):
        raise Refused(_("There is no such device."), status=404)
    return Status(204, None)


@router.put("/push/kinds/{topic}", response=PushOut)
def set_kind(request: HttpRequest, topic: str, payload: KindIn) -> PushOut:
    """Turn pushes of one kind on or off (unknown kind: 404)."""
    set_push(_me(request), topic, payload.push)
    return _push_out(_me(request))
