"""Key derivation stays compatible while it keeps to one core (#11)."""

from argon2.low_level import Type, hash_secret_raw
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    check_password,
    make_password,
)
from django.test import override_settings

from mend.accounts.hashers import OneLaneArgon2PasswordHasher
from mend.lib.crypto import KdfParams

ONE_LANE = ["mend.accounts.hashers.OneLaneArgon2PasswordHasher"]


def test_one_thread_derives_the_same_key_as_a_thread_per_lane():
    # Keys wrapped before the change must still unwrap.
    salt = b"0123456789abcdef"
    for lanes in (1, 4):
        params = KdfParams(time_cost=2, memory_kib=1024, parallelism=lanes)
        expected = hash_secret_raw(
            "pässwörd ✨".encode(), salt, 2, 1024, lanes, 32, Type.ID
        )
        assert params.derive("pässwörd ✨", salt) == expected
        assert params.derive("another", salt) != expected


@override_settings(PASSWORD_HASHERS=ONE_LANE)
def test_passwords_are_hashed_with_one_lane_and_old_hashes_still_verify():
    encoded = make_password("a long enough passphrase")
    assert OneLaneArgon2PasswordHasher().decode(encoded)["parallelism"] == 1
    eight_lanes = Argon2PasswordHasher().encode(
        "a long enough passphrase", "saltsaltsalt"
    )
    assert Argon2PasswordHasher().decode(eight_lanes)["parallelism"] == 8
    rewritten: list[str] = []
    assert check_password("a long enough passphrase", eight_lanes, rewritten.append)
    assert rewritten == ["a long enough passphrase"]  # rehashed with one lane
    assert not check_password("the wrong passphrase", eight_lanes)
