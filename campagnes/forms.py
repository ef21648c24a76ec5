"""Campaign forms (R3)."""

from __future__ import annotations

from typing import Any

from django import forms

from campagnes.models import CHAMPS_MODIFIABLES, CHAMPS_VERROUILLES, Campagne
from core.ui import DATE, Formulaire
from territoires.models import Departement

CHAMPS = CHAMPS_MODIFIABLES


class CampagneForm(Formulaire):
    """Create or edit a campaign. Locked fields are disabled once it is open; the service refuses them anyway."""

    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.none(), empty_label="Choisissez un département"
    )

    def __init__(self, *args: Any, departements: Any = None, campagne: Campagne | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for nom in CHAMPS:
            champ = Campagne._meta.get_field(nom).formfield()
            assert champ is not None
            if isinstance(champ, forms.DateField):
                champ.widget = DATE
            self.fields[nom] = champ
        self.fields["enveloppe_annuelle"].help_text = "Ce que la cohorte peut recevoir chaque année, pendant trois ans."
        self.fields[
            "montant_minimal_annuel"
        ].help_text = "Financement automatique garanti à chaque collectif accepté, par an."
        if campagne is not None:
            del self.fields["departement"]
            if campagne.etat != "preparation":
                for nom in (*CHAMPS_VERROUILLES, "annee"):
                    self.fields[nom].disabled = True
                    self.fields[nom].help_text = "Verrouillé depuis l'ouverture de la campagne."
        else:
            self.fields["departement"].queryset = (
                departements if departements is not None else Departement.objects.none()
            )
