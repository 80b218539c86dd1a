from django.urls import path

from halte.www.registry import authorisations as views

app_name = "authorisations"

urlpatterns = [
    path("", views.authorisation_list, name="list"),
    path("nouvelle/", views.authorisation_new, name="new"),
    path("<uuid:authorisation_id>/", views.authorisation_edit, name="edit"),
]
