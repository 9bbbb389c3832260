from django.urls import path

from mend.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("confirm/", views.confirm_password, name="confirm_password"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/start/", views.start_two_factor, name="start_two_factor"),
    path("two-factor/confirm/", views.confirm_two_factor, name="confirm_two_factor"),
    path("two-factor/off/", views.turn_off_two_factor, name="turn_off_two_factor"),
    path("sessions/", views.sessions_list, name="sessions"),
    path("sessions/others/", views.sign_out_others, name="sign_out_others"),
    path("sessions/all/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("sessions/<uuid:code>/end/", views.end_session, name="end_session"),
    path("logout/", views.logout_view, name="logout"),
    path("recover/", views.recover, name="recover"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.change_password, name="change_password"),
    path("tokens/", views.add_token, name="add_token"),
    path("tokens/<uuid:code>/revoke/", views.revoke_token, name="revoke_token"),
]
