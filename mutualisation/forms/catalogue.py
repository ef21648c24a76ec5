"""The public catalogue's search form (R14): words, theme, département, year. A GET form: results can be linked."""

from __future__ import annotations

from typing import Any

from django import forms

from core.ui import Formulaire
from mutualisation.selectors.fiches import LONGUEUR_REQUETE


class RechercheForm(Formulaire):
    q = forms.CharField(
        label="Mots recherchés",
        max_length=LONGUEUR_REQUETE,
        required=False,
        help_text="Par exemple « cuisine partagée », « parents » ou « mobilité ».",
    )
    theme = forms.ChoiceField(label="Thème", required=False)
    departement = forms.ChoiceField(label="Département", required=False)
    annee = forms.TypedChoiceField(label="Année", required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[str, str]],
        departements: list[tuple[str, str]],
        annees: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Tous les thèmes"), *themes]
        self.fields["departement"].choices = [("", "Tous les départements"), *departements]
        self.fields["annee"].choices = [("", "Toutes les années"), *((str(a), str(a)) for a in annees)]
