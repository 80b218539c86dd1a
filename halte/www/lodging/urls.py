from django.urls import path

from halte.www.lodging import views

app_name = "lodging"

urlpatterns = [
    path("", views.home, name="home"),
    path("sites/<uuid:site_id>/", views.site_beds, name="site"),
    path("sites/<uuid:site_id>/nuit/", views.night, name="night"),
    path("sites/<uuid:site_id>/sejours/", views.stay_new, name="stay_create"),
    path("sejours/<uuid:stay_id>/sortie/", views.stay_close, name="stay_end"),
    path("sejours/<uuid:stay_id>/renouvellement/", views.stay_extend, name="stay_renew"),
    path("sites/<uuid:site_id>/attente/", views.waiting_new, name="waiting_add"),
    path("attente/<uuid:entry_id>/retrait/", views.waiting_remove, name="waiting_withdraw"),
]
