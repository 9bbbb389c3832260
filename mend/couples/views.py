from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts.http import AuthenticatedHttpRequest
from mend.couples import actions
from mend.couples.context_processors import current_space
from mend.couples.forms import JoinForm, RolesForm, SpaceForm
from mend.couples.models import Invite


@login_required
def new_space(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_space(
                request.user,
                name=form.cleaned_data["name"],
                roles_answer=form.cleaned_data["roles"],
            )
        except actions.SpaceError as e:
            messages.error(request, str(e))
        return redirect("home:index")
    return render(request, "couples/new_space.html", {"form": form})


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    try:
        invitation, code = actions.issue_invite(space, request.user)
    except actions.SpaceError as e:
        messages.error(request, str(e))
        return redirect("home:index")
    link = request.build_absolute_uri(
        reverse("couples:join", args=[code.replace("-", "")])
    )
    return render(
        request,
        "couples/invite.html",
        {"code": code, "link": link, "invitation": invitation},
    )


def _join_page(
    request: HttpRequest, code: str, form: JoinForm | None = None
) -> HttpResponse:
    invitation: Invite | None = actions.find_invite(code) if code else None
    error = None
    try:
        actions.check_invite(
            invitation, request.user if request.user.is_authenticated else None
        )
    except actions.SpaceError as e:
        error = str(e)
    status = 200 if error is None else 410 if invitation is not None else 404
    return render(
        request,
        "couples/join.html",
        {"invitation": invitation, "code": code, "error": error, "form": form},
        status=status,
    )


def join(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            actions.join(request.user, code)
        except actions.SpaceError as e:
            messages.error(request, str(e))
            return _join_page(request, code)
        messages.success(request, _("Welcome. You now share this space."))
        return redirect("home:index")
    return _join_page(request, code)


def join_by_code(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "couples:join", code=form.cleaned_data["code"].replace("-", "").strip()
        )
    return render(request, "couples/join.html", {"form": form, "code": ""})


@login_required
def roles(request: AuthenticatedHttpRequest) -> HttpResponse:
    space = current_space(request)
    if space is None:
        return redirect("home:index")
    form = RolesForm(
        request.POST or None, initial={"roles": space.roles_answer_for(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        space.set_roles(request.user, form.cleaned_data["roles"])
        messages.success(
            request, _("Saved. Only the wording of a few defaults changes.")
        )
        return redirect("home:index")
    return render(request, "couples/roles.html", {"form": form})
