from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BODY = 20_000


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("What's on your mind?"), max_length=MAX_BODY, widget=forms.Textarea
    )
    share = forms.BooleanField(
        label=_("Share this entry with my partner"),
        required=False,
        initial=False,
        help_text=_(
            "Unticked, it stays private: only you can read it. You can change this later."
        ),
    )
