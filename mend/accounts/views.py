import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mend.accounts import actions, reauth, sessions, throttle, twofactor
from mend.accounts.budget import heavy
from mend.accounts.forms import (
    CodeForm,
    ConfirmPasswordForm,
    EnrolForm,
    ProfileForm,
    RecoverForm,
    SignupForm,
    TokenCodeForm,
    TokenForm,
    TurnOffForm,
)
from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import forget_key, personal_key, remember_key
from mend.accounts.models import ApiToken, Keyring, SignedInSession, User
from mend.lib import broker
from mend.lib.crypto import SealError
from mend.lib.errors import Refused

BACKEND = "mend.accounts.backends.UsernameOrEmailBackend"


def _next_url(request: HttpRequest, default: str = "home:index") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, request.is_secure()
    ):
        return url
    return default


@heavy
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
        throttle.passed(request, response, user)
        return response
    return render(
        request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")}
    )


def _finish_sign_in(
    request: HttpRequest, user: User, key: bytes | None, next_url: str
) -> HttpResponse:
    login(request, user, backend=BACKEND)
    response = redirect(next_url)
    if key is None:
        messages.warning(request, _("Your private entries are locked in this session."))
    else:
        remember_key(request, response, key)
    sessions.track(request)
    throttle.passed(request, response, user)
    return response


@heavy
def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    try:
        is_valid = request.method == "POST" and form.is_valid()
    except throttle.Throttled as e:
        return render(
            request,
            "accounts/login.html",
            {
                "form": form,
                "locked_message": str(e),
                "next": _next_url(request, ""),
                "signed_out": False,
            },
            status=e.status,
        )
    if is_valid:
        user = form.get_user()
        key: bytes | None
        try:
            key = user.keyring.open_with_password(form.cleaned_data["password"])
        except (Keyring.DoesNotExist, SealError):
            key = None
        if twofactor.is_on(user):
            # Not signed in yet: the code step decides.
            response = redirect(
                f"{reverse('accounts:login_code')}?{urlencode({'next': _next_url(request, '')})}"
            )
            twofactor.hold(request, response, user, key)
            return response
        return _finish_sign_in(request, user, key, _next_url(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _next_url(request, ""),
            "signed_out": "signed-out" in request.GET,
        },
    )


def login_code(request: HttpRequest) -> HttpResponse:
    """The second sign-in step, for people who turned on two-step sign-in."""
    user = twofactor.pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.device_for(user)
        try:
            if device is None:
                raise Refused(_("Please sign in again."))
            twofactor.check_code(device, form.cleaned_data["code"])
        except Refused as e:
            form.add_error("code", str(e))
        else:
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp persists it on login
            key = twofactor.release(request, user)
            response = _finish_sign_in(request, user, key, _next_url(request))
            response.delete_cookie(twofactor.PENDING_COOKIE, samesite="Strict")
            return response
    return render(
        request,
        "accounts/login_code.html",
        {"form": form, "next": _next_url(request, "")},
    )


def _signed_out() -> HttpResponse:
    """Return to sign-in with a mark that has mend.js empty this device's offline cache."""
    return redirect(f"{reverse('accounts:login')}?signed-out")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_id = request.user.pk
    if request.user.is_authenticated:
        code = sessions.current_code(request)
        if code is not None:  # no row has a None code, so there'd be none to delete
            SignedInSession.objects.for_member(request.user).filter(code=code).delete()
    logout(request)
    if user_id is not None:
        broker.wake_streams_of(user_id)
    response = _signed_out()
    forget_key(response)
    return response


def _token_form(user: User, data: Any = None) -> TokenForm:
    """Return the form for a new token; it asks for the code too with two-step on."""
    return (TokenCodeForm if twofactor.is_on(user) else TokenForm)(data)


def _profile(
    request: AuthenticatedHttpRequest,
    form: ProfileForm,
    token_form: TokenForm,
    status: int = 200,
) -> HttpResponse:
    tokens = ApiToken.objects.for_member(request.user).order_by("-created_at")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "token_form": token_form},
        status=status,
    )


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user.language:
            # The "Saved." below already speaks the language just chosen.
            translation.activate(user.language)
        messages.success(request, _("Saved."))
        return redirect("accounts:profile")
    return _profile(request, form, _token_form(request.user))


@login_required
def change_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    account = throttle.account_of(request.user)
    if request.method == "POST":
        try:
            throttle.guard(request, account)
        except throttle.Throttled as e:
            form.is_valid()  # to show the form as typed
            form.add_error("old_password", str(e))
            return render(
                request, "accounts/change_password.html", {"form": form}, status=429
            )
        if not form.is_valid() and "old_password" in form.errors:
            throttle.failed(request, account)
    if request.method == "POST" and form.is_valid():
        key = actions.change_password(
            request.user,
            form.cleaned_data["old_password"],
            form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, request.user)
        # Django has already ended the other sessions; drop them from the list.
        sessions.sign_out_others(request)
        messages.success(
            request, _("Your password is changed. Your private entries stay yours.")
        )
        response = redirect("accounts:profile")
        remember_key(request, response, key)
        return response
    return render(request, "accounts/change_password.html", {"form": form})


@heavy
def recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        account = throttle.account_for(form.cleaned_data["username"])
        try:
            throttle.guard(request, account, "recovery")
            user, key, code = actions.recover_named(
                form.cleaned_data["username"],
                form.cleaned_data["recovery_code"],
                form.cleaned_data["new_password"],
            )
        except throttle.Throttled as e:
            form.add_error(None, str(e))
            status = e.status
        except SealError:
            throttle.failed(request, account, "recovery")
            form.add_error(None, _("That username and recovery code do not match."))
        except ValidationError as e:
            form.add_error("new_password", e)
        else:
            # The recovery code stands in for a lost phone too: otherwise someone who
            # lost both would be locked out again at the next sign-in.
            had_two_factor = twofactor.reset(user)
            login(request, user, backend=BACKEND)
            if had_two_factor:
                messages.info(
                    request,
                    _(
                        "Two-step sign-in is off now. Turn it on again from Privacy "
                        "& you when you have your phone."
                    ),
                )
            response = render(
                request, "accounts/recovery_code.html", {"code": code, "renewed": True}
            )
            remember_key(request, response, key)
            throttle.passed(request, response, user, "recovery")
            return response
    return render(request, "accounts/recover.html", {"form": form}, status=status)


@login_required
@require_POST
def add_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create an API token: the password (and code) again, like any sensitive act."""
    form = _token_form(request.user, request.POST)
    if form.is_valid():
        try:
            token, secret = actions.create_token(
                request,
                request.user,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
                opens_private=form.cleaned_data["opens_private"],
            )
        except Refused as e:
            about_code = e.status in (400, 401, 429) and not isinstance(
                e, throttle.Throttled
            )
            form.add_error("code" if about_code else "password", str(e))
        else:
            return render(
                request,
                "accounts/token_created.html",
                {"secret": secret, "token": token},
            )
    return _profile(request, ProfileForm(instance=request.user), form, status=400)


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_member(request.user), code=code)
    token.revoke()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@login_required
def confirm_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the password again before something that cannot be undone."""
    form = ConfirmPasswordForm(request.POST or None)
    next_url = _next_url(request, "privacy:index")
    status = 200
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        try:
            throttle.check_password(request, request.user, password)
        except Refused as e:
            form.add_error("password", str(e))
            if isinstance(e, throttle.Throttled):
                status = e.status
        else:
            reauth.mark_confirmed(request)
            response = redirect(next_url)
            if personal_key(request) is None:
                # A chance to unlock private entries that were locked this session.
                with contextlib.suppress(Keyring.DoesNotExist, SealError):
                    remember_key(
                        request,
                        response,
                        request.user.keyring.open_with_password(password),
                    )
            return response
    return render(
        request,
        "accounts/confirm_password.html",
        {"form": form, "next": _next_url(request, "")},
        status=status,
    )


@login_required
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = twofactor.pending_device(request.user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "is_on": twofactor.is_on(request.user),
            "device": device,
            "secret": twofactor.secret_of(device) if device else "",
            "uri": twofactor.setup_uri(device) if device else "",
            "enrol_form": EnrolForm(),
            "turn_off_form": TurnOffForm(),
        },
    )


@login_required
@require_POST
def start_two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        twofactor.start_enrolment(request.user)
    except Refused as e:
        messages.error(request, str(e))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def confirm_two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EnrolForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Please type your password and the code from your app."))
        twofactor.confirm_enrolment(
            request,
            request.user,
            form.cleaned_data["password"],
            form.cleaned_data["code"],
        )
    except Refused as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _(
                "Two-step sign-in is on. Next time, Mend asks for a code after your password."
            ),
        )
    return redirect("accounts:two_factor")


@login_required
@require_POST
def turn_off_two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TurnOffForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Please give your password and a current code."))
        twofactor.turn_off(
            request,
            request.user,
            form.cleaned_data["password"],
            form.cleaned_data["code"],
        )
    except Refused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("accounts:two_factor")


@login_required
def sessions_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where this person is signed in: shown to them alone, never to their partner."""
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions.devices_for(request),
            "current": sessions.current_code(request),
        },
    )


@login_required
@require_POST
def end_session(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    row = get_object_or_404(SignedInSession.objects.for_member(request.user), code=code)
    if str(row.code) == sessions.current_code(request):
        return logout_view(request)
    sessions.end(row)
    messages.success(request, _("Signed out there."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sign_out_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions.sign_out_others(request)
    messages.success(request, _("Signed out everywhere else."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions.sign_out_everywhere(request)
    response = _signed_out()
    forget_key(response)
    return response
