from django.urls import path

from mend.safety import views

app_name = "safety"
urlpatterns = [
    path("kitchen/", views.neutral, name="neutral"),
]
