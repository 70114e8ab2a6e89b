from django.urls import path

from symbiose.web.territory import views, views_actors, views_balance, views_members

app_name = "territory"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("t/<slug:slug>/actors/", views_actors.actor_list, name="actors"),
    path("t/<slug:slug>/actors/new/", views_actors.actor_create, name="actor_create"),
    path("t/<slug:slug>/actors/<str:actor_id>/", views.actor_detail, name="actor"),
    path("t/<slug:slug>/actors/<str:actor_id>/edit/", views_actors.actor_edit,
         name="actor_edit"),
    path("t/<slug:slug>/actors/<str:actor_id>/balance/<int:year>/", views_balance.balance,
         name="balance"),
    path("t/<slug:slug>/actors/<str:actor_id>/balance/<int:year>/likely/",
         views_balance.likely_flow, name="likely_flow"),
    path("t/<slug:slug>/actors/<str:actor_id>/balance/<int:year>/start/",
         views_balance.balance_start, name="balance_start"),
    path("t/<slug:slug>/suggest/", views_balance.suggest_class, name="suggest"),
    path("t/<slug:slug>/quantity/", views_balance.quantity_check, name="quantity_check"),
    path("t/<slug:slug>/lines/<int:pk>/edit/", views_balance.line_edit, name="line_edit"),
    path("t/<slug:slug>/members/", views_members.member_list, name="members"),
    path("t/<slug:slug>/members/<int:pk>/deactivate/", views_members.member_deactivate,
         name="member_deactivate"),
    path("t/<slug:slug>/actors/<str:actor_id>/trail/", views_members.actor_trail,
         name="trail"),
]
