from django.urls import path

from mend.couples import views

app_name = "couples"
urlpatterns = [
    path("space/new/", views.new_space, name="new_space"),
    path("space/invite/", views.invite, name="invite"),
    path("space/roles/", views.roles, name="roles"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
]
