import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.commitments.models import (
    MAX_LONG,
    MAX_NOTE,
    MAX_TEXT,
    WEEKDAY_NAMES,
    Disclosure,
    Frequency,
    Milestone,
    Question,
    Slip,
    Words,
)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class TimeInput(forms.TimeInput):
    input_type = "time"


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("What I commit to"),
        max_length=MAX_TEXT,
        help_text=_('For example: "answer messages within two hours".'),
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interval = forms.IntegerField(
        label=_("Every how many days or weeks"), initial=1, min_value=1, max_value=52
    )
    at = forms.TimeField(
        label=_("At what time"), initial=dt.time(9, 0), widget=TimeInput
    )
    starts_on = forms.DateField(
        label=_("Starting on"), widget=DateInput, required=False
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"), widget=DateInput, required=False
    )

    def words(self) -> Words:
        data = self.cleaned_data
        return Words(
            text=data["text"],
            frequency=data["frequency"],
            weekdays=tuple(data["weekdays"] or ()),
            interval=data["interval"],
            at=data["at"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


class NewCommitmentForm(CommitmentForm):
    agreement = forms.ChoiceField(
        label=_("It comes from this agreement (optional)"), required=False
    )

    def __init__(
        self, *args: object, agreements: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # plain Form arguments
        field = self.fields["agreement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None")), *agreements]


class MarkForm(forms.Form):
    on = forms.DateField(widget=forms.HiddenInput)
    kept = forms.TypedChoiceField(
        choices=[("yes", _("Kept")), ("no", _("Missed"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(
        label=_("A note (optional)"), max_length=MAX_NOTE, required=False
    )


class RespondForm(forms.Form):
    on = forms.DateField(widget=forms.HiddenInput)
    agrees = forms.TypedChoiceField(
        choices=[("yes", _("Confirm")), ("no", _("I saw it differently"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(
        label=_("How you saw it, in a sentence"), max_length=MAX_NOTE, required=False
    )


class AffirmForm(forms.Form):
    words = forms.CharField(
        label=_('To agree, type "I agree"'), max_length=60, required=True
    )


class DisclosureForm(forms.Form):
    kind = forms.ChoiceField(label=_("It is about"), choices=Disclosure.Kind.choices)
    what = forms.CharField(
        label=_("What happened"), max_length=MAX_LONG, widget=forms.Textarea
    )
    happened_at = forms.DateTimeField(label=_("When it happened"), widget=DateTimeInput)
    told_in_person = forms.BooleanField(
        label=_("I already told you in person"), required=False
    )
    told_at = forms.DateTimeField(
        label=_("When I told you in person (optional)"),
        widget=DateTimeInput,
        required=False,
    )
    late_addition = forms.BooleanField(
        label=_("This adds to or changes something I told you before"),
        required=False,
    )


class DisclosureResponseForm(forms.Form):
    response = forms.CharField(
        label=_("How it landed for you"), max_length=MAX_LONG, widget=forms.Textarea
    )


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(label=_("It is about"), choices=Question.Topic.choices)
    text = forms.CharField(
        label=_("Your question"), max_length=MAX_LONG, widget=forms.Textarea
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_LONG,
        widget=forms.Textarea,
        required=False,
    )
    for_talk = forms.BooleanField(
        label=_("Let's talk about this with our counselor or in a conversation"),
        required=False,
    )


class SlipForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it was"), choices=Slip.Kind.choices)
    on = forms.DateField(label=_("The day"), widget=DateInput, required=False)
    led_to = forms.CharField(
        label=_("What led to it"),
        max_length=MAX_LONG,
        widget=forms.Textarea,
        required=False,
    )
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=MAX_LONG,
        widget=forms.Textarea,
        required=False,
    )
    step = forms.CharField(
        label=_("One concrete step"), max_length=MAX_LONG, required=False
    )
    make_commitment = forms.BooleanField(
        label=_("Make this step a commitment (your partner will see the step)"),
        required=False,
    )
    milestone = forms.ChoiceField(
        label=_("A relapse: start a new run of this streak (optional)"), required=False
    )
    share = forms.BooleanField(
        label=_("Share this with my partner"),
        required=False,
        help_text=_("Unticked, it stays private: only you can read it."),
    )

    def __init__(
        self, *args: object, milestones: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # plain Form arguments
        field = self.fields["milestone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None")), *milestones]


class MilestoneForm(forms.Form):
    name = forms.CharField(
        label=_("What you count"),
        max_length=MAX_TEXT,
        help_text=_('For example: "days sober" or "weeks of check-ins kept".'),
    )
    unit = forms.ChoiceField(label=_("Count in"), choices=Milestone.Unit.choices)
    started_on = forms.DateField(label=_("Since"), widget=DateInput)


class NewRunForm(forms.Form):
    on = forms.DateField(label=_("The day of the relapse"), widget=DateInput)


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("The goal"),
        max_length=MAX_TEXT,
        help_text=_('Measurable and with a date: "finish the therapy module".'),
    )
    due_on = forms.DateField(label=_("By"), widget=DateInput)
