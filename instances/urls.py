from django.urls import path

app_name = "instances"
urlpatterns: list = []
