import uuid
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mend.accounts.guards import CONSENT, person_only
from mend.accounts.keyring import personal_key
from mend.accounts.models import User
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.privacy.models import LEFT_OUT_HEADER, open_entries_counting, open_entry
from mend.safety import actions
from mend.safety.forms import MAX_TEXT
from mend.safety.models import DEFAULT_MINUTES, TRIGGER_KIND, Signal, Trigger

router = Router(tags=["safety"])


class SignalIn(Schema):
    # Plain strings and ints so a wrong value gets our own plain-words refusal.
    kind: str = Field(description="pause, slow or stop")
    minutes: int = Field(DEFAULT_MINUTES, description="cooling-off time, 5 to 240")
    return_at: datetime | None = Field(
        None, description="when to come back to it; within 24 hours"
    )


class ExtendIn(Schema):
    minutes: int = DEFAULT_MINUTES


class SignalOut(Schema):
    code: str
    kind: str
    is_mine: bool
    sender: str
    minutes: int
    created_at: datetime
    ends_at: datetime
    return_at: datetime
    extended_at: datetime | None
    is_running: bool
    ready_at: datetime | None = Field(
        description="when the partner said they're ready when the sender is"
    )
    ended_how: str | None = Field(
        description="sender (ended early by its sender), time (at its time), "
        "left (its sender left the space); null while it runs"
    )
    ended_at: datetime | None = Field(
        description="when it ended: ended by its sender, its return time, or when "
        "its sender left; null while it runs"
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _signal_out(signal: Signal, user: User) -> SignalOut:
    return SignalOut(
        code=str(signal.code),
        kind=signal.kind,
        is_mine=signal.sender_id == user.pk,
        sender=signal.sender.display_name,
        minutes=signal.minutes,
        created_at=signal.created_at,
        ends_at=signal.ends_at,
        return_at=signal.return_at,
        extended_at=signal.extended_at,
        is_running=signal.is_running(),
        ready_at=signal.ready_at,
        ended_how=signal.how_it_ended() or None,
        ended_at=signal.when_it_ended(),
    )


@router.get("/signals", response=list[SignalOut])
def list_signals(request: HttpRequest) -> list[SignalOut]:
    user = _me(request)
    signals = (
        Signal.objects.for_member(user)
        .select_related("sender")
        .order_by("-created_at", "-pk")[:200]
    )
    return [_signal_out(s, user) for s in signals]


@router.post("/signals", response={201: SignalOut})
def send_signal(request: HttpRequest, payload: SignalIn) -> Status[SignalOut]:
    user = _me(request)
    # Only the id is needed: this is the path a pause takes, so keep it to one query.
    space = Space.objects.for_member(user).only("pk").first()
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    signal = actions.send_signal(
        space,
        user,
        kind=payload.kind,
        minutes=payload.minutes,
        return_at=payload.return_at,
    )
    return Status(201, _signal_out(signal, user))


def _signal(request: HttpRequest, code: uuid.UUID) -> Signal:
    return get_object_or_404(
        Signal.objects.for_member(_me(request)).select_related("sender"), code=code
    )


@router.post("/signals/{uuid:code}/extend", response=SignalOut)
def extend_signal(
    request: HttpRequest, code: uuid.UUID, payload: ExtendIn
) -> SignalOut:
    signal = actions.extend_signal(
        _signal(request, code), _me(request), payload.minutes
    )
    return _signal_out(signal, _me(request))


@router.post("/signals/{uuid:code}/ready", response=SignalOut)
def say_ready(request: HttpRequest, code: uuid.UUID) -> SignalOut:
    """Tell the sender you're ready when they are; only they can end it early."""
    signal = actions.say_ready(_signal(request, code), _me(request))
    return _signal_out(signal, _me(request))


@router.post("/signals/{uuid:code}/end", response=SignalOut)
def end_signal(request: HttpRequest, code: uuid.UUID) -> SignalOut:
    """End your own signal early; the partner's is theirs to end (403)."""
    signal = actions.end_signal(_signal(request, code), _me(request))
    return _signal_out(signal, _me(request))


class TriggerIn(Schema):
    what: str = Field(min_length=1, max_length=MAX_TEXT)
    when: str = Field("", max_length=120)
    intensity: int = Field(ge=1, le=10)
    helped: str = Field("", max_length=MAX_TEXT)
    share: bool = False


class TriggerOut(Schema):
    code: str
    author: str
    is_mine: bool
    is_shared: bool
    created_at: datetime
    what: str
    when: str
    intensity: int
    helped: str


def _trigger_out(trigger: Trigger, content: dict[str, str], user: User) -> TriggerOut:
    return TriggerOut(
        code=str(trigger.code),
        author=str(trigger.author),
        is_mine=trigger.author_id == user.pk,
        is_shared=trigger.is_shared,
        created_at=trigger.created_at,
        what=content.get("what", ""),
        when=content.get("when", ""),
        intensity=int(content.get("intensity", "0") or 0),
        helped=content.get("helped", ""),
    )


@router.get("/triggers", response=list[TriggerOut])
def list_triggers(request: HttpRequest, response: HttpResponse) -> list[TriggerOut]:
    """Your trigger notes and those your partner shared.

    Private notes this request cannot open are left out; the Mend-Private-Left-Out
    header says how many.
    """
    user = _me(request)
    notes = (
        Trigger.objects.visible_to(user)
        .select_related("author")
        .order_by("-created_at")[:200]
    )
    opened, left_out = open_entries_counting(
        list(notes), user, personal_key(request), TRIGGER_KIND
    )
    response[LEFT_OUT_HEADER] = str(left_out)
    return [_trigger_out(t, c, user) for t, c in opened]


@router.post("/triggers", response={201: TriggerOut})
def create_trigger(request: HttpRequest, payload: TriggerIn) -> Status[TriggerOut]:
    user = _me(request)
    space = current_space(request)
    if space is None:
        raise Refused(_("You don't share a space yet."), status=404)
    content = {
        "what": payload.what,
        "when": payload.when,
        "intensity": str(payload.intensity),
        "helped": payload.helped,
    }
    trigger = actions.note_trigger(
        space, user, personal_key(request), share=payload.share, **content
    )
    return Status(201, _trigger_out(trigger, content, user))


@router.get("/triggers/{uuid:code}", response=TriggerOut)
def get_trigger(request: HttpRequest, code: uuid.UUID) -> TriggerOut:
    user = _me(request)
    trigger = get_object_or_404(
        Trigger.objects.visible_to(user).select_related("author"), code=code
    )
    content = open_entry(trigger, user, personal_key(request), TRIGGER_KIND)
    return _trigger_out(trigger, content, user)


def _toggle(request: HttpRequest, code: uuid.UUID, share: bool) -> TriggerOut:
    user = _me(request)
    trigger = get_object_or_404(
        Trigger.objects.mine(user).select_related("author"), code=code
    )
    content = trigger.set_shared(personal_key(request), user, share=share)
    return _trigger_out(trigger, content, user)


@router.post("/triggers/{uuid:code}/share", response=TriggerOut)
@person_only(CONSENT)
def share_trigger(request: HttpRequest, code: uuid.UUID) -> TriggerOut:
    return _toggle(request, code, share=True)


@router.post("/triggers/{uuid:code}/unshare", response=TriggerOut)
def unshare_trigger(request: HttpRequest, code: uuid.UUID) -> TriggerOut:
    return _toggle(request, code, share=False)


@router.delete("/triggers/{uuid:code}", response={204: None})
def delete_trigger(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    trigger = get_object_or_404(Trigger.objects.mine(_me(request)), code=code)
    trigger.delete()
    return Status(204, None)
