from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from symbiose.web.accounts.views import PasswordResetLimited
from symbiose.web.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", PasswordResetLimited.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("symbiose.web.accounts.urls")),
    path("", include("symbiose.web.territory.urls")),
    path("", include("symbiose.web.dashboard.urls")),
    path("", include("symbiose.web.synergies.urls")),
    path("", include("symbiose.web.transfer.urls")),
    path("", include("symbiose.web.workshops.urls")),
    path("", include("symbiose.web.meetings.urls")),
    path("", include("symbiose.web.campaigns.urls")),
    path("", include("symbiose.web.lending.urls")),
    path("", include("symbiose.web.ledger.urls")),
    path("", include("symbiose.web.company.urls")),
    path("", include("symbiose.web.region.urls")),
]
