"""How Mend renders form widgets: never with a maxlength the browser would enforce.

A maxlength attribute makes the browser drop whatever is typed or pasted past the
limit, without a word. Mend checks every length on the server instead (the fields'
max_length validation is unchanged), so an over-long text comes back with a clear
message and stays in the form, whole, to be shortened.
"""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy


def _fill(text: str, values: dict[str, Any]) -> str:
    return str(text) % values


_lazy_fill = lazy(_fill, str)


def lazy_format(text: Any, **values: Any) -> str:
    """Return TEXT % VALUES, worked out only when shown: in the person's language.

    `gettext_lazy("...") % {...}` is worked out at once, at import, in English; a
    form field's label or help text written at class level needs this instead.
    """
    return _lazy_fill(text, values)


class Renderer(DjangoTemplates):
    """Django's own renderer, without the maxlength attribute on any widget."""

    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and "maxlength" in widget.get("attrs", {}):
            widget["attrs"] = {
                k: v for k, v in widget["attrs"].items() if k != "maxlength"
            }
        return super().render(template_name, context, request)
