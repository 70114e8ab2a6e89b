from django.urls import path

from symbiose.web.transfer import views

app_name = "transfer"
urlpatterns = [
    path("t/<slug:slug>/transfer/", views.import_page, name="import"),
    path("t/<slug:slug>/transfer/export.zip", views.export_zip, name="export_zip"),
    path("t/<slug:slug>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("t/<slug:slug>/export.ods", views.export_ods, name="export_ods"),
    path("t/<slug:slug>/transfer/<uuid:upload_id>/", views.upload_preview, name="preview"),
    path("t/<slug:slug>/transfer/<uuid:upload_id>/confirm/", views.upload_confirm,
         name="confirm"),
    path("t/<slug:slug>/transfer/<uuid:upload_id>/progress/", views.upload_progress,
         name="progress"),
]
