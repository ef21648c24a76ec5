"""Forms of the national fund pages (R8): the fund, a funder, a contribution, a distribution into an envelope, a
funder's invitation, and the ledger's filters. The services hold the rules; their errors go next to the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.ui import Formulaire
from fonds.enums import Compte, GestionFonds, NatureFinanceur
from fonds.models import ANNEE_MAX, ANNEE_MIN, Financeur
from territoires.models import Departement


def _montant(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "Le montant doit être d'au moins 0,01 €."},
    )


AIDE_ANNEE = "L'année budgétaire, par exemple 2027."


def _annee(label: str = "Année budgétaire", **options: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=ANNEE_MIN, max_value=ANNEE_MAX, help_text=AIDE_ANNEE, **options)


def _departement(label: str, *, required: bool, vide: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=Departement.objects.order_by("code"), required=required, empty_label=vide
    )


class FondsForm(Formulaire):
    """R8: the fund, managed nationally by default, or by one département (which it then names)."""

    nom = forms.CharField(label="Nom du fonds", max_length=200, initial="Fonds national d'innovation sociale")
    gestion = forms.ChoiceField(
        label="Gestion", choices=GestionFonds.choices, initial=GestionFonds.NATIONALE, widget=forms.RadioSelect
    )
    departement = _departement("Département gestionnaire", required=False, vide="Aucun (gestion nationale)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].help_text = "Seulement pour un fonds géré par un département."


class FinanceurForm(Formulaire):
    """R8: a funder and its kind (État, département, fondation…), with its SIRET when it has one."""

    nom = forms.CharField(label="Nom du financeur", max_length=200)
    nature = forms.ChoiceField(label="Nature", choices=[("", "Choisissez une nature"), *NatureFinanceur.choices])
    siret = forms.CharField(
        label="SIRET", max_length=17, required=False, help_text="Facultatif : 14 chiffres, espaces admis."
    )


class AbondementForm(Formulaire):
    """R8: a funder's contribution for a budget year, optionally earmarked for one département."""

    financeur = forms.ModelChoiceField(
        label="Financeur", queryset=Financeur.objects.order_by("nom"), empty_label="Choisissez un financeur"
    )
    annee = _annee()
    montant = _montant("Montant (€)")
    departement_fleche = _departement("Fléché vers le département", required=False, vide="Non fléché")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "departement_fleche"
        ].help_text = "Facultatif : l'argent fléché ne finance que l'enveloppe de ce département."


class RepartitionForm(Formulaire):
    """R8: distribute part of a year's contributions into a département's envelope."""

    departement = _departement("Département", required=True, vide="Choisissez un département")
    annee = _annee()
    montant = _montant("Montant à répartir (€)")


class InvitationFinanceurForm(Formulaire):
    """R8: invite a person, by e-mail, to read the funder's view."""

    email = forms.EmailField(label="Adresse électronique de la personne invitée", max_length=254)


class FiltresGrandLivreForm(Formulaire):
    """The ledger's filters (a GET form): year, département, account, funder. Invalid values show an error next
    to their field and are not applied."""

    annee = forms.IntegerField(label="Année budgétaire", min_value=ANNEE_MIN, max_value=ANNEE_MAX, required=False)
    departement = _departement("Département", required=False, vide="Tous les départements")
    compte = forms.ChoiceField(label="Compte", choices=[("", "Tous les comptes"), *Compte.choices], required=False)
    financeur = forms.ModelChoiceField(
        label="Financeur", queryset=Financeur.objects.order_by("nom"), required=False, empty_label="Tous les financeurs"
    )

    def filtres(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of the selector."""
        if not self.is_bound:
            return {}
        self.is_valid()
        donnees = getattr(self, "cleaned_data", {})
        return {nom: donnees[nom] for nom in self.fields if donnees.get(nom) not in (None, "")}


class FiltresEnveloppesForm(Formulaire):
    """The envelopes' filters (a GET form): year and département."""

    annee = forms.IntegerField(label="Année budgétaire", min_value=ANNEE_MIN, max_value=ANNEE_MAX, required=False)
    departement = _departement("Département", required=False, vide="Tous les départements")

    filtres = FiltresGrandLivreForm.filtres
