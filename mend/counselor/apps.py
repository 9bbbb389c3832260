from django.apps import AppConfig


class CounselorConfig(AppConfig):
    name = "mend.counselor"
    label = "counselor"

    def ready(self) -> None:
        from mend.conversations.models import on_witnesses
        from mend.counselor.models import witnesses_of_space

        # The partners' conversation page says who can witness it; conversations
        # cannot import this app, so it is told from here.
        on_witnesses(witnesses_of_space)
