from django.urls import path

from symbiose.web.company import views

app_name = "company"
urlpatterns = [
    path("welcome/", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("home/digest/", views.digest, name="digest"),
    path("home/t/<slug:slug>/figures/", views.figures_home, name="figures"),
    path("home/t/<slug:slug>/figures/<int:proposal_id>/", views.figures_declare,
         name="synergy_figures"),
    path("home/t/<slug:slug>/consent/", views.report_consent, name="consent"),
]
