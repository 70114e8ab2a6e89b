from django.urls import path

from symbiose.web.lending import views, views_bookings

app_name = "lending"
L = "t/<slug:slug>/lending/"
B = L + "bookings/<int:booking_id>/"
urlpatterns = [
    path(L, views.offer_list, name="offers"),
    path(L + "offer/<int:resource_id>/", views.offer_create, name="offer_create"),
    path(L + "<int:offer_id>/", views.offer_detail, name="offer"),
    path(L + "<int:offer_id>/edit/", views.offer_edit, name="offer_edit"),
    path(L + "<int:offer_id>/book/", views_bookings.booking_create, name="book"),
    path(L + "<int:offer_id>/calendar.ics", views.offer_ics, name="offer_ics"),
    path(L + "companies/<str:actor_id>/lending.ics", views.company_ics, name="company_ics"),
    path(B, views_bookings.booking_detail, name="booking"),
    path(B + "answer/", views_bookings.booking_answer, name="answer"),
    path(B + "cancel/", views_bookings.booking_cancel, name="cancel"),
    path(B + "check-out/", views_bookings.booking_handover, {"step": "check_out"},
         name="check_out"),
    path(B + "return/", views_bookings.booking_handover, {"step": "return"}, name="return"),
]
