from django.urls import path

from halte.www.accounts import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("nouveau/", views.staff_new, name="create"),
    path("mot-de-passe/", views.password_change, name="password"),
    path("<uuid:user_id>/", views.staff_detail, name="detail"),
    path("<uuid:user_id>/roles/", views.role_grant, name="role_grant"),
    path("<uuid:user_id>/roles/fin/", views.role_end, name="role_end"),
    path("<uuid:user_id>/mot-de-passe/", views.password_reset, name="password_reset"),
    path("<uuid:user_id>/second-facteur/", views.second_factor_reset, name="second_factor_reset"),
]
