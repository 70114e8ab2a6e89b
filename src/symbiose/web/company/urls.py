from django.urls import path

from symbiose.web.company import views

app_name = "company"
urlpatterns = [
    path("welcome/", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("home/digest/", views.digest, name="digest"),
]
