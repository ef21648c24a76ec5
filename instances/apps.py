from django.apps import AppConfig


class InstancesConfig(AppConfig):
    name = "instances"
    verbose_name = "Instances départementales"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when this module is (Django's app registry).
        from collectifs.signals import place_liberee
        from instances.receivers import sur_place_liberee

        place_liberee.connect(sur_place_liberee, dispatch_uid="instances.place_liberee")
