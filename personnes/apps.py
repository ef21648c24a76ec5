from django.apps import AppConfig


class PersonnesConfig(AppConfig):
    name = "personnes"
    verbose_name = "Données personnelles"

    def ready(self) -> None:
        # Imported here, not at module level: the registered functions import models, which the app registry
        # must have loaded first (the usual AppConfig.ready() exception).
        from personnes import reemissions

        reemissions.enregistrer()
