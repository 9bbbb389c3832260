from django.urls import path

from mend.notify import views

app_name = "notify"
urlpatterns = [path("stop/<str:token>/", views.stop, name="stop")]
