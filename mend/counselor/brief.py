"""The session brief as a one-page PDF, on the page every printable in Mend uses."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mend.counselor.models import Scope
from mend.lib.pdf import Pdf


def brief_pdf(context: dict[str, Any]) -> bytes:
    """Return the brief CONTEXT (from the brief page) as PDF: in-scope changes only."""
    pdf = Pdf()
    pdf.set_title(str(_("Session brief")))
    pdf.add_page()
    pdf.para(_("Session brief: %(names)s") % {"names": context["names"]}, 16, True)
    pdf.para(
        _("Changes since %(since)s, in what the couple chose to share with you.")
        % {"since": date_format(context["since"], "DATETIME_FORMAT")},
        size=10,
    )
    on = context["scopes"]
    if not on:
        pdf.para(_("The couple has not chosen anything to share yet."))
    labels = dict(Scope.choices)
    if Scope.AGREEMENTS in on:
        pdf.ln(3)
        pdf.para(labels[Scope.AGREEMENTS], 12, True)
        for event in context["agreement_events"]:
            pdf.para(
                f"{date_format(event.at, 'DATE_FORMAT')}: {event.get_kind_display()}"
                f" ({event.by or '-'})",
                size=10,
            )
        due = [a for a in context["agreements"] if a.is_due(context["today"])]
        for a in due:
            version = a.active_version()
            pdf.para(
                _("Due for review: %(text)s")
                % {"text": version.text if version else ""},
                size=10,
            )
        if not context["agreement_events"] and not due:
            pdf.para(_("No changes."), size=10)
    if Scope.REPORTS in on:
        pdf.ln(3)
        pdf.para(labels[Scope.REPORTS], 12, True)
        for r in context["reports"]:
            pdf.para(f"{r.reporter}: {r.what_happened} ({r.get_status_display()})", 10)
        if not context["reports"]:
            pdf.para(_("No new reports."), size=10)
    if Scope.CHECKINS in on:
        pdf.ln(3)
        pdf.para(labels[Scope.CHECKINS], 12, True)
        pdf.para(
            _("%(n)d shared answers.") % {"n": len(context["checkin_answers"])}, 10
        )
    if Scope.COMMITMENTS in on:
        pdf.ln(3)
        pdf.para(labels[Scope.COMMITMENTS], 12, True)
        for c in context["commitments"]:
            pdf.para(
                _("%(text)s: kept %(kept)d, missed %(missed)d")
                % {"text": c.text, "kept": c.kept, "missed": c.missed},
                size=10,
            )
        for g in context["goals"]:
            state = _("done") if g.done_at else _("open")
            pdf.para(f"{g.text} ({state})", size=10)
        pdf.para(_("%(n)d slips shared.") % {"n": len(context["slips"])}, 10)
    if Scope.CONVERSATIONS in on:
        pdf.ln(3)
        pdf.para(labels[Scope.CONVERSATIONS], 12, True)
        for c in context["conversations"]:
            topics = " · ".join(t.text for t in c.topic_list())
            pdf.para(
                f"{date_format(c.starts_at, 'DATE_FORMAT')}: {topics}"
                f" ({c.get_status_display()})",
                size=10,
                bold=True,
            )
            for turn in c.turn_list():
                for move in turn.move_list():
                    said = f": {move.text}" if move.text else ""
                    pdf.para(f"{move.by} {move.get_kind_display()}{said}", size=10)
            for o in c.outcome_list():
                pdf.para(f"{o.get_kind_display()}: {o.text}", size=10)
        if not context["conversations"]:
            pdf.para(_("No conversations."), size=10)
    if Scope.JOURNAL in on:
        pdf.ln(3)
        pdf.para(labels[Scope.JOURNAL], 12, True)
        for entry, content in context["journal"]:
            pdf.para(f"{entry.author}: {content.get('title', '')}", size=10)
        if not context["journal"]:
            pdf.para(_("No new shared entries."), size=10)
    return bytes(pdf.output())
