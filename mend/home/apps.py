from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mend.home"
    label = "home"
