from django.urls import path

from symbiose.web.campaigns import views, views_link

app_name = "campaigns"
urlpatterns = [
    path("t/<slug:slug>/campaigns/", views.campaign_list, name="list"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/close/", views.campaign_close,
         name="close"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/remind/", views.campaign_remind,
         name="remind"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/send/", views.campaign_send,
         name="send"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/sending/<int:run_id>/",
         views.sending_progress, name="sending"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/invitations/<int:invitation_id>/remind/",
         views.invitation_remind, name="invitation_remind"),
    path("t/<slug:slug>/campaigns/<int:campaign_id>/invitations/<int:invitation_id>/email/",
         views.invitation_email, name="invitation_email"),
    path("c/<str:token>/", views_link.link, name="link"),
]
