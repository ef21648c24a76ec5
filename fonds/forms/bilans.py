"""Forms of the yearly check-in (R11): the collectif's check-in (draft or filing, with the proxy consent when the
accompagnateur types it: R10, R20) and the instructeur's return « à compléter ». The services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from collectifs.forms import ConsentementDuCollectifMixin
from collectifs.models import Indicateur
from core.ui import Formulaire, au_plus
from fonds.enums import NiveauParticipation
from fonds.models.bilans import COMPTE_MAX, LONGUEUR_DIFFICULTES, LONGUEUR_MESSAGE, LONGUEUR_RECIT, LONGUEUR_VALEUR
from fonds.services import DonneesBilan

POURQUOI_AGREGES = (
    "Des totals seulement, jamais de nom ni de liste : le bilan ne recueille aucune donnée sur les personnes que le "
    "collectif rencontre, pour les protéger et pour garder ce bilan léger."
)


def _compte(libelle: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=libelle, required=False, min_value=0, max_value=COMPTE_MAX, help_text="Un total approximatif suffit."
    )


class BilanForm(ConsentementDuCollectifMixin, Formulaire):
    """R11: the check-in, light on purpose. One pair of fields per indicator of the collectif (words first, then an
    optional number). `pour_le_compte` adds the consent of the collectif (R10, R20)."""

    recit = forms.CharField(
        label="Ce que le collectif a fait cette année",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LONGUEUR_RECIT,
        required=False,
        help_text=au_plus(LONGUEUR_RECIT, "Quelques lignes suffisent."),
    )
    difficultes = forms.CharField(
        label="Difficultés rencontrées",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONGUEUR_DIFFICULTES,
        required=False,
        help_text=au_plus(LONGUEUR_DIFFICULTES, "Facultatif."),
    )
    niveau_participation = forms.ChoiceField(
        label="Niveau de participation atteint",
        choices=[("", "Choisissez un niveau"), *NiveauParticipation.choices],
        required=False,
        help_text="Information, consultation, co-construction ou co-décision avec les personnes concernées.",
    )
    nombre_rencontres = _compte("Nombre de rencontres tenues (facultatif)")
    nombre_participants = _compte("Nombre de personnes ayant pris part (facultatif)")
    nombre_habitants = _compte("Dont habitant·es ou personnes concernées (facultatif)")

    def __init__(self, *args: Any, indicateurs: list[Indicateur], pour_le_compte: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicateurs = indicateurs
        for indicateur in indicateurs:
            self.fields[f"indicateur_{indicateur.pk}"] = forms.CharField(
                label=f"Indicateur « {indicateur.libelle} » : ce que vous observez",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=LONGUEUR_VALEUR,
                required=False,
                help_text=indicateur.description or au_plus(LONGUEUR_VALEUR),
            )
            self.fields[f"nombre_{indicateur.pk}"] = forms.DecimalField(
                label=f"Indicateur « {indicateur.libelle} » : valeur chiffrée (facultative)",
                required=False,
                max_digits=12,
                decimal_places=2,
            )
        self.ajouter_consentement(pour_le_compte, "Qui, au nom du collectif, vous a demandé de saisir ce bilan.")

    def champs_indicateurs(self) -> list[tuple[Any, Any]]:
        """The (words, number) bound fields of each indicator, for the template."""
        return [(self[f"indicateur_{i.pk}"], self[f"nombre_{i.pk}"]) for i in self.indicateurs]

    def donnees(self) -> DonneesBilan:
        d = self.cleaned_data
        return DonneesBilan(
            recit=d.get("recit", ""),
            difficultes=d.get("difficultes", ""),
            niveau_participation=d.get("niveau_participation", ""),
            nombre_rencontres=d.get("nombre_rencontres"),
            nombre_participants=d.get("nombre_participants"),
            nombre_habitants=d.get("nombre_habitants"),
            valeurs={i.pk: (d.get(f"indicateur_{i.pk}", ""), d.get(f"nombre_{i.pk}")) for i in self.indicateurs},
        )


class RetourBilanForm(Formulaire):
    """R11: the instructeur returns the check-in « à compléter », saying what is missing."""

    message = forms.CharField(
        label="Ce qu'il faut compléter",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONGUEUR_MESSAGE,
        help_text=au_plus(LONGUEUR_MESSAGE, "Le collectif le lit sur la page de son bilan ; il reste dans le bilan."),
    )
