from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "mend.journal"
    label = "journal"
