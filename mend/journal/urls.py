from django.urls import path

from mend.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add_entry, name="add_entry"),
    path("search/", views.search_entries, name="search"),
    path("<uuid:code>/", views.entry, name="entry"),
    path("<uuid:code>/reply/", views.reply_entry, name="reply_entry"),
    path("<uuid:code>/read/", views.read_entry, name="read_entry"),
    path("<uuid:code>/ask/", views.ask_entry, name="ask_entry"),
    path("<uuid:code>/share/", views.share_entry, name="share_entry"),
    path("<uuid:code>/unshare/", views.unshare_entry, name="unshare_entry"),
    path("<uuid:code>/delete/", views.delete_entry, name="delete_entry"),
]
