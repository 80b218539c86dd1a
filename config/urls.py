from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from halte.api.api import api

# Every page asks for a signed-in user (LoginRequiredMiddleware) except those marked here and in
# halte.www.urls. The API authenticates each request itself and answers 401 in JSON, never a
# redirect to the login page.
api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    if isinstance(pattern, URLPattern):
        login_not_required(pattern.callback)

urlpatterns = [
    path("api/v1/", (api_patterns, api_app, api_namespace)),
    # One login for every door: the admin's sends to ours (lockout, then the second factor).
    path(
        "admin/login/",
        login_not_required(
            RedirectView.as_view(pattern_name="www:login", query_string=True, permanent=False)
        ),
    ),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("planification/", include("halte.www.planning.urls")),
    path("soins/", include("halte.www.care.urls")),
    path("hebergement/", include("halte.www.lodging.urls")),
    path("rue/", include("halte.www.outreach.urls")),
    path("rapports/", include("halte.www.reports.urls")),
    path("autorisations/", include("halte.www.registry.authorisation_urls")),
    path("comptes/", include("halte.www.accounts.urls")),
    path("travaux/", include("halte.www.jobs.urls")),
    path("alertes/", include("halte.www.alerts.urls")),
    path("quartier/", include("halte.www.neighbourhood.urls")),
    path("orientation/", include("halte.www.public.urls")),
    path("enquetes/", include("halte.www.surveys.urls")),
    path("plan/", include("halte.www.plan.urls")),
    path("", include("halte.www.urls")),
]
