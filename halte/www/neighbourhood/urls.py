from django.urls import include, path

app_name = "neighbourhood"

urlpatterns = [
    # The site boards and the public transparency pages (their own module).
    path("", include("halte.www.neighbourhood.site_urls")),
]
