from django.urls import URLPattern, path

from halte.www.public import views

app_name = "public"

urlpatterns: list[URLPattern] = [
    path("", views.orientation, name="orientation"),
    path("lieux/", views.network, name="network"),
    path("sw.js", views.service_worker, name="service_worker"),
]
