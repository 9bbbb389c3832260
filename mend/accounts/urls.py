from django.urls import path

from mend.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("recover/", views.recover, name="recover"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.change_password, name="change_password"),
    path("tokens/", views.add_token, name="add_token"),
    path("tokens/<uuid:code>/revoke/", views.revoke_token, name="revoke_token"),
]
