"""Web Push's network edge: the VAPID key and one encrypted POST to a push service.

Rules enforced here:
- The payload is encrypted end to end (RFC 8291, aes128gcm) with the browser's own
  keys, so the push service sees only ciphertext, its length, when, and where to.
- The key pair is made at first need into MEND_VAR_DIR, readable by Mend alone.
"""

import base64
import json
import os
from functools import cache

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

# A push service's answer that the subscription is gone for good.
GONE = {404, 410}


@cache
def vapid() -> Vapid:
    """Return the server's VAPID key, generating it into var/ the first time."""
    path = settings.PUSH_VAPID_KEY_FILE
    if not path.exists():
        key = Vapid()
        key.generate_keys()
        pem = key.private_pem()
        # O_EXCL so two workers starting at once cannot keep different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
    return Vapid.from_pem(path.read_bytes())


def public_key() -> str:
    """Return the applicationServerKey a browser subscribes with (base64url)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def contact() -> str:
    # The push service's contact for this server (RFC 8292 "sub").
    if settings.SITE_URL.startswith("https://"):
        return settings.SITE_URL
    return "mailto:" + settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")


def send(endpoint: str, p256dh: str, auth: str, title: str, body: str) -> int:
    """POST one encrypted message; return the push service's status (2xx sent).

    A network failure raises requests' exceptions; the caller retries later.
    """
    data = json.dumps({"title": title, "body": body})
    try:
        response = webpush(
            subscription_info={
                "endpoint": endpoint,
                "keys": {"p256dh": p256dh, "auth": auth},
            },
            data=data,
            vapid_private_key=vapid(),
            vapid_claims={"sub": contact()},
            content_encoding="aes128gcm",
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            # A day: a phone off overnight still hears in the morning; no longer.
            ttl=24 * 3600,
        )
    except WebPushException as e:
        if e.response is not None:
            return int(e.response.status_code)
        raise
    return int(getattr(response, "status_code", 201))
