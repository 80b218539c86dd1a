from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from halte.accounts.security import LockoutAuthenticationForm
from halte.www.accounts import views as accounts
from halte.www.frontdesk import views as frontdesk
from halte.www.outreach import offline as outreach_offline
from halte.www.registry import views as registry
from halte.www.room import views as room

app_name = "www"

urlpatterns = [
    path("", accounts.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="www/login.html",
            redirect_authenticated_user=True,
            authentication_form=LockoutAuthenticationForm,
        ),
        name="login",
    ),
    path("deconnexion/", login_not_required(outreach_offline.LogoutView.as_view()), name="logout"),
    path("compte/second-facteur/", accounts.second_factor, name="second_factor"),
    path("reseau/", registry.network_map, name="map"),
    path("sites/<uuid:site_id>/", registry.site_detail, name="site_detail"),
    path("sites/<uuid:site_id>/capacites/", registry.site_edit, name="site_edit"),
    path("sites/<uuid:site_id>/horaires/", registry.site_hours, name="site_hours"),
    path(
        "sites/<uuid:site_id>/horaires/exceptions/<int:exception_id>/supprimer/",
        registry.site_exception_remove,
        name="site_exception_remove",
    ),
    path("sites/<uuid:site_id>/statut/", registry.site_status, name="site_status"),
    path("sites/<uuid:site_id>/emplacement/", registry.site_location, name="site_location"),
    path("adresses/", registry.address_lookup, name="address_lookup"),
    path("journal/<str:object_type>/<str:object_id>/", registry.audit_trail, name="audit_trail"),
    path("sites/<uuid:site_id>/accueil/", frontdesk.reception, name="reception"),
    path("sites/<uuid:site_id>/accueil/inscription/", frontdesk.register, name="register"),
    path("sites/<uuid:site_id>/accueil/arrivee/", frontdesk.check_in, name="check_in"),
    path("passages/<uuid:visit_id>/depart/", frontdesk.check_out, name="check_out"),
    path("sites/<uuid:site_id>/salle/", frontdesk.room, name="room"),
    path("sites/<uuid:site_id>/salle/debut/", frontdesk.start_session, name="start_session"),
    path("consommations/<uuid:session_id>/fin/", frontdesk.end_session, name="end_session"),
    path("sites/<uuid:site_id>/salle/incident/", frontdesk.record_incident, name="record_incident"),
    path("sites/<uuid:site_id>/salle/entree/", room.door, name="door"),
    path("sites/<uuid:site_id>/salle/entree/refus/", room.record_refusal, name="record_refusal"),
    path("sites/<uuid:site_id>/salle/entree/attente/", room.start_wait, name="start_wait"),
    path("attentes/<uuid:wait_id>/fin/", room.end_wait, name="end_wait"),
    path("consommations/<uuid:session_id>/repos/fin/", room.end_watch, name="end_watch"),
    path("personnes/<uuid:client_id>/", frontdesk.client_page, name="client"),
    path("personnes/<uuid:client_id>/carte/", frontdesk.client_card, name="client_card"),
    path(
        "personnes/<uuid:client_id>/exclusions/<int:ban_id>/lever/",
        frontdesk.lift_ban,
        name="lift_ban",
    ),
]
