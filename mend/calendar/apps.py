from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "mend.calendar"
    label = "mend_calendar"
