"""Simple formatting for what people write: Markdown in, sanitised HTML out.

Rule: raw HTML never reaches a page. markdown-it-py parses with HTML turned off
(any tag typed stays text), and nh3 then keeps only the few tags simple writing
needs, with links limited to http, https and mailto. Both are well-kept libraries;
nothing here parses HTML by hand.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Paragraphs, line breaks, lists, emphasis, quotes and links: nothing more.
TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "blockquote", "a", "code"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
# Headings, images and tables are not simple formatting: they stay text.
_parser.disable(["heading", "lheading", "image", "table", "code", "fence", "hr"])


def render(text: str) -> SafeString:
    """Return TEXT's Markdown as HTML that is safe to put on a page."""
    html = _parser.render(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308  # sanitised by nh3 just above
