from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import personal_key
from mend.couples.context_processors import current_space
from mend.journal import actions
from mend.journal.forms import EntryForm, ReplyForm, SearchForm
from mend.journal.models import KIND, JournalEntry, JournalReply, search
from mend.lib.errors import Refused
from mend.lib.pagination import page_of
from mend.privacy.models import open_entries, open_entry
from mend.privacy.sharing import set_sharing

PAGE = 50


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    page = page_of(
        request,
        JournalEntry.objects.for_member(request.user)
        .listed(request.user)
        .select_related("author"),
        "created_at",
    )
    entries = page.items
    key = personal_key(request)
    withdrawn = [e for e in entries if e.is_withdrawn_for(request.user)]
    readable = [e for e in entries if not e.is_withdrawn_for(request.user)]
    opened = {e.pk: c for e, c in open_entries(readable, request.user, key, KIND)}
    rows = [(e, opened.get(e.pk)) for e in entries if e.pk in opened or e in withdrawn]
    has_locked = key is None and any(
        e.author_id == request.user.pk and not e.is_shared for e in entries
    )
    questions = list(
        JournalEntry.objects.visible_to(request.user)
        .questions_for(request.user)
        .select_related("author")
        .order_by("-created_at")[:PAGE]
    )
    return render(
        request,
        "journal/index.html",
        {
            "rows": rows,
            "has_locked": has_locked,
            "questions": questions,
            "page": page,
            "search_form": SearchForm(),
        },
    )


@login_required
def search_entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    form = SearchForm(request.GET or None)
    hits: list[tuple[JournalEntry, dict[str, str]]] = []
    locked = False
    status = 200
    if form.is_valid():
        try:
            hits, locked = search(
                request.user, personal_key(request), form.cleaned_data["q"]
            )
        except Refused as e:
            form.add_error("q", str(e))
            status = e.status
        else:
            # The partner's shared entries found here are read: log them.
            open_entries(
                [e for e, _c in hits], request.user, personal_key(request), KIND
            )
    elif form.is_bound:
        status = 400
    return render(
        request,
        "journal/search.html",
        {"form": form, "hits": hits, "locked": locked},
        status=status,
    )


@login_required
def add_entry(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.write_entry(
                space, request.user, personal_key(request), **form.cleaned_data
            )
        except Refused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Saved."))
            return redirect("journal:index")
    return render(request, "journal/add_entry.html", {"form": form})


def _entry_page(
    request: AuthenticatedHttpRequest,
    item: JournalEntry,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if item.is_withdrawn_for(request.user):
        return render(
            request,
            "journal/entry.html",
            {"entry": item, "withdrawn": True},
            status=410,
        )
    try:
        content = open_entry(item, request.user, personal_key(request), KIND)
    except Refused as e:
        return render(
            request,
            "journal/entry.html",
            {"entry": item, "error": str(e), "withdrawn": False},
            status=e.status,
        )
    if item.author_id == request.user.pk:
        actions.log_reply_views(request.user, item)
    replies = item.shown_replies()
    return render(
        request,
        "journal/entry.html",
        {
            "entry": item,
            "withdrawn": False,
            "error": None,
            "content": content,
            "replies": [r for r in replies if r.kind == JournalReply.Kind.REPLY],
            "read_by": [r for r in replies if r.kind == JournalReply.Kind.READ],
            "has_read": any(
                r.kind == JournalReply.Kind.READ and r.author_id == request.user.pk
                for r in replies
            ),
            "reply_form": reply_form or ReplyForm(),
        },
        status=status,
    )


def _listed(request: AuthenticatedHttpRequest, code: str) -> JournalEntry:
    return get_object_or_404(
        JournalEntry.objects.for_member(request.user)
        .listed(request.user)
        .with_replies(),
        code=code,
    )


@login_required
def entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _entry_page(request, _listed(request, code))


@login_required
@require_POST
def reply_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.visible_to(request.user), code=code)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            actions.answer_entry(
                item, request.user, JournalReply.Kind.REPLY, form.cleaned_data["text"]
            )
        except Refused as e:
            form.add_error("text", str(e))
        else:
            messages.success(request, _("Your reply is on the entry."))
            return redirect("journal:entry", code=item.code)
    return _entry_page(request, _listed(request, code), form, status=400)


@login_required
@require_POST
def read_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.visible_to(request.user), code=code)
    try:
        actions.answer_entry(item, request.user, JournalReply.Kind.READ)
    except Refused as e:
        messages.error(request, str(e))
    return redirect("journal:entry", code=item.code)


def _toggle(request: AuthenticatedHttpRequest, code: str, share: bool) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.mine(request.user), code=code)
    set_sharing(request, item, share=share)
    return redirect("journal:entry", code=item.code)


@login_required
@require_POST
def share_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=True)


@login_required
@require_POST
def unshare_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _toggle(request, code, share=False)


@login_required
@require_POST
def ask_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.mine(request.user), code=code)
    try:
        item.mark_question(request.user, is_question=request.POST.get("ask") == "1")
    except Refused as e:
        messages.error(request, str(e))
    return redirect("journal:entry", code=item.code)


@login_required
@require_POST
def delete_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.mine(request.user), code=code)
    if item.remove(request.user):
        messages.success(
            request,
            _(
                "Deleted. Your partner could see it, so they see that you withdrew "
                "it, never its words."
            ),
        )
    else:
        messages.success(request, _("Deleted."))
    return redirect("journal:index")
