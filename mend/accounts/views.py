from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts import actions
from mend.accounts.forms import ProfileForm, RecoverForm, SignupForm, TokenForm
from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import forget_key, remember_key
from mend.accounts.models import ApiToken, Keyring, User
from mend.lib.crypto import SealError

BACKEND = "mend.accounts.backends.UsernameOrEmailBackend"


def _next_url(request: HttpRequest, default: str = "couples:home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return default


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, key, code = actions.sign_up(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend=BACKEND)
        # Shown in this response only: the code is stored nowhere in the clear.
        response = render(
            request,
            "accounts/recovery_code.html",
            {"code": code, "next": _next_url(request, "")},
        )
        remember_key(request, response, key)
        return response
    return render(
        request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}
    )


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user, backend=BACKEND)
        response = redirect(_next_url(request))
        try:
            key = user.keyring.open_with_password(form.cleaned_data["password"])
        except (Keyring.DoesNotExist, SealError):
            messages.warning(
                request, _("Your private entries are locked in this session.")
            )
        else:
            remember_key(request, response, key)
        return response
    return render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request, "")}
    )


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    message = _(
        "Too many attempts to sign in to this account from here. Please wait "
        "15 minutes and try again, or use your recovery code."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": message},
        status=429,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("accounts:login")
    forget_key(response)
    return response


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:profile")
    tokens = ApiToken.objects.for_member(request.user).order_by("-created_at")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "token_form": TokenForm()},
    )


@login_required
def change_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = actions.change_password(
            request.user,
            form.cleaned_data["old_password"],
            form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, request.user)
        messages.success(
            request, _("Your password is changed. Your private entries stay yours.")
        )
        response = redirect("accounts:profile")
        remember_key(request, response, key)
        return response
    return render(request, "accounts/change_password.html", {"form": form})


def recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
        try:
            if user is None:
                raise SealError("no such person")
            key, code = actions.recover(
                user,
                form.cleaned_data["recovery_code"],
                form.cleaned_data["new_password"],
            )
        except SealError:
            form.add_error(None, _("That username and recovery code do not match."))
        except ValidationError as e:
            form.add_error("new_password", e)
        else:
            login(request, user, backend=BACKEND)
            response = render(
                request, "accounts/recovery_code.html", {"code": code, "renewed": True}
            )
            remember_key(request, response, key)
            return response
    return render(request, "accounts/recover.html", {"form": form})


@login_required
@require_POST
def add_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the token a name."))
        return redirect("accounts:profile")
    _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"secret": secret})


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_member(request.user), code=code)
    token.revoke()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")
