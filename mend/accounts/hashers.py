"""The password hasher: Argon2id, one lane, so a sign-in uses one core.

Django's default Argon2 parameters use eight lanes, each on a thread of its own, so two
sign-ins at once took every core of a small server and held up the pause
(bench/signin_load.py). One lane with the same memory and time costs meets OWASP's
guidance for Argon2id. Hashes made with more lanes still verify, and are rewritten with
these parameters at the next sign-in (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OneLaneArgon2PasswordHasher(Argon2PasswordHasher):
    # The same algorithm name, so every stored "argon2$..." hash still verifies.
    parallelism = 1
