from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.conversations.models import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MIN_MINUTES,
    PAUSE_MINUTES,
)
from mend.lib.forms import lazy_format

PAUSE_CHOICES = [
    ("20", _("About 20 minutes")),
    ("60", _("In about an hour")),
    ("240", _("In about four hours")),
    ("1440", _("Tomorrow, about this time (24 hours at most)")),
]


def _soon() -> str:
    return (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:00")


class ProposeForm(forms.Form):
    topics = forms.CharField(
        label=_("Agenda: one topic a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One topic at a time goes further. Your partner can add topics too."
        ),
    )
    minutes = forms.IntegerField(
        label=_("Time box, in minutes"),
        initial=DEFAULT_MINUTES,
        help_text=lazy_format(
            _("Between %(low)s and %(high)s. A timer shows it to you both."),
            low=MIN_MINUTES,
            high=MAX_MINUTES,
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("When"),
        initial=_soon,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def topic_lines(self) -> list[str]:
        return [t for t in self.cleaned_data["topics"].splitlines() if t.strip()]


class WordsForm(forms.Form):
    # Length and emptiness are checked by the model, with their own plain words.
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PauseForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("Back to it"),
        choices=PAUSE_CHOICES,
        coerce=int,
        initial=str(PAUSE_MINUTES),
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Turn it into"),
        choices=[
            ("agreement", _("An agreement proposal")),
            ("commitment", _("A commitment you make")),
            ("question", _("A question to come back to")),
        ],
    )
    text = forms.CharField(
        label=_("In your words"),
        required=False,
        # Kept on the page when the partner's change redraws it (conversation.js).
        widget=forms.Textarea(attrs={"rows": 2, "data-draft": "outcome"}),
    )
    turn = forms.UUIDField(required=False, widget=forms.HiddenInput)
