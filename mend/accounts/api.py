import uuid
from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from mend.accounts import actions, sessions, twofactor
from mend.accounts.budget import heavy
from mend.accounts.forms import SignupForm
from mend.accounts.guards import ACCOUNT, person_only
from mend.accounts.models import (
    ApiToken,
    SignedInSession,
    User,
    language_choices,
    time_zone_choices,
)
from mend.lib.errors import Refused

router = Router(tags=["accounts"])


class UserOut(Schema):
    code: str
    username: str
    display_name: str
    email: str
    time_zone: str
    language: str = Field(
        description='"es", "en", or "" to follow the Accept-Language of each request.'
    )

    @staticmethod
    def from_user(user: User) -> "UserOut":
        return UserOut(
            code=str(user.code),
            username=user.username,
            display_name=user.display_name,
            email=user.email,
            time_zone=user.time_zone,
            language=user.language,
        )


class SignupIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    display_name: str = Field(max_length=60)
    email: str = Field("", max_length=254)
    time_zone: str = Field("UTC", max_length=64)


class SignupOut(Schema):
    user: UserOut
    token: str
    recovery_code: str = Field(description="Shown once: keep it somewhere safe.")


class TokenIn(Schema):
    username: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    name: str = Field("api", min_length=1, max_length=60)
    code: str = Field(
        "", max_length=12, description="With two-step sign-in on: the current code."
    )
    opens_private: bool = Field(
        False,
        description="Let this token open your private entries. Without it, a private "
        "entry answers 403 and lists say how many they left out.",
    )


class TokenOut(Schema):
    code: str
    name: str
    opens_private: bool
    token: str = Field(description="Shown once: Mend keeps only its hash.")


class TokenListOut(Schema):
    code: str
    name: str
    opens_private: bool
    created_at: datetime
    last_used_at: datetime | None


class ProfileIn(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=60)
    email: str | None = Field(None, max_length=254)
    time_zone: str | None = Field(None, max_length=64)
    language: str | None = Field(
        None, max_length=8, description='"es", "en", or "" to follow the browser.'
    )


def _form_errors(form: SignupForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@router.post("/signup", auth=None, response={201: SignupOut})
@heavy
def signup(request: HttpRequest, payload: SignupIn) -> Status[SignupOut]:
    form = SignupForm(
        {
            "username": payload.username,
            "display_name": payload.display_name,
            "email": payload.email,
            "time_zone": payload.time_zone,
            "password1": payload.password,
            "password2": payload.password,
        }
    )
    if not form.is_valid():
        raise Refused(_form_errors(form))
    user, _key, code = actions.sign_up(
        username=payload.username,
        password=payload.password,
        display_name=payload.display_name,
        email=payload.email,
        time_zone=payload.time_zone,
    )
    _token, secret = ApiToken.issue(user, "signup")
    return Status(
        201, SignupOut(user=UserOut.from_user(user), token=secret, recovery_code=code)
    )


@router.post("/tokens", auth=None, response={201: TokenOut})
@heavy
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    # The backend throttles per account: throttle.Throttled answers 429.
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User):
        raise HttpError(401, _("That username and password do not match."))
    token, secret = actions.create_token(
        request,
        user,
        name=payload.name,
        password=payload.password,
        code=payload.code,
        opens_private=payload.opens_private,
    )
    return Status(
        201,
        TokenOut(
            code=str(token.code),
            name=token.name,
            opens_private=token.opens_private,
            token=secret,
        ),
    )


@router.get("/tokens", response=list[TokenListOut])
@person_only(ACCOUNT)
def list_tokens(request: HttpRequest) -> list[TokenListOut]:
    assert isinstance(request.user, User)
    return [
        TokenListOut(
            code=str(t.code),
            name=t.name,
            opens_private=t.opens_private,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
        )
        for t in ApiToken.objects.for_member(request.user).order_by("-created_at")
    ]


@router.delete("/tokens/{uuid:code}", response={204: None})
@person_only(ACCOUNT)
def revoke_token(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    assert isinstance(request.user, User)
    token = get_object_or_404(ApiToken.objects.for_member(request.user), code=code)
    token.revoke()
    return Status(204, None)


@router.get("/me", response=UserOut)
def me(request: HttpRequest) -> UserOut:
    assert isinstance(request.user, User)
    return UserOut.from_user(request.user)


@router.patch("/me", response=UserOut)
def update_me(request: HttpRequest, payload: ProfileIn) -> UserOut:
    user = request.user
    assert isinstance(user, User)
    if payload.time_zone is not None and payload.time_zone not in dict(
        time_zone_choices()
    ):
        raise Refused(_("Unknown time zone."))
    if payload.language is not None and payload.language not in dict(
        language_choices()
    ):
        raise Refused(_("Mend doesn't speak that language yet."))
    for field in ("display_name", "email", "time_zone", "language"):
        value = getattr(payload, field)
        if value is not None:
            setattr(user, field, value)
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["display_name", "email", "time_zone", "language"])
    return UserOut.from_user(user)


class SessionOut(Schema):
    code: str
    device: str | None = Field(
        description="A rough label, sealed to you: null while your key is locked. "
        "No address or location is kept."
    )
    created_at: datetime
    last_seen_at: datetime | None
    is_current: bool


class TwoFactorOut(Schema):
    is_on: bool


@router.get("/sessions", response=list[SessionOut])
@person_only(ACCOUNT)
def list_sessions(request: HttpRequest) -> list[SessionOut]:
    """Where you are signed in. Only you can see this, never your partner."""
    assert isinstance(request.user, User)
    current = sessions.current_code(request) if hasattr(request, "session") else None
    return [
        SessionOut(
            code=str(s.code),
            device=s.label,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            is_current=str(s.code) == current,
        )
        for s in sessions.devices_for(request)
    ]


@router.delete("/sessions/{uuid:code}", response={204: None})
@person_only(ACCOUNT)
def end_session(request: HttpRequest, code: uuid.UUID) -> Status[None]:
    row = get_object_or_404(SignedInSession.objects.for_member(request.user), code=code)
    sessions.end(row)
    return Status(204, None)


@router.post("/sessions/sign-out-others", response={204: None})
@person_only(ACCOUNT)
def sign_out_others(request: HttpRequest) -> Status[None]:
    sessions.sign_out_others(request)
    return Status(204, None)


@router.get("/two-factor", response=TwoFactorOut)
@person_only(ACCOUNT)
def two_factor_status(request: HttpRequest) -> TwoFactorOut:
    assert isinstance(request.user, User)
    return TwoFactorOut(is_on=twofactor.is_on(request.user))
