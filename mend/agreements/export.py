"""The agreement as a printable PDF, for the couple or their counselor."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mend.agreements.models import Agreement
from mend.couples.models import Space
from mend.lib.pdf import Pdf


def _day(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "-"


def agreement_pdf(space: Space, agreements: list[Agreement], printed_on: date) -> bytes:
    """Return the items in force as a PDF, with who affirmed each and when."""
    pdf = Pdf()
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
