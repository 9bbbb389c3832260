from django.urls import path

from mend.intimacy import views

app_name = "intimacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan_fragment, name="plan"),
    path("ready/", views.say_ready, name="say_ready"),
    path("not-yet/", views.take_back_ready, name="take_back_ready"),
    path("gentler/", views.move_down, name="move_down"),
    path("steps/", views.add_step, name="add_step"),
    path("steps/<uuid:code>/go/", views.move_to, name="move_to"),
    path("steps/<uuid:code>/edit/", views.edit_step, name="edit_step"),
    path("steps/<uuid:code>/remove/", views.remove_step, name="remove_step"),
    path(
        "steps/<uuid:code>/words/<uuid:wording_code>/affirm/",
        views.affirm_words,
        name="affirm_words",
    ),
    path("after/", views.check_ins, name="check_ins"),
    path("after/new/", views.add_check_in, name="add_check_in"),
    path("after/<uuid:code>/", views.check_in, name="check_in"),
    path("after/<uuid:code>/share/", views.share_check_in, name="share_check_in"),
    path("after/<uuid:code>/unshare/", views.unshare_check_in, name="unshare_check_in"),
    path("after/<uuid:code>/delete/", views.delete_check_in, name="delete_check_in"),
]
