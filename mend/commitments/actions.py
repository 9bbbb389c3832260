"""Writes that touch more than one record, and reads by the partner (access log)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.commitments.models import (
    MAX_LONG,
    Commitment,
    Milestone,
    Slip,
    Words,
    clean,
    today_for,
)
from mend.couples.models import Space
from mend.lib.dates import check_day
from mend.lib.errors import Refused
from mend.privacy.models import record_views


def record_seen(viewer: User, items: Iterable[Any], author: str, kind: Any) -> None:
    """Log VIEWER's views of ITEMS written by someone else (two queries at most).

    Rule: every view by the partner of what the other wrote is in the access log
    both can read; the author's own views are not logged.
    """
    record_views(
        viewer,
        [(i.space_id, getattr(i, f"{author}_id"), i.code) for i in items],
        kind,
    )


@transaction.atomic
def record_slip(
    space: Space,
    by: User,
    key: bytes | None,
    *,
    kind: str,
    on: dt.date | None,
    led_to: str,
    learned: str,
    step: str,
    share: bool = False,
    make_commitment: bool = False,
    milestone: Milestone | None = None,
) -> Slip:
    """Record BY's slip; its step can become a commitment, a relapse a new run.

    The reflections are sealed under BY's key unless they share them. A relapse
    starts a new run of the milestone: its earlier runs and total stay.
    """
    if kind not in Slip.Kind.values:
        raise Refused(_("Please choose what kind of slip it was."))
    content = {
        "led_to": clean(led_to, _("what led to it"), MAX_LONG, required=False),
        "learned": clean(learned, _("what you learned"), MAX_LONG, required=False),
        "step": clean(step, _("step"), MAX_LONG, required=make_commitment),
    }
    today = today_for(by)
    on = check_day(on) if on is not None else today
    if on > today:
        raise Refused(_("A slip is about a day that has happened."))
    slip = Slip(space=space, author=by, kind=kind, on=on, is_shared=share)
    slip.set_content(key, content)
    if share:
        slip.shared_at = slip.updated_at
    if make_commitment:
        slip.step_commitment = Commitment.make(
            space, by, Words(text=content["step"], starts_on=today)
        )
    if milestone is not None:
        if milestone.space_id != space.pk:
            raise Refused(_("That isn't one of your space's milestones."), status=404)
        slip.milestone = milestone
        milestone.new_run(by, on)
    slip.save()
    return slip
