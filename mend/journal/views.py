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
from mend.journal.forms import EntryForm
from mend.journal.models import KIND, JournalEntry
from mend.lib.errors import Refused
from mend.privacy.models import open_entries, open_entry
from mend.privacy.sharing import set_sharing


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("couples:home")
    entries = (
        JournalEntry.objects.visible_to(request.user)
        .select_related("author")
        .order_by("-created_at")[:200]
    )
    key = personal_key(request)
    opened = open_entries(list(entries), request.user, key, str(KIND))
    has_locked = key is None and any(
        e.author_id == request.user.pk and not e.is_shared for e in entries
    )
    return render(
        request, "journal/index.html", {"opened": opened, "has_locked": has_locked}
    )


@login_required
def add_entry(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("couples:home")
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


@login_required
def entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        JournalEntry.objects.visible_to(request.user).select_related("author"),
        code=code,
    )
    try:
        content = open_entry(item, request.user, personal_key(request), str(KIND))
    except Refused as e:
        return render(
            request,
            "journal/entry.html",
            {"entry": item, "error": str(e)},
            status=e.status,
        )
    return render(request, "journal/entry.html", {"entry": item, "content": content})


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
def delete_entry(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(JournalEntry.objects.mine(request.user), code=code)
    item.delete()
    messages.success(request, _("Deleted."))
    return redirect("journal:index")
