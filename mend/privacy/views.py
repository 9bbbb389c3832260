import json
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts import twofactor
from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import forget_key, personal_key
from mend.accounts.reauth import password_confirmed
from mend.couples.context_processors import current_space
from mend.lib.errors import Refused
from mend.lib.pagination import page_of
from mend.privacy import actions
from mend.privacy.export import build_export
from mend.privacy.forms import EraseForm, LeaveForm
from mend.privacy.models import AccessLog
from mend.privacy.pdf import export_pdf


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/index.html",
        {
            "two_factor_on": twofactor.is_on(request.user),
            "in_space": current_space(request) is not None,
        },
    )


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("home:index")
    page = page_of(request, AccessLog.objects.for_member(request.user), "viewed_at")
    return render(request, "privacy/access_log.html", {"page": page})


def attachment(name: str) -> str:
    """Return a Content-Disposition that keeps any name, as RFC 6266 and 5987 say.

    Browsers that read filename* get the name as written; the plain filename
    is an ASCII stand-in for the rest.
    """
    plain = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _filename(request: AuthenticatedHttpRequest, ext: str) -> str:
    return f"mend-{request.user.username}-{timezone.localdate():%Y-%m-%d}.{ext}"


_MOMENTS = {"written_at", "exported_at", "joined_at", "left_at", "viewed_at"}


def _readable(value: Any) -> Any:
    """Return the export with its ISO moments as datetimes, for the web page."""
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if isinstance(value, dict):
        return {
            k: datetime.fromisoformat(v)
            if k in _MOMENTS and isinstance(v, str)
            else _readable(v)
            for k, v in value.items()
        }
    return value


@login_required
@password_confirmed
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = build_export(request.user, personal_key(request))
    return render(request, "privacy/export.html", {"data": _readable(data)})


@login_required
@password_confirmed
def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = build_export(request.user, personal_key(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = attachment(_filename(request, "json"))
    return response


@login_required
@password_confirmed
def export_pdf_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = build_export(request.user, personal_key(request))
    response = HttpResponse(export_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = attachment(_filename(request, "pdf"))
    return response


@login_required
@password_confirmed
def leave(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        messages.info(request, _("You are not in a space right now."))
        return redirect("privacy:index")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.leave_space(
                request.user, keep_shared=form.cleaned_data["shared"] == "keep"
            )
        except Refused as e:
            messages.error(request, str(e))
            return redirect("privacy:index")
        messages.success(
            request,
            _(
                "You have left the space. Your private entries are still yours to "
                "export. You can start or join another space whenever you like."
            ),
        )
        return redirect("home:index")
    return render(
        request,
        "privacy/leave.html",
        {"form": form, "partner": space.partner_of(request.user)},
    )


@login_required
@password_confirmed
def erase(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.erase_account(
            request.user, keep_shared=form.cleaned_data["shared"] == "keep"
        )
        logout(request)
        response = render(request, "privacy/erased.html")
        forget_key(response)
        return response
    return render(
        request,
        "privacy/erase.html",
        {"form": form, "in_space": current_space(request) is not None},
    )
