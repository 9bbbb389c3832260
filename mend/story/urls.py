from django.urls import path

from mend.story import views

app_name = "story"
urlpatterns = [
    path("", views.index, name="index"),
    path("appreciations/", views.appreciations, name="appreciations"),
    path("appreciations/new/", views.add_appreciation, name="add_appreciation"),
    path("recap/", views.monthly_recap, name="recap"),
    path("values/", views.propose_values, name="propose_values"),
    path("values/history/", views.history, name="history"),
    path("values/<uuid:code>/affirm/", views.affirm_values, name="affirm_values"),
    path("values/<uuid:code>/confirm/", views.confirm_values, name="confirm_values"),
    path("rituals/new/", views.add_ritual, name="add_ritual"),
    path("rituals/<uuid:code>/done/", views.ritual_done, name="ritual_done"),
    path("rituals/<uuid:code>/stop/", views.stop_ritual, name="stop_ritual"),
]
