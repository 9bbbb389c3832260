from django import forms
from django.utils.translation import gettext_lazy as _

ROLE_CHOICES = [
    ("unsaid", _("We'd rather not say")),
    ("mine", _("My trust was broken")),
    ("theirs", _("I broke my partner's trust")),
    ("both", _("We have both been hurt")),
]
ROLES_HELP = _(
    "Optional. Mend uses this only to choose gentle defaults, such as who is offered "
    "the disclosure log first. It is never shown as a label, and either of you can "
    "change it at any time."
)


class RolesField(forms.ChoiceField):
    def __init__(self) -> None:
        super().__init__(
            label=_("Whose trust was broken?"),
            choices=ROLE_CHOICES,
            initial="unsaid",
            widget=forms.RadioSelect,
            help_text=ROLES_HELP,
        )


class SpaceForm(forms.Form):
    name = forms.CharField(
        label=_("A name for your space (optional)"), max_length=80, required=False
    )
    roles = RolesField()


class RolesForm(forms.Form):
    roles = RolesField()


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Invite code"),
        max_length=20,
        help_text=_("The ten-character code your partner shared, like ABCDE-FGHJK."),
    )
