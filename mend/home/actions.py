from django.db import transaction
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.agreements.models import Agreement, Category
from mend.couples.models import Space
from mend.home.starters import MAX_STARTERS, pause_rule_text
from mend.lib.errors import Refused


def pause_rule(member: User) -> Agreement | None:
    """Return the couple's pause rule in force or on the table, if either proposed one."""
    return (
        Agreement.objects.for_member(member)
        .current()
        .filter(category=Category.PAUSE)
        .order_by("created_at")
        .first()
    )


def propose_pause_rule(
    space: Space, by: User, *, how: str, how_long: str, come_back: str
) -> Agreement:
    """Propose the pause rule as an agreement; the partner affirms it as usual."""
    for answer in (how, how_long, come_back):
        if not answer.strip():
            raise Refused(
                _("Please say how you pause, for how long, and how you come back.")
            )
    return Agreement.propose(
        space,
        by,
        category=Category.PAUSE,
        text=pause_rule_text(how, how_long, come_back),
    )


@transaction.atomic
def propose_starters(
    space: Space, by: User, chosen: list[tuple[str, str]]
) -> list[Agreement]:
    """Propose each chosen starter agreement (category, words): all of them or none."""
    if not chosen:
        raise Refused(_("Please choose at least one, or skip this step."))
    if len(chosen) > MAX_STARTERS:
        raise Refused(
            _("Please choose up to %(n)d to begin with; you can add more later.")
            % {"n": MAX_STARTERS}
        )
    return [
        Agreement.propose(space, by, category=category, text=text)
        for category, text in chosen
    ]
