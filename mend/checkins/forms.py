from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mend.checkins.models import (
    MAX_ANSWER,
    MAX_NAME,
    SLIDER_MAX,
    SLIDER_MIN,
    CheckIn,
    Kind,
)
from mend.lib.recurrence import DAILY, ONCE, WEEKDAYS, WEEKLY, Schedule

SLIDER_MARK = "0-10:"
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


def prompts_to_text(prompts: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{SLIDER_MARK} {p['text']}" if p["is_slider"] else p["text"] for p in prompts
    )


def text_to_prompts(text: str) -> list[dict[str, Any]]:
    prompts = []
    for line in text.splitlines():
        slider = line.strip().startswith(SLIDER_MARK)
        words = line.strip().removeprefix(SLIDER_MARK).strip()
        prompts.append({"text": words, "is_slider": slider})
    return prompts


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCY_CHOICES)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days (for chosen days)"),
        choices=DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interval = forms.IntegerField(
        label=_("Every how many days or weeks"), initial=1, min_value=1, max_value=52
    )
    starts_on = forms.DateField(
        label=_("Starting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    at = forms.TimeField(
        label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_on = forms.DateField(
        label=_("Ending (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    prompts = forms.CharField(
        label=_("Prompts, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Start a line with “0-10:” for a slider from 0 to 10. Leave empty for the "
            "kind's usual prompts."
        ),
    )

    def schedule(self, zone: str) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            starts_on=data["starts_on"],
            at=data["at"],
            zone=zone,
            frequency=data["frequency"],
            weekdays=tuple(data["weekdays"] or ()),
            interval=data["interval"],
            ends_on=data["ends_on"],
        )

    def prompt_list(self) -> list[dict[str, Any]] | None:
        text = self.cleaned_data["prompts"]
        return text_to_prompts(text) if text.strip() else None

    @classmethod
    def for_check_in(cls, check_in: CheckIn, data: Any = None) -> "CheckInForm":
        form = cls(
            data,
            initial={
                "kind": check_in.kind,
                "name": check_in.name,
                "frequency": check_in.frequency,
                "weekdays": check_in.weekdays,
                "interval": check_in.interval,
                "starts_on": check_in.starts_on,
                "at": check_in.at,
                "ends_on": check_in.ends_on,
                "prompts": prompts_to_text(check_in.prompts),
            },
        )
        form.fields["kind"].disabled = True
        return form


SLIDER_CHOICES = [
    ("", _("Skip")),
    *((n, str(n)) for n in range(SLIDER_MIN, SLIDER_MAX + 1)),
]


class AnswerForm(forms.Form):
    """One field per prompt of a check-in: a 0-10 slider or a text answer."""

    share = forms.BooleanField(
        label=_("Share with my partner once they have answered too"),
        required=False,
        initial=False,
        help_text=_("Unticked, it stays private: only you can read it."),
    )
    show_early = forms.BooleanField(
        label=_("Show it to my partner now, before they answer"), required=False
    )

    def __init__(self, check_in: CheckIn, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_in = check_in
        self.names: list[tuple[str, str]] = []
        fields: dict[str, forms.Field] = {}
        for number, prompt in enumerate(check_in.prompts):
            name = f"p{number}"
            self.names.append((name, prompt["text"]))
            if prompt["is_slider"]:
                # A choice, not a range input: an untouched range would send a 5
                # the person never chose.
                fields[name] = forms.TypedChoiceField(
                    label=_("%(prompt)s (0 to 10)") % {"prompt": prompt["text"]},
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=SLIDER_CHOICES,
                )
            else:
                fields[name] = forms.CharField(
                    label=prompt["text"],
                    required=False,
                    max_length=MAX_ANSWER,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.fields = {**fields, **self.fields}

    def answers(self) -> dict[str, Any]:
        return {
            text: self.cleaned_data[name]
            for name, text in self.names
            if self.cleaned_data.get(name) not in (None, "")
        }
