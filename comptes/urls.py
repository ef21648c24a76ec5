from django.urls import path

app_name = "comptes"
urlpatterns: list = []
