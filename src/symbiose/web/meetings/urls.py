from django.urls import path

from symbiose.web.meetings import views, views_agenda, views_grid, views_requests

app_name = "meetings"
E = "t/<slug:slug>/meetings/<int:event_id>/"
urlpatterns = [
    path("t/<slug:slug>/meetings/", views.event_list, name="events"),
    path("t/<slug:slug>/meetings/new/", views.event_create, name="event_create"),
    # Other pages link here: ?from=<actor id>&to=<actor id>[&proposal=<id>][&event=<id>].
    path("t/<slug:slug>/meetings/request/", views_requests.request_create,
         name="request_create"),
    path(E, views.event_detail, name="event"),
    path(E + "edit/", views.event_edit, name="event_edit"),
    path(E + "participants/", views.participant_add, name="participant_add"),
    path(E + "participants/<int:participant_id>/remove/", views.participant_remove,
         name="participant_remove"),
    path(E + "participants/<int:participant_id>/unavailable/",
         views.participant_unavailable, name="unavailable"),
    path(E + "requests/<int:request_id>/answer/", views_requests.request_answer,
         name="request_answer"),
    path(E + "requests/<int:request_id>/place/", views_grid.request_place, name="place"),
    path(E + "grid/", views_grid.grid, name="grid"),
    path(E + "schedule/", views_grid.schedule, name="schedule"),
    path(E + "publish/", views_grid.publish, name="publish"),
    path(E + "meetings/<int:meeting_id>/move/", views_grid.meeting_move, name="move"),
    path(E + "meetings/<int:meeting_id>/lock/", views_grid.meeting_lock, name="lock"),
    path(E + "meetings/<int:meeting_id>/outcome/", views_agenda.meeting_outcome,
         name="outcome"),
    path(E + "agenda/<int:participant_id>/", views_agenda.agenda, name="agenda"),
    path(E + "agenda/<int:participant_id>/print/", views_agenda.agenda_print,
         name="agenda_print"),
    path(E + "agenda/<int:participant_id>/agenda.ics", views_agenda.agenda_file,
         name="agenda_ics"),
]
