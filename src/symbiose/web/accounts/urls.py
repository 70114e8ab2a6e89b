from django.urls import path

from symbiose.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("t/<slug:slug>/members/", views.member_list, name="members"),
    path("t/<slug:slug>/members/<int:pk>/deactivate/", views.member_deactivate,
         name="deactivate"),
    path("t/<slug:slug>/actors/<str:actor_id>/trail/", views.actor_trail, name="trail"),
    path("t/<slug:slug>/lines/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("account/api-token/", views.api_token, name="api_token"),
]
