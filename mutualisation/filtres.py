"""The staff lists of the practice sheets (R14, `core.listes`): a département's sheets (its instructeurs, national
staff) and the published sheets of every département (national staff). Search by title; filters by state, theme
and year; sort by title, year, state or date. Each list opens as before: the sheets to act on first (proposed ones
for the département, published ones not yet retained for national staff), the latest first."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django.db.models import Case, IntegerField, Value, When

from core.listes import Colonne, FiltresListe, Liste, Tri, rang_des_choix
from mutualisation.enums import FICHE_PUBLIQUE, EtatFiche
from mutualisation.models import Theme


def _a_traiter(etat: EtatFiche) -> Case:
    """1 for the sheets in `etat` (those to act on), 0 for the others: sorted descending, they come first."""
    return Case(When(etat=etat, then=Value(1)), default=Value(0), output_field=IntegerField())


class FiltresFiches(FiltresListe):
    """Search the title; filter by state (those the list shows), theme and year."""

    etat = django_filters.ChoiceFilter(label="État", empty_label="Tous les états")
    theme = django_filters.ChoiceFilter(label="Thème", empty_label="Tous les thèmes", field_name="themes__code")
    annee = django_filters.ChoiceFilter(label="Année", empty_label="Toutes les années", field_name="annee")

    champs_recherche = ("titre",)
    aide_recherche = "Titre de la fiche."
    # The states this list shows (set by each list).
    etats: ClassVar[tuple[EtatFiche, ...]] = ()

    def choisir(self) -> None:
        self.filters["etat"].extra["choices"] = [(e.value, e.label) for e in self.etats]
        self.filters["theme"].extra["choices"] = list(
            Theme.objects.order_by("ordre", "libelle").values_list("code", "libelle")
        )
        annees = self.queryset.order_by("-annee").values_list("annee", flat=True).distinct()
        self.filters["annee"].extra["choices"] = [(str(a), str(a)) for a in annees]


class FiltresFichesDepartement(FiltresFiches):
    etats = (EtatFiche.PROPOSEE, EtatFiche.PUBLIEE, EtatFiche.RETENUE)


class FiltresFichesNationales(FiltresFiches):
    etats = FICHE_PUBLIQUE


COLONNES = (
    Colonne("Titre", lambda f: f.titre),
    Colonne("Collectif", lambda f: f.collectif.nom),
    Colonne("Département", lambda f: str(f.departement)),
    Colonne("Année", lambda f: f.annee),
    Colonne("État", lambda f: f.get_etat_display()),
    Colonne("Proposée le", lambda f: f.proposee_le),
    Colonne("Publiée le", lambda f: f.publiee_le),
    Colonne("Lauréate d'un prix", lambda f: "oui" if f.laureat else "non"),
)
TRIS_COMMUNS = {
    "titre": Tri("Titre", ("titre",)),
    "annee": Tri("Année", ("annee",)),
    "etat": Tri("État", (rang_des_choix("etat", EtatFiche.choices),)),
}


class ListeFichesDepartement(Liste):
    filtres = FiltresFichesDepartement
    colonnes = COLONNES
    tris: ClassVar[dict[str, Tri]] = {
        "a_examiner": Tri(
            "À examiner d'abord, les plus récentes d'abord",
            (_a_traiter(EtatFiche.PROPOSEE), "proposee_le"),
            avec_sens=False,
        ),
        **TRIS_COMMUNS,
        "proposee": Tri("Proposée le", ("proposee_le",)),
    }
    tri_defaut = "-a_examiner"
    nom_fichier = "fiches-pratiques"
    titre_feuille = "Fiches pratiques"


class ListeFichesNationales(Liste):
    filtres = FiltresFichesNationales
    colonnes = COLONNES
    tris: ClassVar[dict[str, Tri]] = {
        "a_retenir": Tri(
            "À retenir d'abord, les plus récentes d'abord",
            (_a_traiter(EtatFiche.PUBLIEE), "publiee_le"),
            avec_sens=False,
        ),
        **TRIS_COMMUNS,
        "publiee": Tri("Publiée le", ("publiee_le",)),
    }
    tri_defaut = "-a_retenir"
    nom_fichier = "fiches-pratiques-publiees"
    titre_feuille = "Fiches pratiques publiées"
