from django.urls import path

from halte.www.reports import recap, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("fichier/", views.export_prepare, name="export"),
    path("reseau/annee/", views.network_year, name="network_year"),
    path("comparer/", views.compare, name="compare"),
    path("recap/", recap.recap_page, name="recap"),
    path("recap/fichier/", recap.recap_download, name="recap_download"),
    path("site/<uuid:site_id>/mois/", views.site_month, name="site_month"),
    path("site/<uuid:site_id>/horaires/", views.hours_change, name="hours_change"),
]
