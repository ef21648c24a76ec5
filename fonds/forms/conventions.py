"""Forms of the conventions' pages (R7, R8): the list's filters, the signature, a payment, the cancellation, and a
project of another kind of beneficiary. The services hold the rules; their errors are put next to the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from core.ui import DATE, Formulaire, au_plus
from fonds.enums import NatureBeneficiaire
from fonds.models import Fonds
from territoires.models import Departement

MONTANT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
LONGUEUR_MOTIFS = 5000


class SignatureForm(Formulaire):
    """R7: the signature of the convention: its date and both signatories."""

    signee_le = forms.DateField(label="Date de signature", widget=DATE)
    signataire_beneficiaire = forms.CharField(
        label="Signataire pour le bénéficiaire",
        max_length=200,
        help_text="Nom et qualité, par ex. « Odile Marchand, référente du collectif ».",
    )
    signataire_departement = forms.CharField(
        label="Signataire pour le département",
        max_length=200,
        help_text="Nom et qualité, par ex. « Le président du Conseil départemental ».",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"signee_le": timezone.localdate()})
        super().__init__(*args, **kwargs)


class VersementForm(Formulaire):
    """R7: the payment of one payable tranche: date, amount (the tranche's), bank reference."""

    date_versement = forms.DateField(label="Date du versement", widget=DATE)
    montant = forms.DecimalField(
        label="Montant versé (€)",
        help_text="Une tranche se verse en une fois, de son montant.",
        **MONTANT,  # type: ignore[arg-type]
    )
    reference_bancaire = forms.CharField(
        label="Référence bancaire", max_length=100, help_text="La référence du virement, par ex. « VIR-2027-0042 »."
    )

    def __init__(self, *args: Any, montant: Decimal, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date_versement": timezone.localdate(), "montant": montant})
        super().__init__(*args, **kwargs)


class AnnulationForm(Formulaire):
    """R7: the reasons of a cancellation (before the first payment)."""

    motifs = forms.CharField(
        label="Motifs de l'annulation",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONGUEUR_MOTIFS,
        help_text=au_plus(LONGUEUR_MOTIFS, "Ils figurent au journal de la convention."),
    )


NATURES_PROJET = [(v, label) for v, label in NatureBeneficiaire.choices if v != NatureBeneficiaire.COLLECTIF]


class ProjetForm(Formulaire):
    """R8: a project of another kind of beneficiary, with one to three yearly tranches. The service checks the
    nature, the tranches' years and the envelopes; the form only types the values."""

    fonds = forms.ModelChoiceField(label="Fonds", queryset=Fonds.objects.none(), empty_label="Choisissez un fonds")
    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.none(), empty_label="Choisissez un département"
    )
    nature_beneficiaire = forms.ChoiceField(
        label="Nature du projet", choices=[("", "Choisissez une nature"), *NATURES_PROJET]
    )
    beneficiaire = forms.CharField(label="Organisme bénéficiaire", max_length=200)
    siret_beneficiaire = forms.CharField(
        label="SIRET du bénéficiaire", max_length=17, required=False, help_text="Facultatif. 14 chiffres."
    )
    rna_beneficiaire = forms.CharField(
        label="RNA du bénéficiaire", max_length=10, required=False, help_text="Facultatif. Par ex. W423001234."
    )
    objet = forms.CharField(label="Objet", max_length=256, widget=forms.Textarea(attrs={"rows": 3}))
    date_debut = forms.DateField(label="Début du projet", widget=DATE)
    date_fin = forms.DateField(label="Fin du projet", widget=DATE)

    def __init__(self, *args: Any, fonds: QuerySet[Fonds], departements: QuerySet[Departement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fonds"].queryset = fonds  # type: ignore[attr-defined]
        self.fields["departement"].queryset = departements  # type: ignore[attr-defined]
        for rang in range(1, 4):
            obligatoire = rang == 1
            aide = "" if obligatoire else "Facultatif. "
            self.fields[f"annee_{rang}"] = forms.IntegerField(
                label=f"Tranche {rang} : année",
                required=obligatoire,
                min_value=2015,
                max_value=2100,
                help_text=f"{aide}Année budgétaire, par ex. 2027.",
            )
            self.fields[f"montant_{rang}"] = forms.DecimalField(
                label=f"Tranche {rang} : montant (€)",
                required=obligatoire,
                help_text=f"{aide}En euros, par ex. 8000.",
                **MONTANT,  # type: ignore[arg-type]
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        tranches: list[tuple[int, Decimal]] = []
        for rang in range(1, 4):
            annee, montant = donnees.get(f"annee_{rang}"), donnees.get(f"montant_{rang}")
            if annee is None and montant is None:
                continue
            if annee is None and f"annee_{rang}" not in self.errors:
                self.add_error(f"annee_{rang}", "Indiquez l'année de cette tranche.")
            elif montant is None and f"montant_{rang}" not in self.errors:
                self.add_error(f"montant_{rang}", "Indiquez le montant de cette tranche.")
            elif annee is not None and montant is not None:
                tranches.append((annee, montant))
        donnees["tranches"] = tranches
        return donnees
