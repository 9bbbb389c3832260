from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest, attempt
from mend.accounts.keyring import personal_key
from mend.agreements import actions
from mend.agreements.diff import word_diff
from mend.agreements.export import agreement_pdf
from mend.agreements.forms import (
    AffirmForm,
    AgreementForm,
    CloseForm,
    EditForm,
    InventoryAddForm,
    RepairForm,
    ReportForm,
    ReviewForm,
    RoundEntryForm,
)
from mend.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementVersion,
    Answer,
    Circle,
    CrossingReport,
    InventoryItem,
    RepairRound,
    RoundEntry,
    State,
    record_reports_seen,
    record_rounds_seen,
)
from mend.couples.context_processors import current_space
from mend.couples.models import Space
from mend.lib.errors import Refused
from mend.lib.pagination import page_of
from mend.privacy.models import SpaceKey


def _space(request: AuthenticatedHttpRequest) -> Space | None:
    return current_space(request)


def _agreement(request: AuthenticatedHttpRequest, code: str) -> Agreement:
    return get_object_or_404(
        Agreement.objects.for_member(request.user).with_versions(), code=code
    )


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _space(request) is None:
        return redirect("home:index")
    mine = Agreement.objects.for_member(request.user).with_live_versions()
    agreements = list(mine.current().order_by("category", "created_at"))
    today = timezone.localdate()
    reports = list(
        CrossingReport.objects.for_member(request.user).with_repair().unfinished()
    )
    record_reports_seen(request.user, reports, with_repairs=False)
    return render(
        request,
        "agreements/index.html",
        {
            "due": [a for a in agreements if a.is_due(today)],
            "waiting": [a for a in agreements if a.state == State.PROPOSED],
            "in_force": [a for a in agreements if a.is_in_force()],
            # Retired items grow with the years: on a page of their own (#12).
            "has_retired": Agreement.objects.for_member(request.user)
            .retired()
            .exists(),
            "reports": reports,
        },
    )


@login_required
def retired(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _space(request) is None:
        return redirect("home:index")
    mine = Agreement.objects.for_member(request.user).with_live_versions()
    # Newest first, a page at a time, "Show older" below (#12).
    page = page_of(request, mine.retired(), "retired_at")
    return render(request, "agreements/retired.html", {"page": page})


@login_required
def add_agreement(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space(request)
    if space is None:
        return redirect("home:index")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = Agreement.propose(space, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _(
                    "Proposed. It becomes part of your agreement once you both affirm it."
                ),
            )
            return redirect("agreements:agreement", code=agreement.code)
    return render(request, "agreements/add_agreement.html", {"form": form})


@login_required
def agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _page(request, code)


def _page(
    request: AuthenticatedHttpRequest,
    code: str,
    affirm_form: AffirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    item = _agreement(request, code)
    active = item.active_version()
    pending = item.pending_version()
    reports = list(
        CrossingReport.objects.for_member(request.user).with_repair().about(item)
    )
    record_reports_seen(request.user, reports, with_repairs=False)
    return render(
        request,
        "agreements/agreement.html",
        {
            "agreement": item,
            "active": active,
            "pending": pending,
            "diff": word_diff(active.text, pending.text)
            if active and pending
            else None,
            "affirm_form": affirm_form or AffirmForm(),
            "review_form": ReviewForm(
                initial={
                    "review_on": item.review_on,
                    "review_every_days": item.review_every_days,
                }
            ),
            "reports": reports,
        },
        status=status,
    )


@login_required
def edit_agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    shown = item.shown_version()
    form = EditForm(
        request.POST or None,
        initial={
            "text": shown.text,
            "why": shown.own_why(request.user),
            "circle": shown.circle,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item.propose_edit(
                request.user,
                form.cleaned_data["text"],
                form.cleaned_data["why"],
                form.cleaned_data["circle"],
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _(
                    "New wording proposed. The wording in force stays until you "
                    "both agree on the new one."
                ),
            )
            return redirect("agreements:agreement", code=item.code)
    return render(
        request,
        "agreements/edit_agreement.html",
        {"agreement": item, "form": form, "shown": shown},
    )


def _version(
    request: AuthenticatedHttpRequest, code: str, version: str
) -> AgreementVersion:
    return get_object_or_404(
        AgreementVersion.objects.for_member(request.user).select_related("agreement"),
        code=version,
        agreement__code=code,
    )


@login_required
@require_POST
def affirm_version(
    request: AuthenticatedHttpRequest, code: str, version_code: str
) -> HttpResponse:
    item = _version(request, code, version_code)
    form = AffirmForm(request.POST)
    try:
        item.affirm(request.user, str(form.data.get("words", "")))
    except Refused as e:
        # The page again, with why and the words as typed (the pending wording may
        # have changed meanwhile: the page shows the newest).
        messages.error(request, str(e))
        form.fields["words"].widget.attrs["aria-invalid"] = "true"
        return _page(request, code, affirm_form=form, status=e.status)
    messages.success(
        request, _("Affirmed. Your partner confirms the final wording next.")
    )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def confirm_version(
    request: AuthenticatedHttpRequest, code: str, version_code: str
) -> HttpResponse:
    item = _version(request, code, version_code)
    attempt(
        request,
        lambda: item.confirm(request.user),
        _("Confirmed. This wording is now part of your agreement."),
    )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def reopen_agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    attempt(
        request,
        lambda: item.reopen(request.user),
        _(
            "Marked for a conversation. It stays in force until you both agree a change."
        ),
    )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def review_agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Please give a date and a number of days between 1 and 365.")
        )
    else:
        attempt(
            request,
            lambda: item.set_review(
                request.user,
                form.cleaned_data["review_on"],
                form.cleaned_data["review_every_days"],
            ),
            _("Review date saved."),
        )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def retire_agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    attempt(
        request,
        lambda: item.propose_retirement(request.user),
        _("Proposed. It is retired once your partner agrees; the record stays."),
    )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def agree_retirement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    attempt(
        request,
        lambda: item.agree_retirement(request.user),
        _("Retired. Its history stays here."),
    )
    return redirect("agreements:agreement", code=code)


@login_required
@require_POST
def keep_agreement(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    attempt(
        request,
        lambda: item.withdraw_retirement(request.user),
        _("Kept. The item stays in force."),
    )
    return redirect("agreements:agreement", code=code)


@login_required
def history(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    versions = item.all_versions()
    rows = [
        (v, word_diff(versions[i - 1].text, v.text) if i else None)
        for i, v in enumerate(versions)
    ]
    events = AgreementEvent.objects.for_member(request.user).about(item)
    return render(
        request,
        "agreements/history.html",
        {"agreement": item, "rows": list(reversed(rows)), "events": events},
    )


@login_required
def add_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _agreement(request, code)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = CrossingReport.file(item, request.user, **form.cleaned_data)
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("Shared with your partner. Thank you for saying it."),
            )
            return redirect("agreements:report", code=report.code)
    return render(
        request, "agreements/add_report.html", {"agreement": item, "form": form}
    )


@login_required
def add_incident(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Share a regrettable incident that crossed no agreement: a fight, a remark."""
    space = _space(request)
    if space is None:
        return redirect("home:index")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = CrossingReport.file_incident(
                space, request.user, **form.cleaned_data
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("Shared with your partner. Thank you for saying it.")
            )
            return redirect("agreements:report", code=report.code)
    return render(
        request, "agreements/add_report.html", {"agreement": None, "form": form}
    )


def _report(request: AuthenticatedHttpRequest, code: str) -> CrossingReport:
    report = get_object_or_404(
        CrossingReport.objects.for_member(request.user).with_rounds(), code=code
    )
    record_reports_seen(request.user, [report], with_repairs=True)
    record_rounds_seen(request.user, [report])
    return report


def _report_page(
    request: AuthenticatedHttpRequest,
    report: CrossingReport,
    repair_form: RepairForm | None = None,
    close_form: CloseForm | None = None,
    refused_entry: dict[str, Any] | None = None,
) -> HttpResponse:
    rounds = report.round_list()
    my_steps = _my_steps(request, report, rounds[-1]) if rounds else []
    if refused_entry is not None:
        # Shown in its own step's form when that form is on the page, else above.
        refused_entry["inline"] = bool(rounds) and (
            refused_entry["round"] == str(rounds[-1].code)
            and any(
                s["value"] == refused_entry["step"] and not s["waiting"]
                for s in my_steps
            )
        )
    return render(
        request,
        "agreements/report.html",
        {
            "report": report,
            "repair": report.get_repair(),
            "repair_form": repair_form or RepairForm(),
            "close_form": close_form or CloseForm(),
            "rounds": rounds,
            "my_steps": my_steps,
            "refused_entry": refused_entry,
        },
        status=400 if refused_entry is not None else 200,
    )


def _my_steps(
    request: AuthenticatedHttpRequest, report: CrossingReport, latest: RepairRound
) -> list[dict[str, Any]]:
    """Return the steps the person can still write in the newest round, in order."""
    space = current_space(request)
    partner = space.partner_of(request.user) if space is not None else None
    done = latest.written()
    both = [request.user.pk] + ([partner.pk] if partner is not None else [])
    steps = []
    for step in RoundEntry.Step:
        if (request.user.pk, step.value) in done:
            continue
        waiting = ""
        if (
            step == RoundEntry.Step.SUMMARY
            and partner is not None
            and (partner.pk, RoundEntry.Step.VIEW) not in done
        ):
            waiting = _("After your partner describes their view.")
        if step == RoundEntry.Step.PLAN and not latest.realities_done(both):
            waiting = _("After you both describe your view and summarise the other's.")
        steps.append({"value": step.value, "label": step.label, "waiting": waiting})
    return steps


@login_required
def report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _report_page(request, _report(request, code))


@login_required
@require_POST
def answer_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _report(request, code)
    form = RepairForm(request.POST)
    if form.is_valid():
        try:
            item.answer(request.user, **form.cleaned_data)
        except Refused as e:
            # Shown as a message: the reporter, who has no repair form, sees it too.
            messages.error(request, str(e))
        else:
            messages.success(request, _("Your repair is shared. Thank you."))
            return redirect("agreements:report", code=item.code)
    return _report_page(request, item, repair_form=form)


@login_required
@require_POST
def open_round(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _report(request, code)
    try:
        item.open_round(request.user)
    except Refused as e:
        messages.error(request, str(e))
    return redirect("agreements:report", code=item.code)


@login_required
@require_POST
def write_round_entry(
    request: AuthenticatedHttpRequest, code: str, round_code: str
) -> HttpResponse:
    item = _report(request, code)
    the_round = get_object_or_404(
        RepairRound.objects.for_member(request.user).filter(report=item),
        code=round_code,
    )
    form = RoundEntryForm(request.POST)
    form.is_valid()
    step = form.cleaned_data.get("step", "")
    try:
        the_round.write(
            request.user,
            step,
            form.cleaned_data.get("text", ""),
            form.cleaned_data.get("sense", ""),
        )
    except Refused as e:
        # The page again, with what was written, whole, and why.
        refused = {
            "round": str(the_round.code),
            "step": step,
            "text": str(form.data.get("text", "")),
            "sense": str(form.data.get("sense", "")),
            "error": str(e),
        }
        return _report_page(request, item, refused_entry=refused)
    messages.success(request, _("Saved. Your partner will see it."))
    return redirect("agreements:report", code=item.code)


@login_required
@require_POST
def close_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = _report(request, code)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            item.close(request.user, **form.cleaned_data)
        except Refused as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Saved. Your partner will see it."))
            return redirect("agreements:report", code=item.code)
    return _report_page(request, item, close_form=form)


def _sections(items: list[InventoryItem]) -> list[tuple[str, str]]:
    """Return the inventory's sections that have items, in order."""
    groups = {item.group for item in items}
    return [(v, str(label)) for v, label in InventoryItem.Group.choices if v in groups]


def _inventory_url(section: str) -> str:
    return f"{reverse('agreements:inventory')}?{urlencode({'section': section})}"


@login_required
def inventory(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _inventory_page(request)


def _inventory_page(
    request: AuthenticatedHttpRequest, refused_add: InventoryAddForm | None = None
) -> HttpResponse:
    """The inventory; after a refused REFUSED_ADD, with what was typed, whole."""
    space = _space(request)
    if space is None:
        return redirect("home:index")
    items = list(InventoryItem.objects.for_member(request.user))
    # One section at a time; an unknown or missing one shows the first.
    sections = _sections(items)
    values = [value for value, _label in sections]
    asked = (
        InventoryItem.Group.OURS
        if refused_add is not None
        else request.POST.get("section") or request.GET.get("section", "")
    )
    status = 400 if refused_add is not None else 200
    section = asked if asked in values else (values[0] if values else "")
    at = values.index(section) if section else 0
    context: dict[str, Any] = {
        "items": items,
        "choices": Answer.choices,
        "add_form": refused_add or InventoryAddForm(),
        "sections": [
            (value, label, i == at) for i, (value, label) in enumerate(sections)
        ],
        "section": section,
        "section_label": sections[at][1] if sections else "",
        "section_number": at + 1,
        "previous_section": sections[at - 1] if at > 0 else None,
        "next_section": sections[at + 1] if at + 1 < len(sections) else None,
    }
    try:
        couple_key = SpaceKey.for_partner(space, request.user, personal_key(request))
    except Refused as e:
        context["locked"] = str(e)
        return render(request, "agreements/inventory.html", context, status=status)
    mine = actions.my_answers(space, request.user, couple_key)
    if request.method == "POST" and refused_add is None:
        by_code = {str(i.code): i for i in items}
        for name, value in request.POST.items():
            item = by_code.get(name.removeprefix("item-"))
            # A posted value is a str; the one other kind, an empty list, is falsy.
            if (
                item is not None
                and isinstance(value, str)
                and value
                and mine.get(item.pk) != value
            ):
                try:
                    actions.set_answer(space, request.user, couple_key, item, value)
                except Refused as e:
                    messages.error(request, str(e))
                    break
        else:
            messages.success(request, _("Saved. Only you can see your answers."))
        return redirect(_inventory_url(section))
    both_yes, both_maybe = actions.overlaps(space, couple_key, items)
    context.update(
        rows=[(i, mine.get(i.pk, "")) for i in items if i.group == section],
        both_yes=both_yes,
        both_maybe=both_maybe,
        has_partner=space.is_full(),
    )
    return render(request, "agreements/inventory.html", context, status=status)


@login_required
@require_POST
def answer_inventory_item(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Save one answer as it is tapped (htmx); the page's own form saves many at once."""
    space = _space(request)
    if space is None:
        return redirect("home:index")
    item = get_object_or_404(InventoryItem.objects.for_member(request.user), code=code)
    value = request.POST.get(f"item-{item.code}", "")
    try:
        couple_key = SpaceKey.for_partner(space, request.user, personal_key(request))
        actions.set_answer(space, request.user, couple_key, item, value)
    except Refused as e:
        if request.headers.get("HX-Request") != "true":
            messages.error(request, str(e))
            return redirect(_inventory_url(item.group))
        # htmx swaps only a 200: the error shows beside the item, nothing was saved.
        return render(request, "agreements/_answer_status.html", {"error": str(e)})
    if request.headers.get("HX-Request") != "true":
        messages.success(request, _("Saved. Only you can see your answers."))
        return redirect(_inventory_url(item.group))
    return render(request, "agreements/_answer_status.html", {"saved": True})


@login_required
@require_POST
def add_inventory_item(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space(request)
    if space is None:
        return redirect("home:index")
    form = InventoryAddForm(request.POST)
    try:
        InventoryItem.add(space, request.user, str(form.data.get("text", "")))
    except Refused as e:
        # The page again, with what was typed, whole, and why.
        form.add_error(None, str(e))
        return _inventory_page(request, refused_add=form)
    messages.success(request, _("Added for both of you to answer."))
    return redirect(_inventory_url(InventoryItem.Group.OURS))


@login_required
def circles(request: AuthenticatedHttpRequest) -> HttpResponse:
    if _space(request) is None:
        return redirect("home:index")
    agreements = [
        a
        for a in Agreement.objects.for_member(request.user)
        .current()
        .with_versions()
        .order_by("created_at")
        if a.circle
    ]
    rings = [
        (value, label, [a for a in agreements if a.circle == value])
        for value, label in Circle.choices
        if value
    ]
    return render(request, "agreements/circles.html", {"rings": rings})


def _in_force(request: AuthenticatedHttpRequest) -> list[Agreement]:
    return [
        a
        for a in Agreement.objects.for_member(request.user)
        .current()
        .with_versions()
        .order_by("category", "created_at")
        if a.is_in_force()
    ]


@login_required
def print_agreement(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space(request)
    if space is None:
        return redirect("home:index")
    return render(
        request,
        "agreements/print.html",
        {"agreements": _in_force(request), "printed_on": timezone.localdate()},
    )


@login_required
def agreement_pdf_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = _space(request)
    if space is None:
        return redirect("home:index")
    response = HttpResponse(
        agreement_pdf(space, _in_force(request), timezone.localdate()),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="our-agreement.pdf"'
    return response
