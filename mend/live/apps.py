from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "mend.live"
    label = "live"
