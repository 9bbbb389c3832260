from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "mend.safety"
    label = "safety"

    def ready(self) -> None:
        from mend.privacy import leaving
        from mend.safety.models import Signal

        leaving.on_leaving(Signal.end_for_leaver)
