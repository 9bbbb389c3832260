"""The pace check works inside a caller's transaction and outside one (#12)."""

import pytest

from mend.accounts.models import User
from mend.lib.pace import TooFast, check_pace


@pytest.mark.django_db(transaction=True)
def test_it_counts_for_a_caller_without_a_transaction(ana: User) -> None:
    # On PostgreSQL the row lock needs a transaction: a one-row write like a note of
    # appreciation calls this without one (a 500 there before).
    check_pace(ana, User.objects.filter(pk=ana.pk), limit=2, field="date_joined")
    with pytest.raises(TooFast):
        check_pace(ana, User.objects.filter(pk=ana.pk), limit=1, field="date_joined")
