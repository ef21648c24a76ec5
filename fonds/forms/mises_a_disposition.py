"""Forms of the secondments' pages (R9): the référent's request and the employer's refusal. The services hold the
rules; their errors are put next to the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from collectifs.models import Membre
from core.ui import DATE, Formulaire, au_plus
from fonds.models.mises_a_disposition import LONGUEUR_MOTIF_REFUS, LONGUEUR_PLAN_CONTINUITE


class ChoixMembre(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membre) -> str:  # type: ignore[override]
        employeur = obj.organisation.nom if obj.organisation is not None else "employeur non renseigné"
        return f"{obj.prenom} {obj.nom} — {employeur}"


class MiseADispositionForm(Formulaire):
    """R9: the request of a référent: who, how much of their working time, when, and who covers the home service."""

    membre = ChoixMembre(
        label="Professionnel·le mis·e à disposition",
        queryset=Membre.objects.none(),
        help_text="Un·e membre du collège des professionnel·les, employé·e par une institution d'origine du collectif.",
    )
    quotite = forms.DecimalField(
        label="Quotité (% du temps de travail)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )
    date_debut = forms.DateField(label="Début", widget=DATE, help_text="Après la prise d'acte de l'employeur.")
    date_fin = forms.DateField(label="Fin", widget=DATE)
    plan_continuite = forms.CharField(
        label="Plan de continuité du service",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LONGUEUR_PLAN_CONTINUITE,
        help_text=au_plus(
            LONGUEUR_PLAN_CONTINUITE, "Qui assure le service d'origine pendant la mise à disposition, et comment."
        ),
    )
    email_employeur = forms.EmailField(
        label="Adresse du contact de l'employeur (ressources humaines)",
        help_text="L'employeur reçoit la demande par courriel et en prend acte avant le début.",
    )

    def __init__(self, *args: Any, membres: QuerySet[Membre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membre"].queryset = membres  # type: ignore[attr-defined]


class RefusForm(Formulaire):
    """R9: the employer declines, with a reason shown to the collectif."""

    motif = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONGUEUR_MOTIF_REFUS,
        help_text=au_plus(LONGUEUR_MOTIF_REFUS),
    )
