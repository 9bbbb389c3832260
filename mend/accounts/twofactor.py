"""Optional two-step sign-in with a time-based code (TOTP) from an app the person picks.

Rule: with two-step sign-in on, the data key is unlocked into a session only after
both the password and the code have passed.
"""

import base64
import secrets
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts import throttle
from mend.accounts.models import User
from mend.lib.crypto import SealError, b64d, b64e, seal, unseal
from mend.lib.errors import Refused

PENDING_FIELD = "mend_pending_sign_in"
PENDING_COOKIE = "mend_pending"
PENDING_SECONDS = 5 * 60


def device_for(user: User) -> TOTPDevice | None:
    """Return USER's confirmed device, or None when two-step sign-in is off."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_on(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def start_enrolment(user: User) -> TOTPDevice:
    """Return a fresh, unconfirmed device; an earlier unfinished one is dropped."""
    if is_on(user):
        raise Refused(_("Two-step sign-in is already on."), status=409)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Mend", confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def secret_of(device: TOTPDevice) -> str:
    """Return the device secret as base32, in groups of four for typing by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_uri(device: TOTPDevice) -> str:
    return str(device.config_url)


def check_code(device: TOTPDevice, code: str) -> None:
    """Raise Refused unless CODE is a current code of DEVICE (throttled by django-otp)."""
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        raise Refused(
            _("Too many wrong codes. Please wait a little and try again."), status=429
        )
    if not device.verify_token("".join(code.split())):
        raise Refused(
            _("That code didn't match. Check the time on your phone and try again."),
            status=400,
        )


def confirm_enrolment(
    request: HttpRequest, user: User, password: str, code: str
) -> TOTPDevice:
    """Turn two-step sign-in on; both the password and a current code are needed.

    Rule: someone briefly at a signed-in device cannot lock its owner out.
    """
    device = pending_device(user)
    if device is None:
        raise Refused(_("Start setting up two-step sign-in first."), status=409)
    throttle.check_password(request, user, password)
    check_code(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def turn_off(request: HttpRequest, user: User, password: str, code: str) -> None:
    """Turn two-step sign-in off; both the password and a current code are needed."""
    device = device_for(user)
    if device is None:
        return
    throttle.check_password(request, user, password)
    check_code(device, code)
    TOTPDevice.objects.filter(user=user).delete()


def reset(user: User) -> bool:
    """Turn two-step sign-in off after a recovery; return whether it was on."""
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    return bool(deleted > 0)


def _where(user: User) -> str:
    return f"pending:{user.code}"


def hold(
    request: HttpRequest, response: HttpResponse, user: User, key: bytes | None
) -> None:
    """Remember that USER passed the password step, without signing them in.

    The data key is held sealed in a short-lived cookie under a secret kept in the
    session: neither half alone opens it, and it reaches the session proper only
    after the code step.
    """
    secret = secrets.token_bytes(32)
    request.session[PENDING_FIELD] = {
        "user": str(user.code),
        "secret": b64e(secret),
        "at": time.time(),
    }
    if key is not None:
        response.set_cookie(
            PENDING_COOKIE,
            b64e(seal(secret, key, _where(user))),
            max_age=PENDING_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )


def pending_user(request: HttpRequest) -> User | None:
    pending: Any = request.session.get(PENDING_FIELD)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_FIELD, None)
        return None
    code = pending.get("user")
    if code is None:  # no user has a None code
        return None
    return User.objects.filter(code=code, is_active=True).first()


def release(request: HttpRequest, user: User) -> bytes | None:
    """Return the data key held since the password step (or None), forgetting it.

    The caller deletes PENDING_COOKIE from its response.
    """
    pending: Any = request.session.pop(PENDING_FIELD, None)
    sealed = request.COOKIES.get(PENDING_COOKIE)
    if not isinstance(pending, dict) or not sealed:
        return None
    try:
        return unseal(b64d(pending["secret"]), b64d(sealed), _where(user))
    except (SealError, ValueError, KeyError):
        return None
