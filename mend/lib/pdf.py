"""The PDF page every printable in Mend uses, with a Unicode font Mend ships.

DejaVu Sans (fonts/, free to redistribute under fonts/LICENSE) covers Latin, Greek,
Cyrillic, Hebrew, Arabic and many symbols, so the PDF does not depend on what the
host has installed. Text shaping (uharfbuzz) lays right-to-left text out as written
and joins Arabic letters. A character the font has no drawing for (emoji, Chinese)
becomes a marked substitute in square brackets, "[seedling]" or "[U+4F60]": never
a "?" and never a silent gap.
"""

import unicodedata
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.bidi import auto_detect_base_direction
from fpdf.enums import Align, TextDirection, XPos, YPos

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
# Emoji modifiers and joiners carry no meaning on their own once the emoji they
# join is written as a substitute.
_SILENT = {"Cf", "Mn", "Me", "Cs", "Co", "Cn"}
_SKIN_TONES = range(0x1F3FB, 0x1F400)


@cache
def _drawable() -> frozenset[int]:
    """Return the code points both the regular and the bold font can draw."""
    pdf = FPDF()
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    regular, bold = pdf.fonts["dejavu"], pdf.fonts["dejavuB"]
    return frozenset(regular.cmap) & frozenset(bold.cmap)  # type: ignore[union-attr]  # both are TTF fonts, which have a cmap


def substitute(char: str) -> str:
    """Return the marked stand-in for a character the font cannot draw."""
    category = unicodedata.category(char)
    if category in _SILENT or category == "Cc" or ord(char) in _SKIN_TONES:
        return ""
    name = unicodedata.name(char, "")
    if category == "So" and name:
        return f"[{name.lower()}]"
    return f"[U+{ord(char):04X}]"


def fit(text: object) -> str:
    """Return TEXT with every character the font cannot draw marked in brackets."""
    drawable = _drawable()
    return "".join(
        char if ord(char) in drawable or char in "\n\t" else substitute(char)
        for char in str(text)
    )


class Pdf(FPDF):
    """An A4 page with DejaVu Sans and text shaping, for paragraphs of any script."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, 18)

    def para(self, text: object, size: float = 11, bold: bool = False) -> None:
        """Write TEXT; each line starts on the side its own script reads from."""
        self.set_font(FAMILY, "B" if bold else "", size)
        for line in fit(text).split("\n"):
            rtl = auto_detect_base_direction(line) == TextDirection.RTL
            self.multi_cell(
                0,
                size * 0.55,
                line,
                align=Align.R if rtl else Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
