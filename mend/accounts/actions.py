from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from mend.accounts.models import Keyring, User, kdf_params
from mend.lib.crypto import SealError, new_salt, normalise_code


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
    return code
