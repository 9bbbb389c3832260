from django.urls import path

from mend.notify import views

app_name = "notify"
urlpatterns = [
    path("stop/<str:token>/", views.stop, name="stop"),
    path("push/", views.push_page, name="push"),
    path("push/on/", views.push_on, name="push_on"),
    path("push/kind/", views.push_kind, name="push_kind"),
    path("push/<uuid:code>/off/", views.push_off, name="push_off"),
]
