from django.urls import path

from halte.www.outreach import offline, views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    path("equipes/<uuid:team_id>/maraudes/", views.round_new, name="round_start"),
    path("maraudes/<uuid:round_id>/", views.round_page, name="round"),
    path("maraudes/<uuid:round_id>/fin/", views.round_close, name="round_end"),
    path("maraudes/<uuid:round_id>/contacts/", views.contact_new, name="contact_record"),
    path("comptages/", views.head_counts, name="head_counts"),
    path("comptages/nouveau/", views.head_count_new, name="head_count_record"),
    path("ou-aller/", views.where, name="where"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("terrain/", offline.field, name="field"),
    path("terrain/donnees.json", offline.field_data, name="field_data"),
]
