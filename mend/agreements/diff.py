"""A word-level diff between two wordings, for people rather than programs."""

import re
from difflib import SequenceMatcher
from typing import NamedTuple


class Piece(NamedTuple):
    op: str  # "same", "ins" or "del"
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """Return NEW compared with OLD as pieces of unchanged, added and removed words."""
    a = re.findall(r"\S+|\s+", old)
    b = re.findall(r"\S+|\s+", new)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return pieces
