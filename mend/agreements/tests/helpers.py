from mend.accounts.models import User
from mend.agreements.models import Agreement
from mend.couples.models import Space


def proposed(
    space: Space, by: User, text: str = "We tell each other the same day."
) -> Agreement:
    return Agreement.propose(space, by, category="disclosures", text=text)


def active(
    space: Space,
    by: User,
    partner: User,
    text: str = "We tell each other the same day.",
) -> Agreement:
    agreement = proposed(space, by, text)
    version = agreement.versions.get()
    version.affirm(partner, "I agree")
    version.confirm(by)
    return Agreement.objects.with_versions().get(pk=agreement.pk)
