from django.urls import path

from mend.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.propose, name="propose"),
    path("coach/", views.coach_view, name="coach"),
    path("<uuid:code>/", views.conversation, name="conversation"),
    path("<uuid:code>/topics/", views.add_topic, name="add_topic"),
    path("<uuid:code>/say/", views.say, name="say"),
    path("<uuid:code>/pause/", views.pause, name="pause"),
    path("<uuid:code>/outcomes/", views.add_outcome, name="add_outcome"),
    path("<uuid:code>/turns/<uuid:turn_code>/<slug:kind>/", views.step, name="step"),
    path("<uuid:code>/<slug:action>/", views.act, name="act"),
]
