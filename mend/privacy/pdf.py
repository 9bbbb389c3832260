"""A printable PDF of an export, with fpdf2's built-in fonts (no font files)."""

import unicodedata
from typing import Any

from fpdf import FPDF

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def printable(text: Any) -> str:
    """Return TEXT in the core fonts' Latin-1: accents kept, others become "?".

    The JSON and HTML exports keep every character; the PDF says so on its first page.
    """
    value = str(text).translate(_PLAIN)
    out = []
    for char in value:
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore")
            out.append(base.decode("latin-1") or "?")
        else:
            out.append(char)
    return "".join(out)


def export_pdf(data: dict[str, Any], labels: dict[str, str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def heading(text: str, size: int = 14) -> None:
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5, printable(text), new_x="LMARGIN", new_y="NEXT")

    heading(labels["title"], 18)
    line(data["about"])
    line(labels["pdf_note"])
    pdf.ln(3)
    heading(labels["profile"])
    for name, value in data["profile"].items():
        line(f"{name}: {value}")
    for group in data["content"]:
        pdf.ln(3)
        heading(str(group["kind"]).capitalize())
        for item in group["items"]:
            pdf.ln(2)
            meta = ", ".join(
                f"{k}: {v}"
                for k, v in item.items()
                if k not in ("content", "code", "space") and v not in (None, "")
            )
            pdf.set_font("Helvetica", "I", 9)
            line(meta)
            pdf.set_font("Helvetica", "", 10)
            for k, v in (item.get("content") or {}).items():
                if v:
                    line(f"{k}: {v}")
    if data["locked"]:
        pdf.ln(3)
        heading(labels["locked"])
        for item in data["locked"]:
            line(f"{item['kind']} {item['created_at']}: {item['reason']}")
    pdf.ln(3)
    heading(labels["access_log"])
    for entry in data["access_log"]:
        line(f"{entry['viewed_at']}  {entry['viewer']}  {entry['kind']}")
    return bytes(pdf.output())
