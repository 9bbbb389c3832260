"""A printable PDF of an export: the same entries, labels and dates as the web page."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mend.lib.pdf import Pdf


def when(value: str | None) -> str:
    """Return an exported ISO moment (already in the person's zone) for reading."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return date_format(timezone.localtime(moment, moment.tzinfo), "DATETIME_FORMAT")


def export_pdf(data: dict[str, Any]) -> bytes:
    pdf = Pdf()
    pdf.set_title(_("Your Mend export"))
    pdf.add_page()
    pdf.para(_("Your Mend export"), size=18, bold=True)
    pdf.para(data["about"], size=10)
    pdf.para(
        _(
            "A character this PDF's font can't draw, such as an emoji, is shown in "
            "square brackets with its name or number. The JSON and web versions "
            "keep every character as written."
        ),
        size=9,
    )
    pdf.ln(3)
    pdf.para(_("You"), size=14, bold=True)
    profile = data["profile"]
    for label, value in (
        (_("Username"), profile["username"]),
        (_("Name your partner sees"), profile["display_name"]),
        (_("Email"), profile["email"] or "-"),
        (_("Time zone"), profile["time_zone"]),
        (_("Joined Mend"), when(profile["joined_at"])),
        (_("Exported"), when(data["exported_at"])),
    ):
        pdf.para(f"{label}: {value}", size=10)
    for group in data["content"]:
        pdf.ln(4)
        pdf.para(group["kind"], size=14, bold=True)
        for item in group["items"]:
            pdf.ln(2)
            pdf.para(item["title"], size=11, bold=True)
            meta = [when(item["written_at"])]
            if item["shared"] is not None:
                meta.append(_("shared") if item["shared"] else _("private"))
            pdf.para(" · ".join(m for m in meta if m), size=8)
            for label, value in item["fields"].items():
                pdf.para(label, size=8, bold=True)
                pdf.para(value, size=10)
    if data["locked"]:
        pdf.ln(4)
        pdf.para(_("Entries that couldn't be opened"), size=14, bold=True)
        for item in data["locked"]:
            written = when(item["written_at"])
            pdf.para(f"{item['kind']}, {written}: {item['reason']}", size=10)
    pdf.ln(4)
    pdf.para(_("Access log"), size=14, bold=True)
    if not data["access_log"]:
        pdf.para(_("Nobody has opened anything written by the other yet."), size=10)
    for entry in data["access_log"]:
        pdf.para(
            f"{when(entry['viewed_at'])} · {entry['viewer']} "
            f"({entry['viewer_role']}) · {entry['kind']}",
            size=10,
        )
    return bytes(pdf.output())
