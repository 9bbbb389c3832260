"""Home composes the features: what waits on a person, their path, a first run.

Home imports the features (each gives waiting_for and path_totals, in the neutral
shapes of mend/lib/waiting.py); no feature imports home.
"""

from django.db import models
from django.utils import timezone

from mend.accounts.models import User


class FirstRunQuerySet(models.QuerySet["FirstRun"]):
    def is_over_for(self, user: User) -> bool:
        return self.filter(user=user).exists()


class FirstRun(models.Model):
    """That one person finished or skipped the gentle start; shown until then.

    Per person, not per couple: each partner gets their own start, and skipping it
    says nothing to the other.
    """

    user = models.OneToOneField(User, models.CASCADE, related_name="+")
    is_skipped = models.BooleanField(default=False)
    finished_at = models.DateTimeField(default=timezone.now)

    objects = FirstRunQuerySet.as_manager()

    def __str__(self) -> str:
        return f"first run of {self.user_id}"

    @classmethod
    def finish(cls, user: User, *, skipped: bool) -> "FirstRun":
        """Record that USER is done with the start (the first answer stays)."""
        run, _created = cls.objects.get_or_create(
            user=user, defaults={"is_skipped": skipped}
        )
        return run
