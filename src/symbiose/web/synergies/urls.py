from django.urls import URLPattern

app_name = "synergies"
urlpatterns: list[URLPattern] = []
