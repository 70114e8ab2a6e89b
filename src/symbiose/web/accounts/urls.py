from django.urls import path

from symbiose.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("account/api-token/", views.api_token, name="api_token"),
]
