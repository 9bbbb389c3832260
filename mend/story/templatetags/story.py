from typing import Any

from django import template

from mend.story.forms import AppreciationForm

register = template.Library()


@register.inclusion_tag("story/_note_form.html", takes_context=True)
def appreciation_card(context: template.Context) -> dict[str, Any]:
    """The quick appreciation form, for the home page (no queries)."""
    return {
        "note_form": AppreciationForm(),
        "from_home": True,
        "csrf_token": context.get("csrf_token"),
    }
