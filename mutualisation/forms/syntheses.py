"""Forms of the departmental syntheses and the national report (R15). The services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from core.ui import Formulaire, au_plus
from fonds.models.fonds import ANNEE_MIN
from mutualisation.models.syntheses import LONGUEUR_TEXTE_INSTANCE
from territoires.models import Departement


def _annee(aide: str) -> forms.IntegerField:
    return forms.IntegerField(
        label="Année",
        min_value=ANNEE_MIN,
        help_text=aide,
        error_messages={"required": "Indiquez l'année.", "invalid": "Une année s'écrit en chiffres, par exemple 2027."},
    )


class GenererSyntheseForm(Formulaire):
    """R15: the département (among the instructeur's) and the year whose figures to generate."""

    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.none(),
        empty_label="Choisissez un département",
        error_messages={
            "required": "Choisissez le département.",
            "invalid_choice": "Choisissez un de vos départements.",
        },
    )
    annee = _annee("L'année couverte par la synthèse, par exemple l'année écoulée.")

    def __init__(self, *args: Any, departements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(code__in=departements).order_by("code")  # type: ignore[attr-defined]
        self.fields["annee"].widget.attrs["max"] = timezone.localdate().year
        if len(departements) == 1 and not self.is_bound:
            self.fields["departement"].initial = departements[0]


class TexteInstanceForm(Formulaire):
    """R15: the instance's own text, added before transmitting."""

    texte_instance = forms.CharField(
        label="Le texte de l'instance",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=LONGUEUR_TEXTE_INSTANCE,
        required=False,
        help_text=au_plus(
            LONGUEUR_TEXTE_INSTANCE,
            "Ce que l'instance retient de l'année : les réussites, les difficultés, ce qu'elle souhaite partager avec "
            "les autres départements. Pas de nom de personne.",
        ),
    )


class LancerRapportForm(Formulaire):
    """R15: the year of the national report to launch."""

    annee = _annee("Le rapport consolide les synthèses transmises de cette année.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annee"].widget.attrs["max"] = timezone.localdate().year
