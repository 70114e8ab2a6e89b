from django.urls import path

from symbiose.web.workshops import views, views_exports, views_link

app_name = "workshops"
urlpatterns = [
    path("t/<slug:slug>/workshops/", views.workshop_list, name="list"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/", views.workshop_detail, name="detail"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/state/", views.workshop_state,
         name="state"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/tables/", views.table_add,
         name="table_add"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/invite/", views.invite, name="invite"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/room/", views.room, name="room"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/room/cards/", views.card_add,
         name="card_add"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/room/pairs/<int:pair_id>/",
         views.interest, name="interest"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/projector/", views.projector,
         name="projector"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/results/", views.results,
         name="results"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/participants/",
         views.participants_print, name="participants"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/cards.pdf", views_exports.cards_pdf,
         name="cards_pdf"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/summary.pdf", views_exports.summary_pdf,
         name="summary_pdf"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/summary.xlsx",
         views_exports.summary_xlsx, name="summary_xlsx"),
    path("t/<slug:slug>/workshops/<int:workshop_id>/summary.ods",
         views_exports.summary_ods, name="summary_ods"),
    path("w/<str:token>/", views_link.link, name="link"),
    path("w/<str:token>/cards/", views_link.link_cards, name="link_cards"),
    path("w/<str:token>/cards/new/", views_link.link_card_add, name="link_card_add"),
    path("w/<str:token>/pairs/<int:pair_id>/", views_link.link_interest,
         name="link_interest"),
    path("w/<str:token>/suggest/", views_link.link_suggest, name="link_suggest"),
]
