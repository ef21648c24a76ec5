from django.apps import AppConfig


class MutualisationConfig(AppConfig):
    name = "mutualisation"
    verbose_name = "Mutualisation et capitalisation"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when this module is (Django's app registry).
        from journal.signals import transition_validee
        from mutualisation.services.fiches import sur_transition_validee as fiches_sur_transition_validee

        # SPEC §5: the year-3 check-in's validation closes the convention when the sheet was already proposed.
        transition_validee.connect(fiches_sur_transition_validee, dispatch_uid="mutualisation.fiches.cloture")
