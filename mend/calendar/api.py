import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from mend.accounts.models import User
from mend.calendar.models import Feed, feed_url, revoke, upcoming

router = Router(tags=["calendar"])


class ItemOut(Schema):
    uid: str
    title: str
    path: str
    at: dt.datetime | None
    on: dt.date | None


class FeedOut(Schema):
    url: str


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/upcoming", response=list[ItemOut])
def list_upcoming(request: HttpRequest) -> list[ItemOut]:
    """What is on the couple calendar in the next two weeks (neutral titles)."""
    return [
        ItemOut(
            uid=item.uid,
            title=item.title,
            path=item.path,
            at=None if item.on else moment,
            on=item.on,
        )
        for moment, item in upcoming(_me(request), timezone.now())
    ]


@router.post("/feed", response={201: FeedOut})
def new_feed(request: HttpRequest) -> Status[FeedOut]:
    """Make your secret calendar address (shown once); any earlier one stops."""
    _feed, secret = Feed.issue(_me(request))
    return Status(201, FeedOut(url=feed_url(secret)))


@router.delete("/feed", response={204: None})
def revoke_feed(request: HttpRequest) -> Status[None]:
    """Turn your calendar address off; it then answers 410."""
    revoke(_me(request))
    return Status(204, None)
