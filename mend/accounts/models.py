import hashlib
import hmac
import json
import secrets
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from mend.lib import broker
from mend.lib.crypto import (
    KdfParams,
    SealError,
    new_code,
    new_key,
    new_keypair,
    new_salt,
    normalise_code,
    seal,
    seal_to,
    unseal,
    unseal_from,
)
from mend.lib.recurrence import zone_or_utc


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def language_choices() -> list[tuple[str, str]]:
    # Each language named in itself, so a person who can't read the page can still find theirs.
    return [("", _("As my browser asks"))] + [
        (code, get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    ]


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=60)
    email = models.EmailField(_("email address"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Blank: follow the browser (Accept-Language). Otherwise one of settings.LANGUAGES.
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=language_choices
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    @property
    def speaks(self) -> str:
        """The language to write to this person in when no browser asks (e-mail, feeds)."""
        return self.language or settings.LANGUAGE_CODE


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_kek(secret: str) -> bytes:
    # A key only the token's secret gives: the stored sha256 of it does not.
    return hmac.new(secret.encode(), b"mend token data key", hashlib.sha256).digest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_member(self, user: User) -> "ApiTokenQuerySet":
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its hash is stored.

    Rule: a token opens its owner's private entries only if the owner chose that,
    with their password, when creating it. Their data key is then kept sealed under
    a key derived from the token's secret, and goes when the token goes.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    wrapped_key = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @property
    def opens_private(self) -> bool:
        return self.wrapped_key is not None

    def _where(self) -> str:
        return f"token:{self.code}"

    @classmethod
    def issue(
        cls, user: User, name: str, key: bytes | None = None
    ) -> tuple["ApiToken", str]:
        """Return a new token and its secret, which is shown once and never stored.

        With KEY (the owner's data key), the token can open their private entries.
        """
        secret = "mend_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, token_hash=hash_token(secret))
        if key is not None:
            token.wrapped_key = seal(_token_kek(secret), key, token._where())
        token.save()
        return token, secret

    @classmethod
    def find(cls, secret: str) -> "ApiToken | None":
        """Return the live token with SECRET (its owner loaded), noting its use."""
        token = (
            cls.objects.select_related("user")
            .filter(token_hash=hash_token(secret))
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > 60
        ):
            token.last_used_at = now
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    def data_key(self, secret: str) -> bytes | None:
        """Return the owner's data key if they let this token open private entries."""
        if self.wrapped_key is None:
            return None
        try:
            return unseal(_token_kek(secret), bytes(self.wrapped_key), self._where())
        except SealError:
            return None

    def revoke(self) -> None:
        user_id = self.user_id
        self.delete()
        broker.wake_streams_of(user_id)

    @classmethod
    def revoke_all(cls, user: User) -> int:
        """Revoke every token of USER; return how many."""
        count, _by_model = cls.objects.for_member(user).delete()
        broker.wake_streams_of(user.pk)
        return count


def local_time(user: Any, moment: datetime) -> datetime:
    """Return MOMENT in the person's own time zone."""
    return timezone.localtime(moment, user.tzinfo if hasattr(user, "tzinfo") else None)


def kdf_params() -> KdfParams:
    return KdfParams(
        time_cost=settings.KDF_TIME_COST,
        memory_kib=settings.KDF_MEMORY_KIB,
        parallelism=settings.KDF_PARALLELISM,
    )


class Keyring(models.Model):
    """A person's data key, wrapped twice: by their password and by their recovery code.

    The data key itself is never stored. Whoever holds the database sees only the
    two wrapped copies, which open with the password or the recovery code alone.
    """

    user = models.OneToOneField(User, models.CASCADE, related_name="keyring")
    password_salt = models.BinaryField()
    recovery_salt = models.BinaryField()
    time_cost = models.PositiveIntegerField()
    memory_kib = models.PositiveIntegerField()
    parallelism = models.PositiveSmallIntegerField()
    wrapped_by_password = models.BinaryField()
    wrapped_by_recovery = models.BinaryField()
    # For sealing to this person while they are away (a couple key, say): the
    # public half is plain, the private half is sealed under their data key.
    public_key = models.BinaryField()
    sealed_private_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a reset without the recovery code had to start a new key: entries
    # sealed before this moment can no longer be opened, and Mend says so.
    replaced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"keyring of {self.user}"

    @property
    def params(self) -> KdfParams:
        return KdfParams(self.time_cost, self.memory_kib, self.parallelism)

    def _where(self, kind: str) -> str:
        return f"keyring:{self.user.code}:{kind}"

    @classmethod
    def create_for(cls, user: User, password: str) -> tuple["Keyring", bytes, str]:
        """Return a new keyring for USER, its data key and the one-time recovery code."""
        ring = cls(user=user)
        key = new_key()
        code = ring._wrap(key, password)
        ring._new_keypair(key)
        ring.save()
        return ring, key, code

    def _wrap(self, key: bytes, password: str) -> str:
        params = kdf_params()
        self.time_cost, self.memory_kib, self.parallelism = (
            params.time_cost,
            params.memory_kib,
            params.parallelism,
        )
        self.password_salt = new_salt()
        self.wrapped_by_password = seal(
            params.derive(password, self.password_salt), key, self._where("password")
        )
        code = new_code()
        self.recovery_salt = new_salt()
        self.wrapped_by_recovery = seal(
            params.derive(normalise_code(code), self.recovery_salt),
            key,
            self._where("recovery"),
        )
        return code

    def _new_keypair(self, key: bytes) -> None:
        private, self.public_key = new_keypair()
        self.sealed_private_key = seal(key, private, self._where("private"))

    def private_key(self, key: bytes) -> bytes:
        """Return this person's private key, opened with their data KEY."""
        return unseal(key, self.sealed_private_key, self._where("private"))

    def open_with_password(self, password: str) -> bytes:
        kek = self.params.derive(password, bytes(self.password_salt))
        return unseal(kek, self.wrapped_by_password, self._where("password"))

    def open_with_recovery_code(self, code: str) -> bytes:
        kek = self.params.derive(normalise_code(code), bytes(self.recovery_salt))
        return unseal(kek, self.wrapped_by_recovery, self._where("recovery"))

    def rewrap_password(self, key: bytes, password: str) -> None:
        """Wrap KEY under a new password, keeping the recovery copy as it is."""
        params = self.params
        self.password_salt = new_salt()
        self.wrapped_by_password = seal(
            params.derive(password, self.password_salt), key, self._where("password")
        )
        self.save(update_fields=["password_salt", "wrapped_by_password"])

    def renew(self, key: bytes, password: str) -> str:
        """Wrap KEY under PASSWORD and a fresh recovery code; return that code."""
        code = self._wrap(key, password)
        self.save()
        return code

    def replace(self, password: str) -> tuple[bytes, str]:
        """Start a new data key: everything sealed under the old one stays sealed."""
        key = new_key()
        code = self._wrap(key, password)
        self._new_keypair(key)
        self.replaced_at = timezone.now()
        self.save()
        return key, code


def device_label(user_agent: str) -> str:
    """Return a coarse label like "Firefox on Linux"; nothing finer is ever kept."""
    ua = user_agent.lower()
    browser = next(
        (
            name
            for needle, name in (
                ("edg/", "Edge"),
                ("firefox/", "Firefox"),
                ("chrome/", "Chrome"),
                ("chromium/", "Chromium"),
                ("safari/", "Safari"),
            )
            if needle in ua
        ),
        "",
    )
    system = next(
        (
            name
            for needle, name in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if needle in ua
        ),
        "",
    )
    if browser and system:
        return str(
            _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
        )
    return browser or system or str(_("Unknown device"))


class SignedInSessionQuerySet(models.QuerySet["SignedInSession"]):
    def for_member(self, user: Any) -> "SignedInSessionQuerySet":
        return self.filter(user=user)


@dataclass(frozen=True)
class Device:
    """One signed-in session as its owner sees it; None where their key is locked."""

    code: uuid.UUID
    created_at: datetime
    label: str | None
    last_seen_at: datetime | None


class SignedInSession(models.Model):
    """One place a person is signed in, shown only to that person.

    Rule: no IP address or location is stored. The coarse device label and the last
    active time are sealed to the person's own public key, so only they, signed in,
    can read them. key_hash is the session table's own row key (a keyed hash of the
    cookie, accounts.session_store), so ending a row ends that session at once.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, models.CASCADE, related_name="signed_in_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    sealed = models.BinaryField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SignedInSessionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"session {self.code} of {self.user_id}"

    def _where(self) -> str:
        return f"device:{self.code}"

    def seal(self, label: str, last_seen_at: datetime) -> None:
        """Seal LABEL and LAST_SEEN_AT to the owner; nobody else can read them back."""
        ring = Keyring.objects.filter(user_id=self.user_id).first()
        if ring is None:  # no key to seal to: keep nothing rather than plain text
            self.sealed = b""
            return
        data = {"device": label, "last_seen_at": last_seen_at.isoformat()}
        self.sealed = seal_to(
            bytes(ring.public_key), json.dumps(data).encode(), self._where()
        )

    def opened(self, private_key: bytes | None) -> Device:
        """Return this session as a Device, opened with the owner's PRIVATE_KEY."""
        label: str | None = None
        seen: datetime | None = None
        if private_key is not None and self.sealed:
            try:
                data = json.loads(
                    unseal_from(private_key, bytes(self.sealed), self._where())
                )
            except SealError:
                pass
            else:
                label = str(data["device"])
                seen = datetime.fromisoformat(data["last_seen_at"])
        return Device(self.code, self.created_at, label, seen)


class FailedAttemptQuerySet(models.QuerySet["FailedAttempt"]):
    def expired(self, now: datetime) -> "FailedAttemptQuerySet":
        return self.filter(expires_at__lte=now)


class FailedAttempt(models.Model):
    """Wrong passwords or recovery codes counted for one throttle bucket.

    Rule: a copy of the database learns as little as possible from it. The bucket is
    stored only as a keyed digest (accounts.throttle), never as a typed name, an
    address or a browser string, and a row is deleted once its pause is over
    (`mend serve` purges them every few minutes).
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    objects = FailedAttemptQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.failures} until {self.expires_at}"
