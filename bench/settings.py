"""Settings for bench/pages.py: Mend's own, plus two comparison views.

With BENCH_BARE=1 the server has no middleware and one constant view: the floor every
page is compared with, served by the same handler under the same granian settings.
"""

import os

from mend.settings import *  # noqa: F403  # the bench measures Mend's own settings

ROOT_URLCONF = "bench.urls"
# Sign-in cost is not what is measured; the people the generator makes use a fast hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if os.environ.get("BENCH_BARE") == "1":
    MIDDLEWARE: list[str] = []
    ROOT_URLCONF = "bench.bare_urls"
