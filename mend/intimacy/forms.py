from django import forms
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=120)
    notes = forms.CharField(label=_("Notes (optional)"), max_length=500, required=False)
