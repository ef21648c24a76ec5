from django.urls import path

app_name = "collectifs"
urlpatterns: list = []
