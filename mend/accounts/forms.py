from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from mend.accounts.models import User, time_zone_choices


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=time_zone_choices, initial="UTC", **kwargs)


class SignupForm(UserCreationForm[User]):
    display_name = forms.CharField(
        label=_("What should your partner see as your name?"), max_length=60
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to sign in; Mend sends no mail unless you set it up."),
    )
    time_zone = TimeZoneField(
        label=_("Your time zone"), widget=forms.Select(attrs={"data-guess": "1"})
    )

    class Meta:
        model = User
        fields = ("username", "display_name", "email", "time_zone")


class ProfileForm(forms.ModelForm[User]):
    time_zone = TimeZoneField(label=_("Your time zone"))

    class Meta:
        model = User
        fields = ("display_name", "email", "time_zone", "language")
        labels = {"language": _("Language")}
        help_texts = {
            "language": _(
                "Mend speaks English and Spanish. Left as your browser asks, it follows your browser."
            )
        }


class RecoverForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=64,
        help_text=_("The code Mend showed you once when you signed up."),
    )
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)

    def clean_new_password(self) -> str:
        # The rules for everyone, checked before anyone is looked up, so the answer
        # is the same whether the username exists or not.
        password: str = self.cleaned_data["new_password"]
        validate_password(password)
        return password


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=60)
    opens_private = forms.BooleanField(
        label=_("Let it open my private entries"),
        required=False,
        help_text=_(
            "Only if the app needs them. Without this, your private entries stay "
            "locked to the token."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("The 6-digit code from your app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class CodeForm(forms.Form):
    code = _code_field()


class EnrolForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field()


class TokenCodeForm(TokenForm):
    code = _code_field()


class TurnOffForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field()
