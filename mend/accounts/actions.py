from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mend.accounts import sessions, throttle, twofactor
from mend.accounts.models import ApiToken, Keyring, User, kdf_params
from mend.lib.crypto import SealError, new_salt, normalise_code
from mend.lib.errors import Refused


@transaction.atomic
def sign_up(
    *,
    username: str,
    password: str,
    display_name: str,
    email: str = "",
    time_zone: str = "UTC",
) -> tuple[User, bytes, str]:
    """Create a person with their own data key; return them, the key and the recovery code."""
    user = User(
        username=username, display_name=display_name, email=email, time_zone=time_zone
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    _ring, key, code = Keyring.create_for(user, password)
    return user, key, code


@transaction.atomic
def change_password(user: User, old_password: str, new_password: str) -> bytes:
    """Set a new password and rewrap the data key under it; return the key."""
    ring = Keyring.objects.select_for_update().get(user=user)
    key = ring.open_with_password(old_password)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ring.rewrap_password(key, new_password)
    # A token made by whoever knew the old password stops working with it.
    ApiToken.revoke_all(user)
    return key


@transaction.atomic
def recover(user: User, recovery_code: str, new_password: str) -> tuple[bytes, str]:
    """Reset the password with the recovery code, keeping every private entry readable.

    Return the data key and a fresh recovery code; the used one stops working.
    """
    ring = Keyring.objects.select_for_update().get(user=user)
    key = ring.open_with_recovery_code(recovery_code)
    # Only after the code: a rule that mentions the person (too like the username)
    # would otherwise tell anyone that the username exists.
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    code = ring.renew(key, new_password)
    end_every_sign_in(user)
    return key, code


def recover_named(
    username: str, recovery_code: str, new_password: str
) -> tuple[User, bytes, str]:
    """Recover the account called USERNAME; see recover.

    An unknown name raises SealError just as a wrong code does, after the same key
    derivation, so neither the answer nor its timing says whether the name exists.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        kdf_params().derive(normalise_code(recovery_code), new_salt())
        raise SealError("no such person")
    key, code = recover(user, recovery_code, new_password)
    return user, key, code


@transaction.atomic
def reset_without_recovery(user: User, new_password: str) -> str:
    """Reset the password without the recovery code; return a new recovery code.

    Nobody, the host included, can open the old data key without the password or the
    recovery code, so a new key is started and earlier private entries stay sealed.
    """
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ring = Keyring.objects.select_for_update().get(user=user)
    _key, code = ring.replace(new_password)
    end_every_sign_in(user)
    return code


def create_token(
    request: HttpRequest,
    user: User,
    *,
    name: str,
    password: str,
    code: str = "",
    opens_private: bool = False,
) -> tuple[ApiToken, str]:
    """Issue an API token after the password (and two-step code, when on) pass.

    Return the token and its secret. With OPENS_PRIVATE, the person's data key is
    opened with the password and kept sealed under the token's secret.
    """
    throttle.check_password(request, user, password)
    device = twofactor.device_for(user)
    if device is not None:
        if not code.strip():
            raise Refused(
                _("Two-step sign-in is on: add the code from your app."), status=401
            )
        twofactor.check_code(device, code)
    key = None
    if opens_private:
        try:
            key = user.keyring.open_with_password(password)
        except (Keyring.DoesNotExist, SealError) as e:
            raise Refused(
                _("Your private entries can't be opened with this password."),
                status=409,
            ) from e
    return ApiToken.issue(user, name, key)


def end_every_sign_in(user: User) -> None:
    """Revoke every token and end every session of USER (their secrets changed)."""
    ApiToken.revoke_all(user)
    sessions.end_all(user)
