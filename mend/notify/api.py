from django.http import HttpRequest
from ninja import Router, Schema

from mend.accounts.models import User
from mend.notify.models import TOPICS, email_is_configured, email_topics, set_email

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
