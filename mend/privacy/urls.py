from django.urls import path

from mend.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("log/", views.access_log, name="access_log"),
    path("export/", views.export, name="export"),
    path("export.json", views.export_json, name="export_json"),
    path("export.pdf", views.export_pdf_view, name="export_pdf"),
    path("leave/", views.leave, name="leave"),
    path("erase/", views.erase, name="erase"),
]
