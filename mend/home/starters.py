"""The gentle first run's well-written examples: a pause rule and starter agreements.

Each is only a starting point: the person edits the words before proposing them,
and the partner affirms them as with any agreement. None assumes who was hurt.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PAUSE_HOW = gettext_lazy(
    "Either of us can say or send “pause” at any time, without giving a reason, "
    "and the other stops there."
)
PAUSE_HOW_LONG = gettext_lazy(
    "We take at least 20 minutes apart and at most a few hours, each doing "
    "something calming on our own."
)
PAUSE_COME_BACK = gettext_lazy(
    "The one who paused comes back at the time we named and asks “ready to try "
    "again?”. If not yet, we choose a new time; we never drop it for good."
)

# (category, words): Category values from mend/agreements.
STARTERS = [
    (
        "disclosures",
        gettext_lazy(
            "When something hard needs telling, we tell it ourselves and soon, and "
            "the other listens to the end before answering."
        ),
    ),
    (
        "dating",
        gettext_lazy(
            "If someone from the past gets in touch, the one contacted tells the other "
            "within a day, in their own words."
        ),
    ),
    (
        "social",
        gettext_lazy(
            "At a party or gathering, either of us can ask for a quiet word, and we can "
            "leave together without explaining to anyone."
        ),
    ),
    (
        "messages",
        gettext_lazy("We keep messages with anyone else free of flirting."),
    ),
    (
        "other",
        gettext_lazy(
            "Once a week we spend an evening together with no hard topics, just "
            "the two of us."
        ),
    ),
]
MAX_STARTERS = 3


def pause_rule_text(how: str, how_long: str, come_back: str) -> str:
    """Return one agreement's words from the pause rule's three answers."""
    return "\n".join(
        [
            f"{_('How we pause:')} {how.strip()}",
            f"{_('How long:')} {how_long.strip()}",
            f"{_('How we come back:')} {come_back.strip()}",
        ]
    )
