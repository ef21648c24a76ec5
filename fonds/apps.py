from django.apps import AppConfig


class FondsConfig(AppConfig):
    name = "fonds"
    verbose_name = "Fonds d'innovation"
