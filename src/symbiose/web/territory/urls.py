from django.urls import path

from symbiose.web.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("t/<slug:slug>/export.xlsx", views.territory_export, name="export"),
    path("t/<slug:slug>/actors/<str:actor_id>/", views.actor_detail, name="actor"),
]
