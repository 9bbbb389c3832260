from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest

from mend.couples.models import Membership, Space


def current_space(request: HttpRequest) -> Space | None:
    """Return the signed-in person's space with its partners, fetched once per request."""
    if not hasattr(request, "_mend_space"):
        request._mend_space = (  # type: ignore[attr-defined]  # per-request cache
            Space.objects.for_member(request.user)
            # Two queries, not three: each membership with its person, joined.
            .prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("user"))
            )
            .first()
        )
    return request._mend_space  # type: ignore[no-any-return, attr-defined]  # set above


def space(request: HttpRequest) -> dict[str, Any]:
    return {"space": current_space(request) if hasattr(request, "user") else None}
