"""The plan-crack board: the plan's actions and who carries them, the budget of each year against
what was spent, and the evacuations of gathering places with the follow-up of the people oriented."""

from django.urls import URLPattern, URLResolver, path

from halte.www.plan import views

app_name = "plan"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.board, name="board"),
    path("actions/nouvelle/", views.action_new, name="action_new"),
    path("actions/<uuid:action_id>/", views.action_page, name="action"),
    path("budget/", views.budget, name="budget"),
    path("evacuations/", views.evacuations, name="evacuations"),
    path("evacuations/nouvelle/", views.evacuation_new, name="evacuation_new"),
    path("evacuations/<uuid:evacuation_id>/", views.evacuation_page, name="evacuation"),
    path("lieux/<uuid:place_id>/", views.place_history, name="place"),
]
