from django.urls import path

from halte.www.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("nouveau/", views.scenario_create_view, name="create"),
    path("comparer/", views.scenario_compare, name="compare"),
    path("<uuid:scenario_id>/", views.scenario_detail, name="detail"),
    path("<uuid:scenario_id>/calculer/", views.scenario_solve_view, name="solve"),
    path("<uuid:scenario_id>/etat/", views.scenario_status, name="status"),
    path("<uuid:scenario_id>/arreter/", views.scenario_cancel_view, name="cancel"),
]
