"""Sharing a private entry from a page: one rule for journal, triggers and check-ins."""

from django.contrib import messages
from django.utils.translation import gettext as _

from mend.accounts.http import AuthenticatedHttpRequest
from mend.accounts.keyring import personal_key
from mend.lib.errors import Refused
from mend.privacy.models import PrivateContent


def set_sharing(
    request: AuthenticatedHttpRequest,
    item: PrivateContent,
    *,
    share: bool,
    shared_message: str | None = None,
) -> None:
    """Share ITEM with the partner or make it private again, and say how it went.

    Only its author can (the model refuses anyone else); making it private needs the
    author's key, so the text can be sealed again.
    """
    try:
        item.set_shared(personal_key(request), request.user, share=share)
    except Refused as e:
        messages.error(request, str(e))
        return
    if share:
        messages.success(request, shared_message or _("Shared with your partner."))
    else:
        messages.success(request, _("Private again: only you can read it."))
