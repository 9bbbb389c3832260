from typing import Any

from django.http import HttpRequest

from mend.couples.models import Space


def current_space(request: HttpRequest) -> Space | None:
    """Return the signed-in person's space with its partners, fetched once per request."""
    if not hasattr(request, "_mend_space"):
        request._mend_space = (  # type: ignore[attr-defined]  # per-request cache
            Space.objects.for_member(request.user)
            .prefetch_related("memberships__user")
            .first()
        )
    return request._mend_space  # type: ignore[no-any-return, attr-defined]  # set above


def space(request: HttpRequest) -> dict[str, Any]:
    return {"space": current_space(request) if hasattr(request, "user") else None}
