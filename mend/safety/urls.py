from django.urls import path

from mend.safety import views

app_name = "safety"
urlpatterns = [
    path("kitchen/", views.neutral, name="neutral"),
    path("safety/", views.index, name="index"),
    path("safety/send/", views.send_signal, name="send_signal"),
    path("safety/banner/", views.banner, name="banner"),
    path(
        "safety/signals/<uuid:code>/extend/", views.extend_signal, name="extend_signal"
    ),
    path("safety/signals/<uuid:code>/ready/", views.say_ready, name="say_ready"),
    path("safety/signals/<uuid:code>/end/", views.end_signal, name="end_signal"),
    path("safety/grounding/", views.grounding, name="grounding"),
    path("safety/help/", views.help_page, name="help"),
    path("safety/triggers/", views.triggers, name="triggers"),
    path("safety/triggers/new/", views.add_trigger, name="add_trigger"),
    path("safety/triggers/<uuid:code>/", views.trigger, name="trigger"),
    path(
        "safety/triggers/<uuid:code>/share/", views.share_trigger, name="share_trigger"
    ),
    path(
        "safety/triggers/<uuid:code>/unshare/",
        views.unshare_trigger,
        name="unshare_trigger",
    ),
    path(
        "safety/triggers/<uuid:code>/delete/",
        views.delete_trigger,
        name="delete_trigger",
    ),
]
