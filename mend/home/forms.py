from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mend.home.starters import PAUSE_COME_BACK, PAUSE_HOW, PAUSE_HOW_LONG, STARTERS


class PauseRuleForm(forms.Form):
    how = forms.CharField(
        label=gettext_lazy("How either of us pauses"),
        initial=PAUSE_HOW,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_long = forms.CharField(
        label=gettext_lazy("For how long"),
        initial=PAUSE_HOW_LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    come_back = forms.CharField(
        label=gettext_lazy("How we come back"),
        initial=PAUSE_COME_BACK,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartersForm(forms.Form):
    """Each example with a box to choose it and its words to edit first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, (_category, words) in enumerate(STARTERS):
            self.fields[f"pick_{n}"] = forms.BooleanField(
                required=False, label=gettext_lazy("Choose this one")
            )
            self.fields[f"text_{n}"] = forms.CharField(
                required=False,
                initial=words,
                label=gettext_lazy("In your words"),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def starters(self) -> list[dict[str, Any]]:
        """Return each example's two fields, for the template."""
        return [
            {"pick": self[f"pick_{n}"], "text": self[f"text_{n}"]}
            for n in range(len(STARTERS))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(len(STARTERS)):
            if data.get(f"pick_{n}") and not (data.get(f"text_{n}") or "").strip():
                self.add_error(
                    f"text_{n}", _("Please write the words, or leave it unchosen.")
                )
        return data

    def chosen(self) -> list[tuple[str, str]]:
        return [
            (category, self.cleaned_data[f"text_{n}"])
            for n, (category, _words) in enumerate(STARTERS)
            if self.cleaned_data.get(f"pick_{n}")
        ]
