import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.intimacy.models import MAX_ANSWER, QUESTIONS


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=120)
    notes = forms.CharField(label=_("Notes (optional)"), max_length=500, required=False)


def _answer(name: str) -> forms.CharField:
    return forms.CharField(
        label=QUESTIONS[name],
        max_length=MAX_ANSWER,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CheckInForm(forms.Form):
    felt_good = _answer("felt_good")
    felt_not_good = _answer("felt_not_good")
    change_or_keep = _answer("change_or_keep")
    on = forms.DateField(
        label=_("About the day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    step = forms.UUIDField(required=False, widget=forms.HiddenInput)
    share = forms.BooleanField(
        label=_("Share this check-in with my partner"),
        required=False,
        initial=False,
        help_text=_(
            "Unticked, it stays private: only you can read it. If you share it, your "
            "partner reads it only once they have shared a check-in about the same "
            "day too, so neither answer shapes the other. Until then they see only "
            "that you wrote one. You can make it private again at any time."
        ),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today
        self.fields["on"].widget.attrs["max"] = today.isoformat()
