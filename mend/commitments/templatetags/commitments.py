from typing import Any

from django import template
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.commitments.models import Milestone, today_for

register = template.Library()


@register.filter
def who(person: User | None, viewer: User) -> str:
    """Return "you" for the viewer, else the person's display name."""
    if person is None:
        return _("someone who has left")
    return _("you") if person.pk == viewer.pk else str(person)


@register.inclusion_tag("commitments/_reached.html", takes_context=True)
def milestones_reached(context: template.Context) -> dict[str, Any]:
    """Render, quietly, the milestones reached in the last few days (home page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"reached": []}
    today = today_for(user)
    milestones = Milestone.objects.for_member(user).with_runs().order_by("-created_at")
    reached = []
    for milestone in milestones[:20]:
        mark = milestone.reached(today)
        if mark is not None:
            reached.append({"milestone": milestone, "amount": milestone.in_unit(mark)})
    return {"reached": reached}
