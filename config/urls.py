from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from halte.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # One login for every door: the admin's sends to ours (lockout, then the second factor).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="www:login", query_string=True, permanent=False),
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("planification/", include("halte.www.planning.urls")),
    path("soins/", include("halte.www.care.urls")),
    path("hebergement/", include("halte.www.lodging.urls")),
    path("rue/", include("halte.www.outreach.urls")),
    path("rapports/", include("halte.www.reports.urls")),
    path("comptes/", include("halte.www.accounts.urls")),
    path("", include("halte.www.urls")),
]
