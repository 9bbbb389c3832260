"""What asks something of a person now, in one neutral shape every feature can give.

Home gathers these (mend/home); a feature never imports home. A title says what kind
of thing waits and from whom, never its words: private or shared text stays on the
feature's own page, where viewing it is logged.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting: on the person asked (is_yours) or on their partner."""

    kind: str  # the feature's slug, for styling and tests ("agreements", ...)
    title: str  # translated, neutral: "An agreement wording to affirm"
    url: str  # one tap away: the page where it is done
    at: datetime  # when it started waiting, for "newest first"
    is_yours: bool  # True: it asks the person; False: it waits on their partner
    about: str = ""  # shared, never private: an agreement's category, a check-in's name


def newest_first(items: list[WaitingItem]) -> list[WaitingItem]:
    return sorted(items, key=lambda item: item.at, reverse=True)


@dataclass(frozen=True)
class PathTotal:
    """One total of what a couple has done; it only ever grows (nothing resets)."""

    kind: str
    label: str  # translated, with the count in it: "3 agreements in force"
    count: int
