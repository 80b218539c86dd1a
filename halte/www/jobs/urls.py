from django.urls import path

from halte.www.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/annuler/", views.job_cancel_view, name="cancel"),
    path("<uuid:job_id>/fichier/", views.job_file, name="file"),
]
