from django import forms
from django.utils.translation import gettext_lazy as _

from mend.lib.recurrence import DAILY, ONCE, WEEKDAYS, WEEKLY
from mend.story.models import MAX_REVISIT_DAYS

# Lengths are checked by the models' rules, with a message that says how long the text
# is; no maxlength reaches the browser (mend/lib/forms.py).


class AppreciationForm(forms.Form):
    text = forms.CharField(
        label=_("Something you appreciate about your partner, or are grateful for"),
        help_text=_("One line. They'll see it in their feed."),
    )


class StandForForm(forms.Form):
    values = forms.CharField(
        label=_("Our values"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What matters to both of you: honesty, kindness, time together…"),
    )
    commitments = forms.CharField(
        label=_("Our commitments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    vision = forms.CharField(
        label=_("A year from now, we hope…"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    revisit_every_days = forms.IntegerField(
        label=_("Reread it together every … days"),
        min_value=1,
        max_value=MAX_REVISIT_DAYS,
        initial=90,
    )


class AffirmForm(forms.Form):
    words = forms.CharField(
        label=_("Type “I agree” to affirm these words"),
        help_text=_("Typed, not ticked: your own explicit yes."),
    )


FREQUENCY_CHOICES = [
    (DAILY, _("Every day")),
    (WEEKLY, _("Every week")),
    (WEEKDAYS, _("On chosen days")),
    (ONCE, _("Once")),
]
DAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class RitualForm(forms.Form):
    title = forms.CharField(
        label=_("What will you do together?"),
        help_text=_("For example: a morning breath together, a weekly walk."),
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCY_CHOICES)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days"),
        choices=DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interval = forms.IntegerField(
        label=_("Every how many days or weeks"), min_value=1, max_value=52, initial=1
    )
    starts_on = forms.DateField(
        label=_("Starting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    at = forms.TimeField(
        label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
