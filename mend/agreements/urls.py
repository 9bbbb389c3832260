from django.urls import path

from mend.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add_agreement, name="add_agreement"),
    path("retired/", views.retired, name="retired"),
    path("inventory/", views.inventory, name="inventory"),
    path("inventory/add/", views.add_inventory_item, name="add_inventory_item"),
    path(
        "inventory/<uuid:code>/answer/",
        views.answer_inventory_item,
        name="answer_inventory_item",
    ),
    path("circles/", views.circles, name="circles"),
    path("print/", views.print_agreement, name="print_agreement"),
    path("our-agreement.pdf", views.agreement_pdf_view, name="agreement_pdf"),
    path("incidents/new/", views.add_incident, name="add_incident"),
    path("reports/<uuid:code>/", views.report, name="report"),
    path("reports/<uuid:code>/rounds/", views.open_round, name="open_round"),
    path(
        "reports/<uuid:code>/rounds/<uuid:round_code>/",
        views.write_round_entry,
        name="write_round_entry",
    ),
    path("reports/<uuid:code>/repair/", views.answer_report, name="answer_report"),
    path("reports/<uuid:code>/reply/", views.close_report, name="close_report"),
    path("<uuid:code>/", views.agreement, name="agreement"),
    path("<uuid:code>/edit/", views.edit_agreement, name="edit_agreement"),
    path("<uuid:code>/history/", views.history, name="history"),
    path("<uuid:code>/reopen/", views.reopen_agreement, name="reopen_agreement"),
    path("<uuid:code>/review/", views.review_agreement, name="review_agreement"),
    path("<uuid:code>/retire/", views.retire_agreement, name="retire_agreement"),
    path("<uuid:code>/retire/agree/", views.agree_retirement, name="agree_retirement"),
    path("<uuid:code>/keep/", views.keep_agreement, name="keep_agreement"),
    path("<uuid:code>/report/", views.add_report, name="add_report"),
    path(
        "<uuid:code>/versions/<uuid:version_code>/affirm/",
        views.affirm_version,
        name="affirm_version",
    ),
    path(
        "<uuid:code>/versions/<uuid:version_code>/confirm/",
        views.confirm_version,
        name="confirm_version",
    ),
]
