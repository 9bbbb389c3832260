from django.urls import path

from mend.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add_commitment, name="add_commitment"),
    path("progress/", views.progress, name="progress"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path(
        "disclosures/<uuid:code>/respond/",
        views.respond_disclosure,
        name="respond_disclosure",
    ),
    path(
        "disclosures/<uuid:code>/thank/",
        views.thank_disclosure,
        name="thank_disclosure",
    ),
    path("questions/", views.questions, name="questions"),
    path("questions/<uuid:code>/send/", views.send_question, name="send_question"),
    path(
        "questions/<uuid:code>/answer/", views.answer_question, name="answer_question"
    ),
    path(
        "questions/<uuid:code>/delete/", views.delete_question, name="delete_question"
    ),
    path("slips/", views.slips, name="slips"),
    path("slips/<uuid:code>/share/", views.share_slip, name="share_slip"),
    path("slips/<uuid:code>/unshare/", views.unshare_slip, name="unshare_slip"),
    path("slips/<uuid:code>/delete/", views.delete_slip, name="delete_slip"),
    path("milestones/", views.milestones, name="milestones"),
    path("milestones/<uuid:code>/new-run/", views.new_run, name="new_run"),
    path("goals/new/", views.add_goal, name="add_goal"),
    path("goals/<uuid:code>/done/", views.goal_done, name="goal_done"),
    path("changes/<uuid:code>/affirm/", views.affirm_change, name="affirm_change"),
    path("<uuid:code>/", views.commitment, name="commitment"),
    path("<uuid:code>/mark/", views.mark_occurrence, name="mark_occurrence"),
    path("<uuid:code>/respond/", views.respond_occurrence, name="respond_occurrence"),
    path("<uuid:code>/change/", views.change_commitment, name="change_commitment"),
    path("<uuid:code>/end/", views.end_commitment, name="end_commitment"),
]
