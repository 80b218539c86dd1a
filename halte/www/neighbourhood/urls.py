from django.urls import URLPattern

app_name = "neighbourhood"

urlpatterns: list[URLPattern] = []
