"""Forms of the instruction task page. They only shape input; the domain services hold the rules (R4, R10)."""

from __future__ import annotations

from typing import Any

from django import forms

from collectifs.models import LONGUEUR_COMPLEMENTS, LONGUEUR_MOTIF
from core.ui import DATE, Formulaire, au_plus
from instances.models import Accompagnateur


class DemandeComplementsForm(Formulaire):
    """R4: what the collectif must provide, and until when (default: the campaign's delay)."""

    prefix = "complements"

    message = forms.CharField(
        label="Ce qui est demandé au collectif",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=LONGUEUR_COMPLEMENTS,
        help_text=au_plus(
            LONGUEUR_COMPLEMENTS,
            "Ce message est envoyé aux référent·es du collectif et figure sur la demande de compléments.",
        ),
    )
    echeance = forms.DateField(
        label="À fournir avant le",
        widget=DATE,
        required=False,
        help_text="Par défaut, le délai de réponse de la campagne.",
    )


class PriseEnChargeForm(Formulaire):
    """No field: the instruction task becomes the instructeur's (R4)."""

    prefix = "prise_en_charge"


class RecevabiliteForm(Formulaire):
    """No field: a declaration is recevable when the automatic R1/R2 checks pass (R4)."""

    prefix = "recevabilite"


class ClassementSansSuiteForm(Formulaire):
    """R4: the reasons of a classement sans suite, once the demande has expired."""

    prefix = "sans_suite"

    motifs = forms.CharField(
        label="Motifs du classement sans suite",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONGUEUR_MOTIF,
        help_text=au_plus(
            LONGUEUR_MOTIF, "Ils sont inscrits dans l'historique de la déclaration et visibles du collectif."
        ),
    )


class ChoixAccompagnateur(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AccompagnateurForm(Formulaire):
    """R10: one accompagnateur of the département's registry."""

    prefix = "accompagnement"

    accompagnateur = ChoixAccompagnateur(
        label="Accompagnateur·rice",
        queryset=Accompagnateur.objects.none(),
        empty_label="Choisissez dans le registre du département",
        error_messages={
            "required": "Choisissez un·e accompagnateur·rice.",
            "invalid_choice": "Choisissez un·e accompagnateur·rice du registre du département.",
        },
    )

    def __init__(self, *args: Any, accompagnateurs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompagnateur"].queryset = accompagnateurs  # type: ignore[attr-defined]
