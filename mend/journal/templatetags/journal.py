from django import template
from django.utils.safestring import SafeString

from mend.lib.markup import render

register = template.Library()


@register.filter
def formatted(text: str) -> SafeString:
    """Render TEXT's simple formatting as sanitised HTML (mend/lib/markup.py)."""
    return render(text)
