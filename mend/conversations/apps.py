from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "mend.conversations"
    label = "conversations"

    def ready(self) -> None:
        from mend.conversations.actions import end_for_leaver
        from mend.privacy import leaving

        leaving.on_leaving(end_for_leaver)
