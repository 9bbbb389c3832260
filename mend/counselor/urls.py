from django.urls import path

from mend.counselor import views

app_name = "counselor"
urlpatterns = [
    path("", views.index, name="index"),
    path("become/", views.become, name="become"),
    path("join/", views.join, name="join"),
    path("invite/", views.invite, name="invite"),
    path("admissions/<uuid:code>/approve/", views.approve, name="approve"),
    path("admissions/<uuid:code>/remove/", views.remove, name="remove"),
    path("admissions/<uuid:code>/scopes/", views.set_scope, name="set_scope"),
    path("couples/<uuid:code>/", views.couple, name="couple"),
    path("couples/<uuid:code>/assign/", views.assign, name="assign"),
    path("couples/<uuid:code>/brief/", views.brief, name="brief"),
    path("couples/<uuid:code>/brief.pdf", views.brief_as_pdf, name="brief_pdf"),
    path("couples/<uuid:code>/session/", views.mark_session, name="mark_session"),
    path(
        "couples/<uuid:code>/conversations/<uuid:conversation_code>/",
        views.witness,
        name="witness",
    ),
    path(
        "couples/<uuid:code>/conversations/<uuid:conversation_code>/note/",
        views.witness_note,
        name="witness_note",
    ),
    path(
        "couples/<uuid:code>/conversations/<uuid:conversation_code>/stream/",
        views.witness_stream,
        name="witness_stream",
    ),
]
