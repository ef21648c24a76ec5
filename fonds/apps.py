from django.apps import AppConfig


class FondsConfig(AppConfig):
    name = "fonds"
    verbose_name = "Fonds d'innovation"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when this module is (Django's app registry).
        from campagnes.signals import campagne_ouverte
        from collectifs.signals import composition_modifiee, place_liberee
        from fonds.receivers import sur_campagne_ouverte, sur_composition_modifiee, sur_declaration_retiree

        campagne_ouverte.connect(sur_campagne_ouverte, dispatch_uid="fonds.campagne_ouverte")
        place_liberee.connect(sur_declaration_retiree, dispatch_uid="fonds.declaration_retiree")
        composition_modifiee.connect(sur_composition_modifiee, dispatch_uid="fonds.composition_modifiee")
