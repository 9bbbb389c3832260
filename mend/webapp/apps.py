from django.apps import AppConfig


class WebappConfig(AppConfig):
    name = "mend.webapp"
    label = "webapp"
