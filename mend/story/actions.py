from mend.accounts.models import User
from mend.privacy.models import record_views
from mend.story.models import APPRECIATION_KIND, Appreciation


def read_notes(viewer: User, notes: list[Appreciation]) -> None:
    """The partner reading notes written to them: each goes in the access log."""
    record_views(
        viewer,
        [(n.space_id, n.author_id, n.code) for n in notes],
        APPRECIATION_KIND,
    )
