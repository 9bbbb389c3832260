"""Count wrong passwords and recovery codes so they cannot be guessed, by anyone.

Rules:
- Counted per account, whatever was typed: a username or an e-mail address in any
  case or width counts against the account it names, so changing capitals buys no
  new guesses. A name that matches nobody is counted under its normalised self.
- A partner cannot lock the other out (OWASP "device cookies"): a device that has
  signed in to the account before carries a signed cookie naming it, and has its own
  allowance there. Unknown devices share one allowance per account, and also one per
  network across all accounts.
- Nothing readable is kept: each bucket is stored as a keyed digest, and the network
  is only the first part of an address (an IPv4 /24 or an IPv6 /64) before digesting.
"""

import ipaddress
import logging
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mend.accounts.models import FailedAttempt, User
from mend.lib.errors import Refused

DEVICE_COOKIE = "mend_device"
DEVICE_DAYS = 365
# Enough for a shared home computer: both partners and a spare.
DEVICE_ACCOUNTS = 4
PURGE_EVERY_SECONDS = 300

logger = logging.getLogger(__name__)


class Throttled(Refused):
    status = 429


def _digest(value: str) -> str:
    return salted_hmac("mend.throttle", value, algorithm="sha256").hexdigest()


def account_for(typed: str | None) -> str:
    """Return the throttle's name for the account TYPED names (username or e-mail)."""
    name = unicodedata.normalize("NFKC", typed or "").strip()
    lookup = "email__iexact" if "@" in name else "username__iexact"
    matches = list(
        User.objects.filter(**{lookup: name}).values_list("code", flat=True)[:2]
    )
    if len(matches) == 1:
        return f"user:{matches[0]}"
    return f"name:{name.casefold()}"


def account_of(user: User) -> str:
    return f"user:{user.code}"


def client_address(request: HttpRequest) -> str:
    """Return the visitor's address: the proxy's word for it when behind one."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return str(remote)
    # Each proxy appends the address it saw; entries to the left of ours are
    # whatever the visitor chose to send, so count from the right.
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) >= settings.TRUSTED_PROXIES >= 1:
        return str(hops[-settings.TRUSTED_PROXIES])
    return str(remote)


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _devices(request: HttpRequest) -> dict[str, str]:
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt="mend.device",
            max_age=timedelta(days=DEVICE_DAYS),
        )
    except signing.BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _tag(account: str) -> str:
    return _digest(f"device-tag:{account}")[:16]


@dataclass(frozen=True)
class Bucket:
    key: str
    limit: int


def _buckets(request: HttpRequest, account: str, kind: str) -> list[Bucket]:
    limit = settings.LOGIN_FAILURE_LIMIT
    device = _devices(request).get(_tag(account))
    if device:
        return [Bucket(_digest(f"{kind}:{account}:device:{device}"), limit)]
    return [
        Bucket(_digest(f"{kind}:{account}:unknown"), limit),
        Bucket(
            _digest(f"{kind}:network:{_network(client_address(request))}"),
            settings.LOGIN_NETWORK_FAILURE_LIMIT,
        ),
    ]


def guard(request: HttpRequest, account: str, kind: str = "password") -> None:
    """Refuse to check a secret for ACCOUNT while its allowance here is used up."""
    buckets = _buckets(request, account, kind)
    locked = FailedAttempt.objects.filter(
        key__in=[b.key for b in buckets], expires_at__gt=timezone.now()
    ).values_list("key", "failures")
    limits = {b.key: b.limit for b in buckets}
    if any(failures >= limits[key] for key, failures in locked):
        minutes = int(settings.LOGIN_COOLOFF.total_seconds() // 60)
        if kind == "recovery":
            message = _(
                "Too many tries with a recovery code for this account from here. "
                "Please wait %(minutes)d minutes and try again."
            )
        else:
            message = _(
                "Too many attempts to sign in to this account from here. Please wait "
                "%(minutes)d minutes and try again, or use your recovery code."
            )
        raise Throttled(message % {"minutes": minutes})


def _count(key: str) -> None:
    now = timezone.now()
    expires_at = now + settings.LOGIN_COOLOFF
    with transaction.atomic():
        if FailedAttempt.objects.filter(key=key, expires_at__gt=now).update(
            failures=F("failures") + 1, expires_at=expires_at
        ):
            return
        try:
            with transaction.atomic():
                FailedAttempt.objects.update_or_create(
                    key=key, defaults={"failures": 1, "expires_at": expires_at}
                )
        except IntegrityError:
            # Another request created it at the same moment: count on top of it.
            FailedAttempt.objects.filter(key=key).update(
                failures=F("failures") + 1, expires_at=expires_at
            )


def failed(request: HttpRequest, account: str, kind: str = "password") -> None:
    """Count a wrong password (or recovery code) against ACCOUNT from here."""
    for bucket in _buckets(request, account, kind):
        _count(bucket.key)


def passed(
    request: HttpRequest, response: HttpResponse, user: User, kind: str = "password"
) -> None:
    """Remember this device for USER, and clear what it alone had counted.

    What unknown devices counted together stays: one good guess among many must not
    hand out fresh ones.
    """
    account = account_of(user)
    devices = _devices(request)
    device = devices.get(_tag(account))
    if device:
        FailedAttempt.objects.filter(
            key=_digest(f"{kind}:{account}:device:{device}")
        ).delete()
        return
    devices.pop(_tag(account), None)
    devices[_tag(account)] = secrets.token_urlsafe(16)
    kept = dict(list(devices.items())[-DEVICE_ACCOUNTS:])
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(kept, salt="mend.device"),
        max_age=DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def check_password(request: HttpRequest, user: User, password: str) -> None:
    """Raise Refused unless PASSWORD is USER's, counting a wrong one like a sign-in."""
    account = account_of(user)
    guard(request, account)
    if not user.check_password(password):
        failed(request, account)
        raise Refused(_("That password is not right."), status=403)


def purge() -> int:
    """Delete every count whose pause is over; return how many."""
    deleted, _by_model = FailedAttempt.objects.expired(timezone.now()).delete()
    return deleted


def purge_every(seconds: float, stop: threading.Event) -> None:
    """Purge now and then every SECONDS until STOP is set (`mend serve` runs this)."""
    while True:
        try:
            purge()
        except DatabaseError:
            logger.exception(
                "Could not purge failed sign-in counts; trying again later."
            )
        finally:
            connections.close_all()
        if stop.wait(seconds):
            return


def start_purging() -> None:
    """Purge in the background of this process, every PURGE_EVERY_SECONDS.

    Each server worker calls this once it has started: a thread started before the
    workers are forked could hold a lock at the fork and hang a worker for good.
    """
    threading.Thread(
        target=purge_every,
        args=(PURGE_EVERY_SECONDS, threading.Event()),
        name="mend-purge",
        daemon=True,
    ).start()
