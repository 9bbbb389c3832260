from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "mend.couples"
    label = "couples"
