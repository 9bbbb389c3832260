from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mend.lib.forms import lazy_format
from mend.safety.models import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, Signal

RETURN_CHOICES = [
    ("", _("When the cooling-off time ends")),
    ("60", _("In about an hour")),
    ("120", _("In about two hours")),
    ("240", _("In about four hours")),
    ("480", _("In about eight hours")),
    ("720", _("In about twelve hours")),
    ("1440", _("Tomorrow, about this time (24 hours at most)")),
]


class SignalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=Signal.Kinds.choices,
        initial=Signal.Kinds.PAUSE,
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(
        label=_("Cooling-off time, in minutes"),
        initial=DEFAULT_MINUTES,
        # Lazy all the way: the numbers go in once the person's language is known.
        help_text=lazy_format(
            _(
                "About 20 minutes lets a racing body settle. Between %(low)s and %(high)s."
            ),
            low=MIN_MINUTES,
            high=MAX_MINUTES,
        ),
    )
    return_in = forms.ChoiceField(
        label=_("When shall we come back to it?"),
        choices=RETURN_CHOICES,
        required=False,
    )

    def return_at(self) -> datetime | None:
        minutes = self.cleaned_data.get("return_in")
        return timezone.now() + timedelta(minutes=int(minutes)) if minutes else None


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(initial=DEFAULT_MINUTES)


MAX_TEXT = 2000


class TriggerForm(forms.Form):
    what = forms.CharField(
        label=_("What happened, or what did it touch?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea,
    )
    when = forms.CharField(
        label=_("When (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example: this morning, on the way home."),
    )
    intensity = forms.IntegerField(
        label=_("How strong was it, from 1 (mild) to 10 (overwhelming)?"),
        min_value=1,
        max_value=10,
        initial=5,
    )
    helped = forms.CharField(
        label=_("What helped, even a little? (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea,
    )
    share = forms.BooleanField(
        label=_("Share this note with my partner"),
        required=False,
        help_text=_(
            "Unticked, it stays private: only you can read it. You can change this later."
        ),
    )
