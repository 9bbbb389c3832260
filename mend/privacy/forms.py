from django import forms
from django.utils.translation import gettext_lazy as _

SHARED_CHOICES = [
    ("keep", _("Keep a copy for my partner")),
    ("erase", _("Erase them")),
]


class SharedChoiceField(forms.ChoiceField):
    def __init__(self) -> None:
        super().__init__(
            label=_("What you shared with your partner"),
            choices=SHARED_CHOICES,
            widget=forms.RadioSelect,
            initial="keep",
        )


class LeaveForm(forms.Form):
    shared = SharedChoiceField()


class EraseForm(forms.Form):
    shared = SharedChoiceField()
    understood = forms.BooleanField(
        label=_(
            "I understand that my account and private entries can't be brought back."
        )
    )
