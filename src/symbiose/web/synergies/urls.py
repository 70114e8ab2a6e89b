from django.urls import path

from symbiose.web.synergies import views

app_name = "synergies"
urlpatterns = [
    path("t/<slug:slug>/detection/", views.detect, name="detect"),
    path("t/<slug:slug>/detection/<int:run_id>/", views.run_progress, name="run"),
    path("t/<slug:slug>/proposals/", views.catalogue, name="catalogue"),
    path("t/<slug:slug>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("t/<slug:slug>/proposals/actors/", views.actor_options, name="actor_options"),
    path("t/<slug:slug>/proposals/<int:proposal_id>/", views.proposal_detail,
         name="proposal"),
    path("t/<slug:slug>/proposals/<int:proposal_id>/decision/", views.decide, name="decide"),
    path("t/<slug:slug>/proposals/<int:proposal_id>/stage/", views.stage, name="stage"),
    path("t/<slug:slug>/proposals/<int:proposal_id>/programme/", views.programme_edit,
         name="programme_edit"),
    path("t/<slug:slug>/programme/", views.board, name="board"),
]
