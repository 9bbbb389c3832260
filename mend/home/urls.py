from django.urls import path

from mend.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("start/agreements/", views.start_agreements, name="start_agreements"),
    path("start/reminders/", views.start_reminders, name="start_reminders"),
    path("start/skip/", views.skip_start, name="skip_start"),
]
