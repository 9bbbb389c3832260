"""Consent to words: propose, affirm in your own words, confirm; a change clears the yes.

Rules enforced here, for every feature that words something both must agree to
(agreements, ladder steps; later commitments, the values document, counselor
admission):
- Wording changes only by both. One partner proposes; the other affirms in explicit
  words they type; where the feature asks for it, the proposer then confirms. Until
  then the wording in force stays in force.
- A proposal answers only for the exact words it holds: a newer proposal replaces the
  one still waiting (kept as replaced), and an affirmation of replaced words is refused.
- A yes given to words belongs to those words: it is bound to their digest
  (words_digest) and counts only while the words in force still match.
"""

import hashlib
import re
from typing import Any, ClassVar, Self, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.accounts.models import User
from mend.couples.models import SpaceOwned, SpaceOwnedQuerySet
from mend.lib.errors import Refused

W = TypeVar("W", bound=models.Model)

# Typed, not ticked: a person affirms in words of their own choosing from this set.
# The Spanish ones too, whatever language the page is in: the words are the person's own.
AFFIRMATION_WORDS = {
    "i agree",
    "i affirm",
    "agreed",
    "i agree to this",
    "yes, i agree",
    "estoy de acuerdo",
    "lo afirmo",
    "de acuerdo",
    "estoy de acuerdo con esto",
    "sí, estoy de acuerdo",
}


AFFIRMATION_MAX = 60


def is_affirmation(words: str) -> bool:
    if len((words or "").strip()) > AFFIRMATION_MAX:
        return False  # kept whole (affirmation_words), never cut
    normal = re.sub(r"\s+", " ", (words or "").strip().lower()).rstrip(".!")
    return normal in AFFIRMATION_WORDS


def words_digest(*parts: str) -> str:
    """Return a digest naming these exact words, so a yes can be bound to them."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class WordingQuerySet(SpaceOwnedQuerySet[W]):
    def waiting(self) -> Self:
        """Return proposals neither in force nor replaced: still on the table."""
        return self.filter(confirmed_at__isnull=True, superseded_at__isnull=True)


class Wording(SpaceOwned):
    """One proposed wording of something both partners must agree to.

    A feature subclasses this with its own words (fields) and a link to what they
    word, and says how to lock that subject and what coming into force changes.
    """

    # Agreements ask the proposer to confirm the final wording after the affirmation;
    # elsewhere proposing is the proposer's yes and the partner's affirmation is the
    # second one, which brings the words into force.
    confirmed_by_proposer: ClassVar[bool] = True

    number = models.PositiveIntegerField()
    proposed_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    affirmed_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affirmed_at = models.DateTimeField(null=True, blank=True)
    affirmation_words = models.CharField(max_length=AFFIRMATION_MAX, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def status_label(self) -> str:
        if self.confirmed_at is not None:
            return str(
                gettext_lazy("Agreed, since replaced")
                if self.superseded_at
                else gettext_lazy("Agreed, in force")
            )
        if self.superseded_at is not None:
            return str(gettext_lazy("Replaced by a newer wording before it was agreed"))
        if self.affirmed_at is not None:
            return str(gettext_lazy("Affirmed, waiting for the final confirmation"))
        return str(gettext_lazy("Waiting to be affirmed"))

    def is_waiting(self) -> bool:
        return self.confirmed_at is None and self.superseded_at is None

    def asks(self, member: User) -> bool:
        """Return whether these waiting words ask MEMBER (to affirm or confirm).

        False means they wait on the partner: the proposer waits for the affirmation,
        the one who affirmed waits for the proposer's confirmation.
        """
        if self.proposed_by_id == member.pk:
            return self.confirmed_by_proposer and self.affirmed_at is not None
        return self.affirmed_at is None

    def lock_subject(self) -> None:
        """Lock what these words belong to, refusing if it can no longer change."""
        raise NotImplementedError

    def come_into_force(self, now: Any) -> None:
        """Make these words the ones in force (called once both have agreed)."""
        raise NotImplementedError

    def changed(self, by: User, change: str) -> None:
        """Record that BY affirmed or confirmed these words (CHANGE): each feature
        keeps its own history and live event (consent sits beside live, so it cannot
        tell open pages itself)."""

    def _lock_waiting(self) -> None:
        """Lock the subject and refuse unless this is still the wording on the table."""
        self.lock_subject()
        fresh = type(self)._default_manager.get(pk=self.pk)
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))
        if not self.is_waiting():
            raise Refused(
                _(
                    "This wording is no longer the one on the table: it changed "
                    "since you opened it. Please read the newest wording first."
                ),
                status=409,
            )

    @transaction.atomic
    def affirm(self, by: User, words: str) -> None:
        """Record BY's explicit agreement to this wording, in words BY typed."""
        self._lock_waiting()
        if by.pk == self.proposed_by_id:
            raise Refused(
                _(
                    "You proposed this wording, so it's your partner who affirms it. "
                    "You confirm it once they have."
                )
                if self.confirmed_by_proposer
                else _(
                    "You proposed this wording, so it's your partner who affirms it. "
                    "Until they do, the current words stand."
                ),
                status=409,
            )
        if self.affirmed_at is not None:
            raise Refused(_("This wording is already affirmed."), status=409)
        if not is_affirmation(words):
            raise Refused(
                _(
                    'To affirm, please type "I agree" (or "I affirm"). If you are not '
                    "ready, that's fine: you can suggest other words instead."
                )
            )
        self.affirmed_by = by
        self.affirmed_at = timezone.now()
        self.affirmation_words = words.strip()
        self.save(update_fields=["affirmed_by", "affirmed_at", "affirmation_words"])
        if not self.confirmed_by_proposer:
            self._bring_into_force(self.affirmed_at)
        self.changed(by, "affirmed")

    @transaction.atomic
    def confirm(self, by: User) -> None:
        """The proposer confirms the final wording; it comes into force."""
        self._lock_waiting()
        if by.pk != self.proposed_by_id:
            raise Refused(
                _("The person who proposed this wording confirms it."), status=409
            )
        if self.affirmed_at is None:
            raise Refused(
                _("Your partner hasn't affirmed this wording yet."), status=409
            )
        self._bring_into_force(timezone.now())
        self.changed(by, "confirmed")

    def _bring_into_force(self, now: Any) -> None:
        self.confirmed_at = now
        self.save(update_fields=["confirmed_at"])
        self.come_into_force(now)
