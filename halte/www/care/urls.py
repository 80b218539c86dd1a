from django.urls import URLPattern, URLResolver, include, path

from halte.www.care import views
from halte.www.pathway import socialfile as social_views
from halte.www.pathway import views as pathway_views

app_name = "care"

urlpatterns: list[URLPattern | URLResolver] = [
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
    path("sites/<uuid:site_id>/materiel/lot/", views.stock_lot, name="stock_lot"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/enregistrer/", views.catalogue_save, name="catalogue_save"),
    path("catalogue/<slug:code>/retirer/", views.catalogue_withdraw, name="catalogue_withdraw"),
    path("sites/<uuid:site_id>/orientations/", views.site_referrals, name="referrals"),
    path("orientations/<uuid:referral_id>/statut/", views.referral_status, name="referral_status"),
]

# The person's situation and follow-up (halte.pathway), most of it under the person at a site.
person_patterns = [
    path("situation/", pathway_views.situation, name="situation"),
    path("suivi/", pathway_views.followup, name="followup"),
    path("parcours/", pathway_views.open_pathway, name="pathway_open"),
    path("accompagnement/", pathway_views.add_accompaniment, name="accompaniment"),
    path("interpretariat/", pathway_views.add_interpreting, name="interpreting"),
    path("dossier-social/", social_views.social_files, name="social_files"),
]
urlpatterns += [
    path("sites/<uuid:site_id>/personnes/<uuid:client_id>/", include(person_patterns)),
    path("parcours/<uuid:pathway_id>/etape/", pathway_views.pathway_step, name="pathway_step"),
    path("dossiers-sociaux/<uuid:file_id>/", social_views.social_file, name="social_file"),
    path(
        "dossiers-sociaux/<uuid:file_id>/supprimer/",
        social_views.social_file_remove,
        name="social_file_remove",
    ),
]
