from django.urls import path

from halte.www.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.board, name="board"),
    path("emettre/", views.issue, name="issue"),
    path("public/", views.public, name="public"),
    path("<uuid:alert_id>/", views.alert_page, name="detail"),
    path("<uuid:alert_id>/vue/", views.acknowledge, name="acknowledge"),
    path("<uuid:alert_id>/retrait/", views.withdraw, name="withdraw"),
    path("signaux/<uuid:signal_id>/clore/", views.close_signal, name="signal_close"),
    path("echantillons/", views.samples, name="samples"),
    path("echantillons/nouveau/", views.sample_new, name="sample_new"),
    path("echantillons/import/", views.results_upload, name="import"),
    path("echantillons/<uuid:sample_id>/", views.sample_page, name="sample"),
    path("echantillons/<uuid:sample_id>/envoi/", views.sample_sent, name="sample_send"),
    path("echantillons/<uuid:sample_id>/resultat/", views.sample_result, name="sample_result"),
]
