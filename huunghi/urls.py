from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.core.views import pages
from huunghi.api import api

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", pages.healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("apps.accounts.urls")),
    path("", include("apps.core.urls")),
    path("", include("apps.documents.urls")),
    path("", include("apps.tasks.urls")),
    path("", include("apps.partners.urls")),
    path("", include("apps.aid.urls")),
    path("", include("apps.activities.urls")),
    path("", include("apps.members.urls")),
    path("", include("apps.reports.urls")),
]

handler400 = "apps.core.views.errors.bad_request"
handler403 = "apps.core.views.errors.permission_denied"
handler404 = "apps.core.views.errors.not_found"
handler500 = "apps.core.views.errors.server_error"

if settings.DEBUG:
    # Lets a developer look at the error pages as users see them.
    from apps.core.views import errors

    urlpatterns += [
        path("_errors/404/", errors.not_found),
        path("_errors/500/", errors.server_error),
    ]
