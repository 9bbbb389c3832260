from django.urls import path

from mend.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add_check_in, name="add_check_in"),
    path("<uuid:code>/edit/", views.edit_check_in, name="edit_check_in"),
    path("<uuid:code>/stop/", views.stop_check_in, name="stop_check_in"),
    path("<uuid:code>/answer/", views.answer, name="answer_check_in"),
    path("answers/<uuid:code>/", views.view_answer, name="answer"),
    path("answers/<uuid:code>/share/", views.share_answer, name="share_answer"),
    path("answers/<uuid:code>/unshare/", views.unshare_answer, name="unshare_answer"),
    path(
        "answers/<uuid:code>/show-early/",
        views.show_answer_early,
        name="show_answer_early",
    ),
    path("answers/<uuid:code>/delete/", views.delete_answer, name="delete_answer"),
]
