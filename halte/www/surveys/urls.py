"""The national CAARUD survey week (ENa-CAARUD): a week opened for a site, one anonymous
questionnaire per person who agrees, and the count of those who did not answer."""

from django.urls import path

from halte.www.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.weeks, name="weeks"),
    path("<uuid:week_id>/", views.week_page, name="week"),
    path("<uuid:week_id>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("<uuid:week_id>/personne/", views.find_person, name="find_person"),
    path("<uuid:week_id>/non-repondant/", views.non_respondent, name="non_respondent"),
    path("<uuid:week_id>/cloture/", views.close, name="close"),
    path("<uuid:week_id>/resultats.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<uuid:week_id>/resultats.csv", views.export, {"fmt": "csv"}, name="export_csv"),
]
