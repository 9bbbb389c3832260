from django import forms
from django.utils.translation import gettext_lazy as _

from mend.journal.models import MAX_QUERY, MAX_REPLY

MAX_BODY = 20_000


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("What's on your mind?"),
        max_length=MAX_BODY,
        widget=forms.Textarea,
        help_text=_(
            "Simple formatting works: a blank line starts a paragraph, lines starting "
            "with - make a list, *one star* for emphasis, **two** for strong."
        ),
    )
    share = forms.BooleanField(
        label=_("Share this entry with my partner"),
        required=False,
        initial=False,
        help_text=_(
            "Unticked, it stays private: only you can read it. You can change this later."
        ),
    )
    is_question = forms.BooleanField(
        label=_("A question for my partner"),
        required=False,
        initial=False,
        help_text=_(
            "Only for a shared entry: it stays on your partner's list until they reply."
        ),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("is_question") and not data.get("share"):
            self.add_error(
                "is_question",
                _("A question is for your partner to read: tick “Share” too."),
            )
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your journal"), max_length=MAX_QUERY)
