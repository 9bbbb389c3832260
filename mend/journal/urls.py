from django.urls import path

from mend.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add_entry, name="add_entry"),
    path("<uuid:code>/", views.entry, name="entry"),
    path("<uuid:code>/share/", views.share_entry, name="share_entry"),
    path("<uuid:code>/unshare/", views.unshare_entry, name="unshare_entry"),
    path("<uuid:code>/delete/", views.delete_entry, name="delete_entry"),
]
