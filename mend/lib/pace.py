"""A per-person pace limit on actions that reach the partner: signals, reports, items.

The count comes from the rows the person already wrote, so it holds across worker
processes and restarts with no new service. The figures are in docs/security.md.
"""

from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mend.lib.errors import Refused

MINUTE = timedelta(minutes=1)


class TooFast(Refused):
    status = 429


def check_pace(
    person: models.Model,
    recent: "models.QuerySet[Any]",
    *,
    limit: int,
    per: timedelta = MINUTE,
    field: str = "created_at",
    message: StrOrPromise | None = None,
) -> None:
    """Refuse with TooFast when RECENT holds LIMIT rows newer than PER already.

    RECENT is the person's own rows of one kind. Their user row is locked first, so
    two requests at once are counted one after the other on PostgreSQL too (SQLite
    already runs one write transaction at a time).

    Call it inside the transaction that then writes the new row, so the count and
    the write are one decision. Inside one it opens no savepoint of its own: that cost
    two more round trips on every pause (#12), and a refusal ends the caller's
    transaction anyway. Outside one it opens its own.
    """
    if not transaction.get_connection().in_atomic_block:
        # A caller without a transaction of its own (a one-row write): the count gets
        # one, as before; the row lock needs it on PostgreSQL.
        with transaction.atomic():
            check_pace(
                person, recent, limit=limit, per=per, field=field, message=message
            )
        return
    list(
        # _meta, not type(): a request's user is a lazy wrapper.
        person._meta.model._default_manager.select_for_update()
        .filter(pk=person.pk)
        .values_list("pk", flat=True)
    )
    since = timezone.now() - per
    done = recent.filter(**{f"{field}__gt": since})[:limit].count()
    if done >= limit:
        raise TooFast(
            message
            or _(
                "That's several times in one minute. Please wait a moment, "
                "then try again."
            )
        )
