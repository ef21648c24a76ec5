"""Forms of the prizes (R18): create a prize, nominate a sheet, add a juror, score a nomination, proclaim. They check
types and shapes; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from collectifs.enums import College
from core.ui import Formulaire, au_plus
from mutualisation.enums import NiveauPrix
from mutualisation.models import FichePratique
from mutualisation.models.prix import NOTE_MAX
from mutualisation.services.prix import ANNEE_MAX, ANNEE_MIN, LONGUEUR_COMMENTAIRE, LONGUEUR_NOM, LONGUEUR_TITRE
from territoires.models import Departement


class PrixForm(Formulaire):
    """R18: a new prize: departmental (for one of the user's départements) or national (national staff)."""

    titre = forms.CharField(
        label="Titre du prix", max_length=LONGUEUR_TITRE, error_messages={"required": "Donnez un titre au prix."}
    )
    annee = forms.IntegerField(
        label="Année", min_value=ANNEE_MIN, max_value=ANNEE_MAX, initial=lambda: timezone.localdate().year
    )

    def __init__(self, *args: Any, niveaux: list[str], departements: QuerySet[Departement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["niveau"] = forms.ChoiceField(
            label="Niveau",
            choices=[c for c in NiveauPrix.choices if c[0] in niveaux],
            initial=niveaux[0] if niveaux else None,
            widget=forms.RadioSelect,
        )
        if NiveauPrix.DEPARTEMENTAL in niveaux:
            self.fields["departement"] = forms.ModelChoiceField(
                label="Département (prix départemental)",
                queryset=departements,
                required=False,
                empty_label="Choisissez un département",
            )


class NominationForm(Formulaire):
    """R18: nominate one of the sheets that may be."""

    def __init__(self, *args: Any, fiches: QuerySet[FichePratique], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiche"] = forms.ModelChoiceField(
            label="Fiche à nominer",
            queryset=fiches,
            empty_label="Choisissez une fiche",
            error_messages={"required": "Choisissez la fiche à nominer."},
        )


class MembreJuryForm(Formulaire):
    """R18: a juror, in one of the three colleges; with an account's e-mail address to score online."""

    prenom = forms.CharField(label="Prénom", max_length=LONGUEUR_NOM)
    nom = forms.CharField(label="Nom", max_length=LONGUEUR_NOM)
    college = forms.ChoiceField(label="Collège", choices=College.choices, widget=forms.RadioSelect)
    email = forms.EmailField(
        label="Adresse électronique de son compte (facultatif)",
        required=False,
        help_text="Pour noter en ligne, la personne doit avoir un compte sur la plateforme.",
    )


class NoteForm(Formulaire):
    """R18: a juror's score of a nomination."""

    note = forms.IntegerField(
        label=f"Note (0 à {NOTE_MAX})",
        min_value=0,
        max_value=NOTE_MAX,
        error_messages={
            "required": "Donnez une note.",
            "min_value": f"Une note entre 0 et {NOTE_MAX}.",
            "max_value": f"Une note entre 0 et {NOTE_MAX}.",
        },
    )
    commentaire = forms.CharField(
        label="Commentaire (facultatif)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONGUEUR_COMMENTAIRE,
        required=False,
        help_text=au_plus(LONGUEUR_COMMENTAIRE),
    )


class ProclamationForm(Formulaire):
    """R18: how many laureates (ties at the last place make more)."""

    nombre_laureats = forms.IntegerField(
        label="Nombre de lauréates",
        min_value=1,
        max_value=20,
        initial=1,
        help_text=(
            "Les fiches les mieux notées (moyenne des notes) ; en cas d'égalité à la dernière place, toutes sont "
            "lauréates."
        ),
    )
