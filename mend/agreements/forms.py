import json

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mend.agreements.models import (
    DEFAULT_REVIEW_DAYS,
    MAX_REVIEW_DAYS,
    Category,
    Circle,
)


def coached(name: str, rows: int) -> forms.Textarea:
    """Return a textarea the private coach reads as its writer types (to them only).

    The page holds a #coach-note inside the form for the coach's note.
    """
    return forms.Textarea(
        attrs={
            "rows": rows,
            "hx-post": reverse_lazy("conversations:coach"),
            "hx-trigger": "input changed delay:600ms",
            "hx-target": "#coach-note",
            "hx-swap": "innerHTML",
            "hx-vals": json.dumps({"field": name}),
        }
    )


# The model methods check every limit again; the forms only give early, inline help.
# max_length is left off the text fields so a too-long text reaches the model's
# clear message rather than being cut by the browser.


class AgreementForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    text = forms.CharField(
        label=_("The agreement, in plain words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: “We tell each other the same day if an ex gets in touch.”"
        ),
    )
    why = forms.CharField(
        label=_("Why this matters to me (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    circle = forms.ChoiceField(
        label=_("Recovery circle (optional)"),
        choices=Circle.choices,
        required=False,
        help_text=_(
            "For couples working with addiction: the three circles used in "
            "twelve-step recovery."
        ),
    )
    review_every_days = forms.IntegerField(
        label=_("Revisit it every ... days"),
        initial=DEFAULT_REVIEW_DAYS,
        min_value=1,
        max_value=MAX_REVIEW_DAYS,
    )


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("New wording"), widget=forms.Textarea(attrs={"rows": 4})
    )
    why = forms.CharField(
        label=_("Why this matters to me (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    circle = forms.ChoiceField(
        label=_("Recovery circle (optional)"), choices=Circle.choices, required=False
    )


class AffirmForm(forms.Form):
    words = forms.CharField(
        label=_("Type “I agree” to affirm this wording"),
        max_length=60,
        help_text=_("Typed, not ticked: your own explicit yes."),
    )


class ReviewForm(forms.Form):
    review_on = forms.DateField(
        label=_("Next review on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    review_every_days = forms.IntegerField(
        label=_("Then every ... days"), min_value=1, max_value=MAX_REVIEW_DAYS
    )


class ReportForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened, as you saw it"),
        widget=coached("what_happened", 4),
    )
    happened_on = forms.DateField(
        label=_("When (optional)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    how_it_felt = forms.CharField(
        label=_("How it felt: “I felt ...”"),
        widget=coached("how_it_felt", 3),
    )
    triggers = forms.CharField(
        label=_("What older hurt it touched, if any (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RepairForm(forms.Form):
    feelings = forms.CharField(
        label=_("1. Your feelings: “I felt ...”, no reasons yet"),
        widget=coached("feelings", 3),
    )
    view = forms.CharField(
        label=_("2. Your own view of what happened"),
        help_text=_(
            "Describe what you saw and did. No need to argue facts: two views can "
            "both be real. If you can, name one part of your partner's view that "
            "makes sense to you."
        ),
        widget=coached("view", 4),
    )
    triggers = forms.CharField(
        label=_("3. What it touched in you, if anything (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    responsibility = forms.CharField(
        label=_("4. Your part, in your own words"),
        help_text=_("What set you up for it, what you regret, what you apologise for."),
        widget=coached("responsibility", 4),
    )
    step = forms.CharField(
        label=_("5. One concrete step you'll take so it doesn't happen again"),
        widget=coached("step", 2),
    )
    talk_at = forms.DateTimeField(
        label=_("A time to talk it through together"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CloseForm(forms.Form):
    step = forms.CharField(
        label=_("One concrete step you'll take"),
        widget=coached("step", 2),
    )
    outcome = forms.ChoiceField(
        label=_("How does the repair land?"),
        choices=[
            ("heard", _("I feel heard")),
            ("talk_more", _("I'd like to talk more")),
        ],
        widget=forms.RadioSelect,
    )


class InventoryAddForm(forms.Form):
    text = forms.CharField(label=_("Add an activity or context"), max_length=200)


class RoundEntryForm(forms.Form):
    # Lengths and emptiness are checked by the model, in its own plain words.
    step = forms.CharField()
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sense = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
