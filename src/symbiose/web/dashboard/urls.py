from django.urls import path

from symbiose.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("t/<slug:slug>/", views.dashboard_home, name="home"),
]
