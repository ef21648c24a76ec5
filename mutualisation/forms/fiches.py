"""Forms of the practice sheets (R14): the sheet as the collectif writes it (with the collectif's consent when its
accompagnateur writes it: R10, R20), and the département's return with a comment. The services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from collectifs.forms import ConsentementDuCollectifMixin
from core.ui import Formulaire, au_plus
from mutualisation.models import FichePratique, Theme
from mutualisation.models.fiches import LONGUEUR_CREDITS, LONGUEUR_MESSAGE, LONGUEUR_PARTIE, LONGUEUR_RESUME
from mutualisation.services.fiches import LONGUEUR_TERRITOIRE, LONGUEUR_TITRE, DonneesFiche

APPROCHE = (
    "Une fiche raconte la démarche du collectif : comment il s'y est pris, avec qui, ce qui a aidé ou freiné. "
    "D'autres pourront s'en inspirer sur leur territoire, pas la copier."
)


def _texte(libelle: str, longueur: int, aide: str = "", lignes: int = 5) -> forms.CharField:
    return forms.CharField(
        label=libelle,
        widget=forms.Textarea(attrs={"rows": lignes}),
        max_length=longueur,
        required=False,
        help_text=au_plus(longueur, aide),
    )


class FicheForm(ConsentementDuCollectifMixin, Formulaire):
    """R14: the sheet. The title, context, approach and a theme are needed to propose it (not to save a draft)."""

    titre = forms.CharField(
        label="Titre",
        max_length=LONGUEUR_TITRE,
        help_text="Par exemple « Une cuisine partagée au pied des immeubles ».",
    )
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100, help_text="L'année que raconte la fiche.")
    territoire = forms.CharField(
        label="Territoire",
        max_length=LONGUEUR_TERRITOIRE,
        required=False,
        help_text="Le quartier, la commune ou le bassin de vie.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.order_by("ordre", "libelle"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Au moins un, pour que la fiche soit trouvée dans le catalogue.",
    )
    resume = _texte("En quelques mots", LONGUEUR_RESUME, "Le résumé montré dans les résultats du catalogue.", 3)
    contexte = _texte(
        "Le contexte", LONGUEUR_PARTIE, "Le territoire, les personnes concernées, ce qui a tout déclenché."
    )
    demarche = _texte("La démarche", LONGUEUR_PARTIE, "Comment le collectif s'y est pris, étape par étape.", 8)
    difficultes = _texte("Difficultés et façons de les surmonter", LONGUEUR_PARTIE, "Facultatif.")
    ressources = _texte(
        "Ressources mobilisées", LONGUEUR_PARTIE, "Lieux, partenaires, financements, outils. Facultatif."
    )
    paroles_habitants = _texte(
        "Paroles d'habitant·es", LONGUEUR_PARTIE, "Leurs mots, sans les nommer sauf accord. Facultatif."
    )
    credits = _texte(
        "Crédits", LONGUEUR_CREDITS, "Qui a écrit la fiche. Ne nommez une personne qu'avec son accord. Facultatif.", 2
    )
    credits_consentis = forms.BooleanField(
        label="Les personnes nommées dans les crédits ont donné leur accord pour être citées publiquement",
        required=False,
    )

    def __init__(self, *args: Any, pour_le_compte: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ajouter_consentement(pour_le_compte, "Qui, au nom du collectif, vous a demandé de rédiger cette fiche.")

    @staticmethod
    def initial_de(fiche: FichePratique) -> dict[str, Any]:
        noms = ("titre", "annee", "territoire", "resume", "contexte", "demarche", "difficultes", "ressources")
        initial = {nom: getattr(fiche, nom) for nom in noms}
        initial.update(
            paroles_habitants=fiche.paroles_habitants,
            credits=fiche.credits,
            credits_consentis=fiche.credits_consentis,
            themes=list(fiche.themes.all()),
        )
        return initial

    def donnees(self) -> DonneesFiche:
        d = self.cleaned_data
        return DonneesFiche(
            titre=d.get("titre", ""),
            annee=d.get("annee"),
            resume=d.get("resume", ""),
            contexte=d.get("contexte", ""),
            demarche=d.get("demarche", ""),
            difficultes=d.get("difficultes", ""),
            ressources=d.get("ressources", ""),
            paroles_habitants=d.get("paroles_habitants", ""),
            credits=d.get("credits", ""),
            credits_consentis=bool(d.get("credits_consentis")),
            territoire=d.get("territoire", ""),
            themes=tuple(t.pk for t in d.get("themes", [])),
        )


class RetourFicheForm(Formulaire):
    """R14: the département returns the proposed sheet to the collectif, saying what to rework."""

    message = forms.CharField(
        label="Ce qu'il faudrait reprendre",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONGUEUR_MESSAGE,
        help_text=au_plus(LONGUEUR_MESSAGE, "Le collectif le lit sur la page de sa fiche."),
    )
