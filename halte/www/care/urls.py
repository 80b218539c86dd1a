from django.urls import path

from halte.www.care import views

app_name = "care"

urlpatterns = [
    path("passages/<uuid:visit_id>/", views.visit_page, name="visit"),
    path("passages/<uuid:visit_id>/soin/", views.add_care_act, name="care_act"),
    path("passages/<uuid:visit_id>/social/", views.add_social_act, name="social_act"),
    path("passages/<uuid:visit_id>/materiel/", views.add_visit_material, name="visit_material"),
    path("passages/<uuid:visit_id>/orientation/", views.add_visit_referral, name="visit_referral"),
    path("sites/<uuid:site_id>/materiel/", views.site_material, name="stock"),
    path(
        "sites/<uuid:site_id>/materiel/saisie-groupee/",
        views.bulk_distribution,
        name="bulk_distribution",
    ),
    path("sites/<uuid:site_id>/materiel/livraison/", views.stock_receipt, name="stock_receipt"),
    path(
        "sites/<uuid:site_id>/materiel/inventaire/", views.stock_correction, name="stock_correction"
    ),
    path("sites/<uuid:site_id>/materiel/seuil/", views.stock_threshold, name="stock_threshold"),
    path("sites/<uuid:site_id>/orientations/", views.site_referrals, name="referrals"),
    path("orientations/<uuid:referral_id>/statut/", views.referral_status, name="referral_status"),
]
