"""Reads of the practice sheets (R14): the back office's lists, scoped to a user (hidden sheets give 404), the
public catalogue and its French search, and what a convention still misses to close its three-year cycle (SPEC §5).

Search on PostgreSQL: the stored weighted vector `FichePratique.recherche` (title A; summary, themes and territory
B; the parts C) in the `french_unaccent` configuration (French stems, accents folded; migration
0003_fiches_recherche), with a GIN index; ranked by `ts_rank`, with `ts_headline` extracts. Typos are caught by
trigram word similarity on the folded title (`mutualisation_plier(titre) %> query`, a trigram GIN index): those
sheets are OR'ed in and ranked after the full-text matches.

On SQLite (the embedded database of `make run`) a plain fallback: every word of the query, folded (no accents, no
case), must appear in the sheet's folded text; the folding is done in Python over the public sheets, which suits a
demo-sized catalogue only. No stems, no typo tolerance there."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from collectifs.models import Collectif
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale
from fonds.enums import CONVENTION_EN_COURS, EtatBilan, EtatConvention
from fonds.models import BilanAnnuel, Convention
from mutualisation.enums import FICHE_PUBLIQUE, EtatFiche
from mutualisation.models import FichePratique, Nomination, Theme

# The text search configuration made by migration 0003_fiches_recherche (PostgreSQL only).
CONFIG_RECHERCHE = "french_unaccent"
# Trigram word similarity (0 to 1) above which a title counts as a typo of the query (« cuisnie » ~ « cuisine »:
# 0.5, and `%>` keeps a similarity equal to the threshold). pg_trgm's default (0.6) misses one swapped pair of
# letters in a seven-letter word; below 0.5 a shared prefix is enough (« parens » ~ « partagée »: 0.43).
SEUIL_PROCHE = 0.5
# At most this many typo matches are OR'ed in (they come after the full-text matches anyway).
PROCHES_MAX = 200
# Markers around the matched words in ts_headline's output: the text is escaped first, then they become <mark>.
DEBUT_MARQUE, FIN_MARQUE = "\ue000", "\ue001"
LONGUEUR_REQUETE = 200
# The three-year cycle closes on the check-in of this convention year (SPEC §5).
RANG_DERNIER_BILAN = 3


def est_postgresql() -> bool:
    return connection.vendor == "postgresql"


def plier(texte: str) -> str:
    """A text without accents nor case, for the SQLite fallback (« Équipes » → « equipes »)."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


# --- The back office -------------------------------------------------------------------------------------------


def _fiches() -> QuerySet[FichePratique]:
    return FichePratique.objects.select_related("collectif", "departement", "convention", "consentement").annotate(
        laureat=Exists(Nomination.objects.filter(fiche=OuterRef("pk"), laureat=True))
    )


def fiches_visibles(user: Acteur) -> QuerySet[FichePratique]:
    """R14 (the rule of `permissions.fiches.can_voir_fiche`): public sheets; every sheet of the collectifs whose
    référent or accompagnateur the user is; the sheets proposed or further of the départements the user
    instructs; all of those for national staff."""
    publiques = Q(etat__in=FICHE_PUBLIQUE)
    if not connecte(user):
        return _fiches().filter(publiques)
    ecrits = Collectif.objects.filter(
        Q(referents=user) | Q(affectations__fin__isnull=True, affectations__accompagnateur__user=user)
    ).values("pk")
    portee = publiques | Q(collectif__in=ecrits)
    if est_equipe_nationale(user):
        portee |= ~Q(etat=EtatFiche.BROUILLON)
    else:
        portee |= ~Q(etat=EtatFiche.BROUILLON) & Q(departement__instructeurs__user=user)
    return _fiches().filter(pk__in=FichePratique.objects.filter(portee).values("pk"))


def fiche_apres_action(pk: int) -> FichePratique:
    """A sheet as it stands after an action of the user (who may no longer see it: a returned sheet is a draft
    again, hidden from the instructeur who returned it)."""
    return _fiches().prefetch_related("themes").get(pk=pk)


def fiches_du_collectif(collectif: Collectif) -> QuerySet[FichePratique]:
    """R14: a collectif's sheets, newest first (its référents' and accompagnateur's list)."""
    return _fiches().filter(collectif=collectif).order_by("-modifiee_le", "-pk")


def fiches_du_departement(departement_code: str, etat: str | None = None) -> QuerySet[FichePratique]:
    """R14: the sheets of a département that left the collectif's hands (proposed first, to examine)."""
    qs = _fiches().filter(departement_id=departement_code).exclude(etat=EtatFiche.BROUILLON)
    if etat:
        qs = qs.filter(etat=etat)
    ordre = Case(When(etat=EtatFiche.PROPOSEE, then=Value(0)), default=Value(1))
    return qs.order_by(ordre, F("proposee_le").desc(nulls_last=True), "-pk")


def fiches_nationales(etat: str | None = None) -> QuerySet[FichePratique]:
    """R14: the published sheets of every département, to retain, and those already retained."""
    qs = _fiches().filter(etat__in=FICHE_PUBLIQUE)
    if etat:
        qs = qs.filter(etat=etat)
    ordre = Case(When(etat=EtatFiche.PUBLIEE, then=Value(0)), default=Value(1))
    return qs.order_by(ordre, F("publiee_le").desc(nulls_last=True), "-pk")


def convention_de_la_fiche(collectif: Collectif) -> Convention | None:
    """R14, SPEC §5: the convention whose cycle a sheet closes: the collectif's latest convention still running."""
    return (
        Convention.objects.filter(declaration__collectif=collectif, etat__in=CONVENTION_EN_COURS)
        .order_by("-date_debut", "-pk")
        .first()
    )


# --- Closing the three-year cycle (SPEC §5) ---------------------------------------------------------------------


def ce_qui_manque_pour_cloturer(convention: Convention) -> list[str]:
    """SPEC §5, R14: what a convention still misses to close: it is a collectif's, active, its year-3 check-in is
    validated, and a practice sheet of the collectif has been proposed (or published, or retained). Empty when it
    can close (or is already closed)."""
    if convention.etat == EtatConvention.CLOTUREE:
        return []
    if convention.declaration_id is None:
        return ["Seule la convention triannuelle d'un collectif se clôture à la fin de son cycle de trois ans."]
    manques: list[str] = []
    if convention.etat != EtatConvention.ACTIVE:
        manques.append(
            f"La convention est {convention.get_etat_display().lower()} : seule une convention active se clôture."
        )
    bilan = BilanAnnuel.objects.filter(convention=convention, rang=RANG_DERNIER_BILAN).first()
    if bilan is None:
        manques.append("Le bilan de l'année 3 n'est pas encore prévu : la convention doit d'abord être signée.")
    elif bilan.etat != EtatBilan.VALIDE:
        manques.append(
            f"Le bilan de l'année 3 doit être validé par le département (il est {bilan.get_etat_display().lower()})."
        )
    proposee = FichePratique.objects.filter(
        collectif__declarations__convention=convention, etat__in=(EtatFiche.PROPOSEE, *FICHE_PUBLIQUE)
    ).exists()
    if not proposee:
        manques.append("Le collectif doit proposer sa fiche pratique au département.")
    return manques


# --- The public catalogue -------------------------------------------------------------------------------------


def fiches_publiques_toutes() -> QuerySet[FichePratique]:
    """R14: the public sheets (published or retained), for their page and PDF: any other gives 404."""
    return _fiches().filter(etat__in=FICHE_PUBLIQUE)


def themes() -> QuerySet[Theme]:
    return Theme.objects.order_by("ordre", "libelle")


def departements_du_catalogue() -> list[tuple[str, str]]:
    """The départements that have public sheets, as (code, « Nom (code) »), for the catalogue's filter."""
    lignes = (
        FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE)
        .values_list("departement__code", "departement__nom")
        .distinct()
        .order_by("departement__code")
    )
    return [(code, f"{nom} ({code})") for code, nom in lignes]


def annees_du_catalogue() -> list[int]:
    return list(
        FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE)
        .values_list("annee", flat=True)
        .distinct()
        .order_by("-annee")
    )


@dataclass(frozen=True)
class Criteres:
    """What a visitor searches the catalogue for: words, a theme (code), a département (code), a year."""

    q: str = ""
    theme: str = ""
    departement: str = ""
    annee: int | None = None


class Plier(models.Func):
    """`mutualisation_plier(text)`: lower case without accents, IMMUTABLE (so it can be indexed); PostgreSQL only,
    made by migration 0003_fiches_recherche."""

    function = "mutualisation_plier"
    output_field = models.TextField()


class TitreProche(models.Func):
    """`mutualisation_plier(titre) %> mutualisation_plier(query)`: the query is close to a word or a run of words
    of the title (pg_trgm word similarity above `pg_trgm.word_similarity_threshold`); uses the trigram index."""

    template = "%(expressions)s"
    arg_joiner = " %%> "
    output_field = models.BooleanField()


class SimilariteTitre(models.Func):
    """`word_similarity(mutualisation_plier(query), mutualisation_plier(titre))`, to order the typo matches."""

    function = "word_similarity"
    output_field = models.FloatField()


def _filtrer(qs: QuerySet[FichePratique], criteres: Criteres) -> QuerySet[FichePratique]:
    if criteres.theme:
        qs = qs.filter(
            Exists(Theme.fiches.through.objects.filter(fichepratique_id=OuterRef("pk"), theme__code=criteres.theme))
        )
    if criteres.departement:
        qs = qs.filter(departement_id=criteres.departement)
    if criteres.annee:
        qs = qs.filter(annee=criteres.annee)
    return qs


def _texte_extrait() -> Concat:
    return Concat(
        "resume",
        Value(" "),
        "demarche",
        Value(" "),
        "contexte",
        Value(" "),
        "difficultes",
        output_field=models.TextField(),
    )


def _titres_proches(qs: QuerySet[FichePratique], q: str) -> list[int]:
    """The sheets whose folded title is close to the query (typos). pg_trgm's threshold is a setting: it is set for
    this transaction only (SET LOCAL), so that the `%>` operator, which the trigram index serves, applies it."""
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(SEUIL_PROCHE)])
        return list(
            qs.filter(TitreProche(Plier(F("titre")), Plier(Value(q))))
            .order_by()
            .values_list("pk", flat=True)[:PROCHES_MAX]
        )


def _recherche_postgresql(qs: QuerySet[FichePratique], q: str) -> QuerySet[FichePratique]:
    requete = SearchQuery(q, search_type="websearch", config=CONFIG_RECHERCHE)
    proches = _titres_proches(qs, q)
    return (
        qs.filter(Q(recherche=requete) | Q(pk__in=proches))
        .annotate(
            plein_texte=models.ExpressionWrapper(Q(recherche=requete), output_field=models.BooleanField()),
            rang=SearchRank(F("recherche"), requete),
            similarite=SimilariteTitre(Plier(Value(q)), Plier(F("titre"))),
            extrait_brut=SearchHeadline(
                _texte_extrait(),
                requete,
                config=CONFIG_RECHERCHE,
                start_sel=DEBUT_MARQUE,
                stop_sel=FIN_MARQUE,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-plein_texte", "-rang", "-similarite", F("publiee_le").desc(nulls_last=True), "-pk")
    )


def _mots(q: str) -> list[str]:
    return [m for m in re.split(r"[^\w]+", plier(q)) if m]


def _recherche_simple(qs: QuerySet[FichePratique], q: str) -> QuerySet[FichePratique]:
    """SQLite: every folded word of the query in the folded text (a trailing plural « s » or « x » is dropped, so
    « équipes » finds « équipe »). Titles that match come first."""
    mots = [m[:-1] if len(m) > 3 and m[-1] in "sx" else m for m in _mots(q)]
    if not mots:
        return qs
    champs = ("titre", "resume", "territoire", "contexte", "demarche", "difficultes", "ressources", "paroles_habitants")
    lignes = qs.order_by().values_list("pk", *champs)
    libelles: dict[int, list[str]] = {}
    for fiche_id, libelle in Theme.fiches.through.objects.filter(
        fichepratique__in=qs.order_by().values("pk")
    ).values_list("fichepratique_id", "theme__libelle"):
        libelles.setdefault(fiche_id, []).append(libelle)
    trouvees, par_titre = [], []
    for pk, titre, *parties in lignes:
        texte = plier(" ".join([titre, *parties, *libelles.get(pk, [])]))
        if all(m in texte for m in mots):
            trouvees.append(pk)
            if all(m in plier(titre) for m in mots):
                par_titre.append(pk)
    ordre = Case(When(pk__in=par_titre, then=Value(0)), default=Value(1))
    return (
        qs.filter(pk__in=trouvees)
        .annotate(ordre_titre=ordre)
        .order_by("ordre_titre", F("publiee_le").desc(nulls_last=True), "-pk")
    )


def fiches_publiques(
    q: str = "", theme: str = "", departement: str = "", annee: int | None = None
) -> QuerySet[FichePratique]:
    """R14: the public catalogue (published and retained sheets only), filtered by theme, département and year
    (combined), searched by words when `q` is given (ranked; typo-tolerant on PostgreSQL), newest first otherwise.
    On PostgreSQL each row carries `extrait_brut` (see `extrait`)."""
    criteres = Criteres(q=q.strip()[:LONGUEUR_REQUETE], theme=theme, departement=departement, annee=annee)
    qs = _filtrer(fiches_publiques_toutes(), criteres).prefetch_related("themes")
    if not criteres.q:
        return qs.order_by(F("publiee_le").desc(nulls_last=True), "-pk")
    if est_postgresql():
        return _recherche_postgresql(qs, criteres.q)
    return _recherche_simple(qs, criteres.q)


def extrait(fiche: Any) -> SafeString | None:
    """The highlighted extract of a search result (PostgreSQL): the sheet's text escaped, the matched words in
    <mark>. None without a search (or on SQLite): the page then shows the summary."""
    brut = getattr(fiche, "extrait_brut", None)
    if not brut or DEBUT_MARQUE not in brut:
        return None
    return mark_safe(escape(brut).replace(DEBUT_MARQUE, "<mark>").replace(FIN_MARQUE, "</mark>"))  # noqa: S308
