import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mend.accounts.models import User
from mend.commitments.models import Goal
from mend.conversations import actions as conversations
from mend.conversations.models import Conversation, WitnessNote
from mend.counselor.models import Admission, Counselor, CounselorInvite, Scope
from mend.couples.models import Space, hash_invite_code
from mend.lib.errors import Refused, check_encodable


def invite(space: Space, by: User) -> tuple[CounselorInvite, str]:
    """A partner invites a counselor; the code works once and until it expires."""
    if not space.is_full():
        raise Refused(
            _("A counselor is admitted by you both: invite your partner to Mend first.")
        )
    return CounselorInvite.issue(space, by)


@transaction.atomic
def join(user: User, code: str) -> Admission:
    """The counselor uses an invite; they are admitted once both partners approve."""
    found = (
        CounselorInvite.objects.select_for_update()
        .select_related("space")
        .filter(code_hash=hash_invite_code(check_encodable(code or "")))
        .first()
    )
    if found is None:
        raise Refused(_("We couldn't find that invite. Check the code and try again."))
    if found.used_at is not None:
        raise Refused(
            _("This invite has already been used. Ask the couple for a new one.")
        )
    if found.expires_at <= timezone.now():
        raise Refused(_("This invite has expired. Ask the couple for a new one."))
    if user.pk in {p.pk for p in found.space.partners()}:
        raise Refused(
            _(
                "You are a partner in this couple, so you can't be its counselor. "
                "Send the code to your counselor."
            )
        )
    if not Counselor.is_counselor(user):
        raise Refused(
            _(
                "Please say you are a counselor first (on the counselor page), then use the code."
            )
        )
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                space=found.space, counselor=user, invited_by=found.created_by
            )
    except IntegrityError as e:
        raise Refused(_("You already counsel this couple."), status=409) from e
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return admission


def assign(
    admission: Admission,
    by: User,
    *,
    text: str,
    due_on: dt.date,
    assignee_code: str = "",
) -> Goal:
    """The counselor sets a task for one partner (by their code) or both (blank)."""
    if not admission.is_admitted() or by.pk != admission.counselor_id:
        raise Refused(_("You don't counsel this couple."), status=404)
    assignee = None
    if check_encodable(assignee_code or ""):
        assignee = next(
            (
                p
                for p in admission.space.partners()
                if str(p.code) == str(assignee_code)
            ),
            None,
        )
        if assignee is None:
            raise Refused(
                _("A task can be for either partner of this couple, or both.")
            )
    return Goal.assign(admission.space, by, text=text, due_on=due_on, assignee=assignee)


def add_witness_note(
    admission: Admission, by: User, conversation: Conversation, words: str
) -> WitnessNote:
    """The counselor, as witness, leaves one note on a conversation that has ended.

    Rule: only the admitted counselor, only while both partners let them see
    conversation records, only on this couple's conversations; when and how much
    is the conversation's to decide (Conversation.add_witness_note).
    """
    if not admission.is_admitted() or by.pk != admission.counselor_id:
        raise Refused(_("You don't counsel this couple."), status=404)
    if (
        Scope.CONVERSATIONS not in admission.scopes_on()
        or conversation.space_id != admission.space_id
    ):
        raise Refused(
            _("This couple doesn't share this conversation with you."), status=404
        )
    return conversations.add_witness_note(conversation, by, words)
