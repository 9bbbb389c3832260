"""The agreement as a printable PDF, for the couple or their counselor."""

import unicodedata
from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from mend.agreements.models import Agreement
from mend.couples.models import Space

# DejaVu covers most scripts people write in; machines without it get a core font
# and characters it cannot encode are simplified instead of failing.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LATIN_1_SWAPS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
     "\u2014": "-", "\u2026": "...", "\u00a0": " "}
)  # fmt: skip


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            self.family, self.unicode = "DejaVu", True
        else:
            self.family, self.unicode = "Helvetica", False
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, 18)

    def fit(self, text: str) -> str:
        if self.unicode:
            return text
        text = unicodedata.normalize("NFKC", text).translate(LATIN_1_SWAPS)
        return text.encode("latin-1", "replace").decode("latin-1")

    def para(self, text: str, size: float = 11, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(
            0,
            size * 0.55,
            self.fit(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _day(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "-"


def agreement_pdf(space: Space, agreements: list[Agreement], printed_on: date) -> bytes:
    """Return the items in force as a PDF, with who affirmed each and when."""
    pdf = _Pdf()
    pdf.set_title(str(_("Our agreement")))
    pdf.add_page()
    pdf.para(str(_("Our agreement")), size=18, bold=True)
    names = " & ".join(str(p) for p in space.partners())
    pdf.para(
        _("%(names)s, printed on %(day)s") % {"names": names, "day": _day(printed_on)},
        size=10,
    )
    pdf.ln(4)
    if not agreements:
        pdf.para(_("No items are in force yet."))
    for item in agreements:
        version = item.active_version()
        if version is None:
            continue
        heading = item.category_label()
        if item.circle:
            heading += " · " + item.circle_label()
        pdf.para(heading, size=10, bold=True)
        pdf.para(version.text, size=12)
        if version.why:
            pdf.para(_("Why it matters: %(why)s") % {"why": version.why}, size=10)
        pdf.para(
            _(
                "Proposed by %(proposer)s on %(proposed)s; affirmed by %(affirmer)s "
                "on %(affirmed)s; confirmed on %(confirmed)s. Next review: %(review)s."
            )
            % {
                "proposer": version.proposed_by or "-",
                "proposed": _day(version.proposed_at),
                "affirmer": version.affirmed_by or "-",
                "affirmed": _day(version.affirmed_at),
                "confirmed": _day(version.confirmed_at),
                "review": _day(item.review_on),
            },
            size=9,
        )
        pdf.ln(4)
    return bytes(pdf.output())
