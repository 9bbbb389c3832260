from django.apps import AppConfig


class IntimacyConfig(AppConfig):
    name = "mend.intimacy"
    label = "intimacy"
