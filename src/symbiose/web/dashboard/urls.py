from django.urls import path

from symbiose.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("t/<slug:slug>/", views.dashboard_home, name="home"),
    path("t/<slug:slug>/map/", views.map_page, name="map"),
    path("t/<slug:slug>/map/data.json", views.map_data, name="map_data"),
]
