"""Every part of a page that follows live changes keeps up with them all."""

import re
from pathlib import Path

MEND = Path(__file__).resolve().parent.parent / "mend"
LISTENER = re.compile(r"<[^>]*hx-trigger=\"[^\"]*from:body[^>]*>", re.S)


def test_a_live_part_replaces_its_fetch_when_another_change_comes() -> None:
    """htmx drops a request from an element that already has one in flight: a change
    that came while the last one was being fetched was lost, and the partner's page
    stayed behind (e2e/test_conversations.py shows it in a browser). Its forms must
    not inherit that: a step of the person's own would be cut off by the next change."""
    listeners = [
        (path.relative_to(MEND), tag)
        for path in MEND.rglob("*.html")
        for tag in LISTENER.findall(path.read_text())
    ]
    assert len(listeners) >= 4
    behind = [
        str(path)
        for path, tag in listeners
        if 'hx-sync="this:replace"' not in tag
        or not re.search(r'hx-disinherit="(hx-sync|\*)"', tag)
    ]
    assert not behind, behind
