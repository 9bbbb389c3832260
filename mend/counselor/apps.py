from django.apps import AppConfig


class CounselorConfig(AppConfig):
    name = "mend.counselor"
    label = "counselor"
