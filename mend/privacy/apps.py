from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mend.privacy"
    label = "privacy"
