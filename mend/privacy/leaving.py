"""What a feature ends when someone leaves their space.

privacy.actions.leave_space cannot import the features above it, so each feature
that owns something the leaver started (a pause) registers a function here from its
AppConfig.ready: the call runs one way, from the feature down to privacy.
"""

from collections.abc import Callable

from mend.accounts.models import User

# Called with (the leaver, their space's id) inside leave_space's transaction.
Ending = Callable[[User, int], object]

_endings: list[Ending] = []


def on_leaving(ending: Ending) -> None:
    """Have leave_space call ENDING for everyone who leaves, once per registration."""
    if ending not in _endings:
        _endings.append(ending)


def end_for_leaver(user: User, space_id: int) -> None:
    for ending in _endings:
        ending(user, space_id)
