from django.urls import path

from mend.privacy import views

app_name = "privacy"
urlpatterns = [
    path("log/", views.access_log, name="access_log"),
]
