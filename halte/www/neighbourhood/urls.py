from django.urls import include, path

from halte.www.neighbourhood import committees, residents, street

app_name = "neighbourhood"

urlpatterns = [
    path("", street.home, name="home"),
    # Street work: rounds, finds, the map.
    path("tournees/", street.rounds, name="rounds"),
    path("tournees/demarrer/", street.round_new, name="round_start"),
    path("tournees/<uuid:round_id>/", street.round_page, name="round"),
    path("tournees/<uuid:round_id>/ramassages/", street.pickup_new, name="pickup_record"),
    path("tournees/<uuid:round_id>/fin/", street.round_close, name="round_end"),
    path("ramassages/", street.pickups, name="pickups"),
    path("carte/", street.pickup_map, name="map"),
    # Residents' reports: the public page, then the staff's side.
    path("signaler/", residents.public_report, name="report_public"),
    path("signaler/merci/", residents.public_thanks, name="report_thanks"),
    path("signalements/", residents.queue, name="queue"),
    path("signalements/nouveau/", residents.report_new, name="report_new"),
    path("signalements/<uuid:report_id>/", residents.report_page, name="report"),
    path("signalements/<uuid:report_id>/attribuer/", residents.report_assign, name="report_assign"),
    path("signalements/<uuid:report_id>/repondu/", residents.report_answered, name="report_answer"),
    path("signalements/<uuid:report_id>/clore/", residents.report_closed, name="report_close"),
    # Committees and decisions.
    path("comites/", committees.committees, name="committees"),
    path("comites/<uuid:committee_id>/", committees.committee_page, name="committee"),
    path("comites/<uuid:committee_id>/decisions/", committees.decision_new, name="decision_add"),
    path(
        "decisions/<uuid:decision_id>/faite/", committees.decision_mark_done, name="decision_done"
    ),
    # The coordinator's setting of a site's surroundings.
    path("environs/<uuid:site_id>/", committees.surroundings, name="surroundings"),
    # The site boards and the public transparency pages (their own module).
    path("", include("halte.www.neighbourhood.site_urls")),
]
