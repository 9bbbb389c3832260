from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.agreements.models import Agreement

register = template.Library()


@register.filter
def who(person: User | None, viewer: User) -> str:
    """Return "you" for the viewer, else the person's display name."""
    if person is None:
        return _("someone who has left")
    return _("you") if person.pk == viewer.pk else str(person)


@register.inclusion_tag("agreements/_due.html", takes_context=True)
def agreements_due(context: template.Context) -> dict[str, Any]:
    """Render the items due for review, for the home page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"due": []}
    return {
        "due": list(Agreement.objects.for_member(user).due(timezone.localdate())[:10])
    }
