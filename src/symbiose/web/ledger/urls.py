from django.urls import path

from symbiose.web.ledger import views, views_report

app_name = "ledger"
L = "t/<slug:slug>/ledger/"
urlpatterns = [
    path(L, views.ledger_home, name="home"),
    path(L + "estimate/", views.ledger_estimate, name="estimate"),
    path(L + "synergies/<int:proposal_id>/", views.synergy_ledger, name="synergy"),
    path(L + "entries/<int:entry_id>/verify/", views.entry_verify, name="verify"),
    path(L + "synergies/<int:proposal_id>/consent/", views.consent_set, name="consent"),
    path(L + "indicators/", views.indicator_scores, name="scores"),
    path(L + "indicators/radar.svg", views.radar_svg, name="radar"),
    path(L + "report/", views_report.report_build, name="report_build"),
    path(L + "report/<int:run_id>/", views_report.report_progress, name="report_run"),
    path(L + "report/<int:run_id>/file", views_report.report_get, name="report_file"),
    # Built in the request: the `symbiose report` command's twin, for small territories.
    path(L + "report.pdf", views.report_download, {"fmt": "pdf"}, name="report_pdf"),
    path(L + "report.xlsx", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path(L + "report.ods", views.report_download, {"fmt": "ods"}, name="report_ods"),
]
