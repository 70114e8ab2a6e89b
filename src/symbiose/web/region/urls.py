from django.urls import path

from symbiose.web.region import views

app_name = "region"
R = "r/<slug:region_slug>/"
S = "t/<slug:slug>/proposals/<int:proposal_id>/"
urlpatterns = [
    path("r/", views.region_list, name="list"),
    path("r/new/", views.region_new, name="new"),
    path(R + "setup/", views.region_setup, name="setup"),
    path(R, views.dashboard, name="dashboard"),
    path(R + "library/", views.library, name="library"),
    path(R + "library/<int:sheet_id>.pdf", views.library_sheet, name="library_sheet"),
    path(R + "crossings/", views.crossings, name="crossings"),
    path(R + "crossings/detect/", views.crossings_detect, name="crossings_detect"),
    path(R + "crossings/runs/<int:run_id>/", views.crossing_run, name="crossing_run"),
    path(R + "crossings/<int:crossing_id>/agree/", views.crossing_agree, name="agree"),
    path(S + "sheet/", views.sheet_edit, name="sheet_edit"),
    path(S + "sheet/withdraw/", views.sheet_withdraw, name="sheet_withdraw"),
    path(S + "sheet.pdf", views.sheet_preview, name="sheet_preview"),
]
