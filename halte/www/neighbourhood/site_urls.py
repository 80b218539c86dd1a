from django.urls import path

from halte.www.neighbourhood import transparency

urlpatterns = [
    path("public/", transparency.network, name="public_network"),
    path("public/sites/<uuid:site_id>/", transparency.site_page, name="public_site"),
]
