from django.urls import path

from mend.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/new/", views.new_feed, name="new_feed"),
    path("feed/revoke/", views.revoke_feed, name="revoke_feed"),
    path("feed/<str:secret>.ics", views.feed, name="feed"),
    path("reminders/", views.set_reminder, name="set_reminder"),
]
