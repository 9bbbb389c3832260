from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "mend.notify"
    label = "notify"
