"""The bench's measurements: the key back-office pages and API lists, for a one-département instructeur and for
national staff, on the national dataset (alias "default") and on the one-département dataset (alias "loire"),
interleaved in one process; and for each page « the floor »: the raw SQL that returns the rows of its first page
(the same rows, with the same joins), timed the same way.

Used by `manage.py banc_mesurer` (wall time, both databases, `config.settings.banc`) and by tests/test_banc.py
(processor time, one test database). Every figure is in milliseconds."""

from __future__ import annotations

import datetime
import json
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from campagnes.models import Campagne
from collectifs.enums import ETATS_DECIDES, EtatDeclaration
from collectifs.models import Collectif, Declaration, Indicateur, Membre
from comptes.models import Instructeur, User
from demo.banc.routeur import sur
from fonds.enums import GestionFonds
from fonds.models import Convention, EcritureFonds, Fonds, Tranche, Versement
from instances.models import InstanceDepartementale, Seance
from mutualisation.enums import FICHE_PUBLIQUE
from mutualisation.models import FichePratique, RapportNational, SyntheseDepartementale
from mutualisation.services.rapports import rapport_lancer
from territoires.models import Departement
from workflow.flows import STATUTS_ACTIFS, DeclarationFlow

# The datasets: (name shown in the table, database alias).
JEUX: tuple[tuple[str, str], ...] = (("national", "default"), ("Loire", "loire"))
TAILLE_PAGE = 50
TAILLE_PAGE_CATALOGUE = 20  # mutualisation.views.catalogue.PAR_PAGE

Plancher = Callable[[CursorWrapper, "Contexte"], None]


@dataclass(frozen=True)
class Role:
    nom: str
    email: str
    national: bool


ROLES: tuple[Role, ...] = (
    Role("instructeur Loire", "instructeur.42@banc.invalid", national=False),
    Role("équipe nationale", "national@banc.invalid", national=True),
)


@dataclass(frozen=True)
class Contexte:
    """Who asks, on which database, and what the page's URL was built from (a fund's pk, a report's year)."""

    alias: str
    user_id: int
    national: bool
    parametres: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cible:
    url: str
    parametres: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    nom: str
    cible: Callable[[Contexte], Cible | None]
    plancher: Plancher | None = None


# --- The floors: one function per page, raw SQL through the routed alias's cursor ---------------------------------
# The SQL is written once per page below; `{tables}` are filled from the models' db_table, `{portee}` is the user's
# départements (`_portee`), `{n}` a list of placeholders. No value from outside goes into the text: they are
# parameters.

TABLES: dict[str, Any] = {
    "declaration": Declaration,
    "collectif": Collectif,
    "departement": Departement,
    "campagne": Campagne,
    "indicateur": Indicateur,
    "membre": Membre,
    "tache": Task,
    "utilisateur": User,
    "instructeur": Instructeur,
    "instructeur_departements": Instructeur.departements.through,
    "adhesion": Declaration._meta.get_field("adhesion_charte").related_model,
    "instance": InstanceDepartementale,
    "seance": Seance,
    "point": Seance._meta.get_field("points").related_model,
    "fonds": Fonds,
    "ecriture": EcritureFonds,
    "convention": Convention,
    "tranche": Tranche,
    "versement": Versement,
    "fiche": FichePratique,
    "rapport": RapportNational,
}

PORTEE = (
    "{colonne} IN (SELECT r.departement_id FROM {instructeur_departements} r "
    "JOIN {instructeur} i ON i.id = r.instructeur_id WHERE i.user_id = %s)"
)

SQL_INSTRUCTION = """
SELECT d.id, d.etat, d.deposee_le, c.nom, dep.code, dep.nom, camp.annee, camp.etat, COUNT(*) OVER ()
FROM {declaration} d
JOIN {collectif} c ON c.id = d.collectif_id
JOIN {departement} dep ON dep.code = c.departement_id
LEFT JOIN {campagne} camp ON camp.id = d.campagne_id
WHERE d.etat NOT IN ({n}) AND {portee}
ORDER BY d.deposee_le, d.id LIMIT {taille}"""

SQL_TACHES = """
SELECT t.id, t.owner_id, t.created, t.data, t.status, u.email, u.prenom, u.nom, d.id, d.etat, d.deposee_le, c.nom,
    dep.code, dep.nom, camp.etat, camp.delai_instruction_jours,
    CASE WHEN t.owner_id = %s THEN 0 WHEN t.owner_id IS NULL THEN 1 ELSE 2 END AS section,
    COUNT(*) OVER (), SUM(CASE WHEN t.owner_id = %s THEN 1 ELSE 0 END) OVER (),
    SUM(CASE WHEN t.owner_id IS NULL THEN 1 ELSE 0 END) OVER ()
FROM {tache} t
JOIN workflow_processusdeclaration p ON p.process_ptr_id = t.process_id
JOIN {declaration} d ON d.id = p.declaration_id
JOIN {collectif} c ON c.id = d.collectif_id
JOIN {departement} dep ON dep.code = c.departement_id
LEFT JOIN {campagne} camp ON camp.id = d.campagne_id
LEFT JOIN {utilisateur} u ON u.id = t.owner_id
WHERE t.flow_task = %s AND t.status IN ({n}) AND {portee}
ORDER BY section, d.deposee_le, t.id LIMIT {taille}"""

SQL_API_DECLARATIONS = """
SELECT d.id, d.etat, d.projet, d.dynamique_preexistante, d.additionnalite, d.deposee_le, d.cree_le, d.modifiee_le,
    c.nom, c.departement_id, camp.annee, camp.delai_instruction_jours, a.id, COUNT(*) OVER ()
FROM {declaration} d
JOIN {collectif} c ON c.id = d.collectif_id
LEFT JOIN {campagne} camp ON camp.id = d.campagne_id
LEFT JOIN {adhesion} a ON a.id = d.adhesion_charte_id
WHERE d.etat <> %s AND {portee}
ORDER BY d.cree_le DESC, d.id DESC LIMIT {taille}"""

SQL_INDICATEURS = """
SELECT i.id, i.declaration_id, i.libelle, i.description, i.nature, i.ordre FROM {indicateur} i
WHERE i.declaration_id IN ({n}) ORDER BY i.declaration_id, i.ordre"""

SQL_COLLECTIFS = """
WITH page AS (
    SELECT c.id, c.nom, c.departement_id, dep.nom AS departement, COUNT(*) OVER () AS total
    FROM {collectif} c JOIN {departement} dep ON dep.code = c.departement_id
    WHERE {portee} ORDER BY c.nom, c.id LIMIT {taille})
SELECT page.*,
    (SELECT COUNT(*) FROM {membre} m WHERE m.collectif_id = page.id AND m.date_debut <= %s
        AND (m.date_fin IS NULL OR m.date_fin >= %s)),
    (SELECT d.etat FROM {declaration} d WHERE d.collectif_id = page.id AND d.etat <> %s
        ORDER BY d.deposee_le DESC, d.id DESC LIMIT 1)
FROM page ORDER BY page.nom, page.id"""

SQL_CAMPAGNES = """
WITH page AS (
    SELECT camp.id, camp.annee, camp.etat, camp.quota, camp.date_ouverture, camp.date_cloture, dep.code, dep.nom,
        COUNT(*) OVER () AS total
    FROM {campagne} camp JOIN {departement} dep ON dep.code = camp.departement_id
    WHERE {portee} ORDER BY camp.annee DESC, dep.code, camp.id LIMIT {taille})
SELECT page.*, (SELECT COUNT(*) FROM {declaration} d WHERE d.campagne_id = page.id AND d.etat NOT IN (%s, %s))
FROM page ORDER BY page.annee DESC, page.code, page.id"""

SQL_INSTANCES = """
SELECT i.id, i.nom, dep.code, dep.nom FROM {instance} i JOIN {departement} dep ON dep.code = i.departement_id
WHERE {portee} ORDER BY dep.code"""

SQL_API_SEANCES = """
WITH page AS (
    SELECT s.id, s.date, s.lieu, s.etat, s.cloturee_le, s.campagne_id, s.president_id, i.nom, i.departement_id,
        COUNT(*) OVER () AS total
    FROM {seance} s JOIN {instance} i ON i.id = s.instance_id
    WHERE {portee} ORDER BY s.date DESC, s.id DESC LIMIT {taille})
SELECT page.*, (SELECT COUNT(*) FROM {point} p WHERE p.seance_id = page.id)
FROM page ORDER BY page.date DESC, page.id DESC"""

SQL_FONDS = "SELECT id, nom, gestion, departement_id FROM {fonds} WHERE id = %s"
SQL_FONDS_ANNEES = """
SELECT annee, compte, SUM(montant) FROM {ecriture} WHERE fonds_id = %s
GROUP BY annee, compte ORDER BY annee, compte"""

SQL_CONVENTIONS = """
SELECT cv.id, cv.beneficiaire, cv.objet, cv.etat, cv.date_debut, cv.date_fin, cv.departement_id, cv.creee_le,
    COUNT(*) OVER ()
FROM {convention} cv WHERE {portee} ORDER BY cv.creee_le DESC, cv.id DESC LIMIT {taille}"""

SQL_TRANCHES = """
SELECT t.id, t.convention_id, t.rang, t.annee, t.montant, t.etat FROM {tranche} t
WHERE t.convention_id IN ({n}) ORDER BY t.convention_id, t.rang"""

SQL_VERSEMENTS = """
SELECT v.id, v.date_versement, v.montant, v.reference_bancaire, t.annee, t.rang, cv.id, cv.beneficiaire,
    cv.departement_id, COUNT(*) OVER ()
FROM {versement} v JOIN {tranche} t ON t.id = v.tranche_id JOIN {convention} cv ON cv.id = t.convention_id
WHERE {portee} ORDER BY v.date_versement DESC, v.id DESC LIMIT {taille}"""

SQL_CATALOGUE = """
SELECT f.id, f.titre, f.resume, f.annee, f.territoire, f.departement_id, f.publiee_le, COUNT(*) OVER ()
FROM {fiche} f WHERE f.etat IN ({n})
ORDER BY f.publiee_le DESC NULLS LAST, f.id DESC LIMIT {taille}"""

SQL_RAPPORT = "SELECT id, annee, chiffres, departements_manquants, genere_le FROM {rapport} WHERE annee = %s"


def _sql(gabarit: str, **morceaux: Any) -> str:
    """The statement: table names from the models, then the given fragments (placeholders, scope, page size)."""
    tables = {nom: modele._meta.db_table for nom, modele in TABLES.items()}
    return gabarit.format(**tables, **morceaux)


def _n(valeurs: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(valeurs))


def _portee(colonne: str, ctx: Contexte, *, toujours: bool = False) -> tuple[str, list[Any]]:
    """The user's départements: every one for national staff (unless `toujours`: the task list is scoped by the
    départements one instructs, whoever asks)."""
    if ctx.national and not toujours:
        return "1 = 1", []
    return _sql(PORTEE, colonne=colonne), [ctx.user_id]


def _executer(cursor: CursorWrapper, sql: str, parametres: Sequence[Any]) -> list[tuple[Any, ...]]:
    cursor.execute(sql, list(parametres))
    return list(cursor.fetchall())


def plancher_instruction(cursor: CursorWrapper, ctx: Contexte) -> None:
    exclus = [EtatDeclaration.BROUILLON.value, *[str(e) for e in ETATS_DECIDES]]
    portee, params = _portee("c.departement_id", ctx)
    _executer(cursor, _sql(SQL_INSTRUCTION, n=_n(exclus), portee=portee, taille=TAILLE_PAGE), [*exclus, *params])


def plancher_taches(cursor: CursorWrapper, ctx: Contexte) -> None:
    flow_task = Task._meta.get_field("flow_task").get_prep_value(DeclarationFlow.instruction)
    statuts = [str(s) for s in STATUTS_ACTIFS]
    portee, params = _portee("c.departement_id", ctx, toujours=True)
    _executer(
        cursor,
        _sql(SQL_TACHES, n=_n(statuts), portee=portee, taille=TAILLE_PAGE),
        [ctx.user_id, ctx.user_id, flow_task, *statuts, *params],
    )


def plancher_api_declarations(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("c.departement_id", ctx)
    lignes = _executer(
        cursor,
        _sql(SQL_API_DECLARATIONS, portee=portee, taille=TAILLE_PAGE),
        [EtatDeclaration.BROUILLON.value, *params],
    )
    if ids := [ligne[0] for ligne in lignes]:
        _executer(cursor, _sql(SQL_INDICATEURS, n=_n(ids)), ids)


def plancher_collectifs(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("c.departement_id", ctx)
    jour = datetime.date.today()  # noqa: DTZ011
    _executer(
        cursor,
        _sql(SQL_COLLECTIFS, portee=portee, taille=TAILLE_PAGE),
        [*params, jour, jour, EtatDeclaration.BROUILLON.value],
    )


def plancher_campagnes(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("camp.departement_id", ctx)
    _executer(
        cursor,
        _sql(SQL_CAMPAGNES, portee=portee, taille=TAILLE_PAGE),
        [*params, EtatDeclaration.BROUILLON.value, EtatDeclaration.RETIREE.value],
    )


def plancher_instances(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("i.departement_id", ctx)
    _executer(cursor, _sql(SQL_INSTANCES, portee=portee), params)


def plancher_api_seances(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("i.departement_id", ctx)
    _executer(cursor, _sql(SQL_API_SEANCES, portee=portee, taille=TAILLE_PAGE), params)


def plancher_fonds(cursor: CursorWrapper, ctx: Contexte) -> None:
    pk = ctx.parametres["fonds"]
    _executer(cursor, _sql(SQL_FONDS), [pk])
    _executer(cursor, _sql(SQL_FONDS_ANNEES), [pk])


def plancher_conventions(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("cv.departement_id", ctx)
    lignes = _executer(cursor, _sql(SQL_CONVENTIONS, portee=portee, taille=TAILLE_PAGE), params)
    if ids := [ligne[0] for ligne in lignes]:
        _executer(cursor, _sql(SQL_TRANCHES, n=_n(ids)), ids)


def plancher_versements(cursor: CursorWrapper, ctx: Contexte) -> None:
    portee, params = _portee("cv.departement_id", ctx)
    _executer(cursor, _sql(SQL_VERSEMENTS, portee=portee, taille=TAILLE_PAGE), params)


def plancher_catalogue(cursor: CursorWrapper, ctx: Contexte) -> None:
    etats = [str(e) for e in FICHE_PUBLIQUE]
    _executer(cursor, _sql(SQL_CATALOGUE, n=_n(etats), taille=TAILLE_PAGE_CATALOGUE), etats)


def plancher_rapport(cursor: CursorWrapper, ctx: Contexte) -> None:
    _executer(cursor, _sql(SQL_RAPPORT), [ctx.parametres["annee"]])


# --- The pages -------------------------------------------------------------------------------------------------


def _url(nom: str) -> Callable[[Contexte], Cible | None]:
    return lambda _ctx: Cible(reverse(nom))


def _fonds_national(_ctx: Contexte) -> Cible | None:
    fonds = Fonds.objects.filter(gestion=GestionFonds.NATIONALE).order_by("pk").first()
    return Cible(reverse("fonds:fonds", args=[fonds.pk]), {"fonds": fonds.pk}) if fonds else None


def _rapport_national(_ctx: Contexte) -> Cible | None:
    rapport = RapportNational.objects.filter(genere_le__isnull=False).order_by("-annee").first()
    return Cible(reverse("mutualisation:rapport", args=[rapport.annee]), {"annee": rapport.annee}) if rapport else None


PAGES: tuple[Page, ...] = (
    Page("Déclarations à instruire", _url("collectifs:instruction"), plancher_instruction),
    Page("Tâches d’instruction", _url("workflow:taches"), plancher_taches),
    Page("API déclarations", _url("declaration-list"), plancher_api_declarations),
    Page("Collectifs", _url("collectifs:collectifs"), plancher_collectifs),
    Page("Campagnes", _url("campagnes:campagnes"), plancher_campagnes),
    Page("Instances", _url("instances:instances"), plancher_instances),
    Page("API séances", _url("seance-list"), plancher_api_seances),
    Page("Fonds national", _fonds_national, plancher_fonds),
    Page("Conventions", _url("fonds:conventions"), plancher_conventions),
    Page("Versements", _url("fonds:versements"), plancher_versements),
    Page("Catalogue des pratiques", _url("mutualisation:catalogue"), plancher_catalogue),
    Page("Rapport national", _rapport_national, plancher_rapport),
    Page("Tableau de bord", _url("tableau_de_bord")),
)


def rapport_national_preparer() -> int | None:
    """Launch the national report of the syntheses' latest year through its service, unless one exists, so that
    the report page has figures to show; under `config.settings.banc` (and in tests) its job runs at once. On the
    database of alias "default" (`scripts/bench.sh` calls it once per dataset). Returns the year, if any."""
    annee = SyntheseDepartementale.objects.order_by("-annee").values_list("annee", flat=True).first()
    national = User.objects.filter(email=ROLES[1].email).first()
    if annee is None or national is None or RapportNational.objects.filter(annee=annee).exists():
        return annee
    rapport_lancer(acteur=national, annee=annee)
    return annee


# --- Measuring -------------------------------------------------------------------------------------------------


@dataclass
class Mesure:
    """One (page, role, dataset) pair: its query count and its timings (seconds), or why it was not measured."""

    page: str
    role: str
    jeu: str
    alias: str
    url: str = ""
    statut: int | None = None
    requetes: int | None = None
    remarque: str = ""
    temps: list[float] = field(default_factory=list)
    planchers: list[float] = field(default_factory=list)
    # Not measured (and why), for the table.
    ignoree: bool = False

    # Filled by the measurement, used by `_tour`.
    client: Client | None = field(default=None, repr=False, compare=False)
    contexte: Contexte | None = field(default=None, repr=False, compare=False)
    plancher: Plancher | None = field(default=None, repr=False, compare=False)


def percentile(valeurs: Sequence[float], rang: float) -> float:
    """Nearest-rank percentile (p95: the value 95 % of the runs do not exceed)."""
    triees = sorted(valeurs)
    return triees[max(0, math.ceil(rang / 100 * len(triees)) - 1)]


def _clients(roles: Sequence[Role], jeux: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[Client, int]]:
    """A logged-in test client per role and dataset (the session is written to that dataset's database)."""
    clients = {}
    for role in roles:
        for _jeu, alias in jeux:
            with sur(alias):
                user = User.objects.filter(email=role.email).first()
                if user is None:
                    continue
                client = Client()
                client.force_login(user)
                clients[(role.nom, alias)] = (client, user.pk)
    return clients


def _preparer(mesure: Mesure, page: Page, client: Client, contexte: Contexte) -> None:
    """Build the URL, send the request once counting its queries; a page that does not answer 200 to this role is
    not measured (the table says why)."""
    with sur(mesure.alias):
        cible = page.cible(contexte)
        if cible is None:
            mesure.ignoree, mesure.remarque = True, "pas de données pour cette page"
            return
        mesure.url = cible.url
        autres = [alias for alias in connections if alias != mesure.alias]
        captures = {alias: CaptureQueriesContext(connections[alias]) for alias in autres}
        for capture in captures.values():
            capture.__enter__()
        try:
            with CaptureQueriesContext(connections[mesure.alias]) as requetes:
                reponse = client.get(cible.url)
        finally:
            for capture in captures.values():
                capture.__exit__(None, None, None)
    mesure.statut = reponse.status_code
    if reponse.status_code != 200:
        mesure.ignoree, mesure.remarque = True, f"non mesurée : réponse {reponse.status_code} pour ce rôle"
        return
    mesure.requetes = len(requetes)
    fuites = {alias: len(c) for alias, c in captures.items() if len(c)}
    if fuites:
        # With two databases, a query sent to the other alias would mean that something bypasses the router.
        mesure.remarque = ", ".join(f"{n} requête(s) sur « {alias} »" for alias, n in fuites.items())
    mesure.client = client
    mesure.contexte = Contexte(mesure.alias, contexte.user_id, contexte.national, cible.parametres)
    mesure.plancher = page.plancher


def _tour(mesures: Sequence[Mesure], horloge: Callable[[], float], *, garder: bool) -> None:
    """One round: every pair once, page then floor, in the table's order (datasets alternate)."""
    for mesure in mesures:
        assert mesure.client is not None and mesure.contexte is not None
        with sur(mesure.alias):
            debut = horloge()
            mesure.client.get(mesure.url)
            duree = horloge() - debut
            if garder:
                mesure.temps.append(duree)
            if mesure.plancher is not None:
                with connections[mesure.alias].cursor() as cursor:
                    debut = horloge()
                    mesure.plancher(cursor, mesure.contexte)
                    duree = horloge() - debut
                if garder:
                    mesure.planchers.append(duree)


def mesurer(
    *,
    pages: Sequence[Page] = PAGES,
    roles: Sequence[Role] = ROLES,
    jeux: Sequence[tuple[str, str]] = JEUX,
    repetitions: int = 30,
    chauffe: int = 3,
    horloge: Callable[[], float] = time.perf_counter,
    progression: Callable[[str], None] = lambda _m: None,
) -> list[Mesure]:
    """Measure every (page, role, dataset) pair, interleaved: `chauffe` warm-up rounds, then `repetitions` rounds
    kept. A pair whose page does not answer 200 (the role may not see it) is listed, not measured."""
    clients = _clients(roles, jeux)
    mesures: list[Mesure] = []
    for page in pages:
        for role in roles:
            for jeu, alias in jeux:
                mesure = Mesure(page=page.nom, role=role.nom, jeu=jeu, alias=alias)
                mesures.append(mesure)
                if (role.nom, alias) not in clients:
                    mesure.ignoree, mesure.remarque = True, f"compte {role.email} absent de ce jeu"
                    continue
                client, user_id = clients[(role.nom, alias)]
                _preparer(mesure, page, client, Contexte(alias, user_id, role.national))
    mesurees = [m for m in mesures if not m.ignoree]
    progression(f"{len(mesurees)} couples page × rôle × jeu mesurés, {len(mesures) - len(mesurees)} non mesurés")
    for rang in range(chauffe):
        progression(f"Chauffe {rang + 1}/{chauffe}")
        _tour(mesurees, horloge, garder=False)
    for rang in range(repetitions):
        if rang % 10 == 0:
            progression(f"Tour {rang + 1}/{repetitions}")
        _tour(mesurees, horloge, garder=True)
    return mesures


# --- The table -------------------------------------------------------------------------------------------------

COLONNES = (
    "page",
    "rôle",
    "jeu",
    "requêtes",
    "médiane ms",
    "p95 ms",
    "plancher p95 ms",
    "page ÷ plancher",
    "national ÷ Loire",
    "remarque",
)


def lignes(mesures: Sequence[Mesure]) -> list[dict[str, Any]]:
    """One dict per pair, figures in milliseconds (the JSON twin's rows)."""
    p95 = {(m.page, m.role, m.jeu): percentile(m.temps, 95) for m in mesures if m.temps}
    resultat = []
    for m in mesures:
        ligne: dict[str, Any] = {
            "page": m.page,
            "role": m.role,
            "jeu": m.jeu,
            "url": m.url,
            "statut": m.statut,
            "requetes": m.requetes,
            "mediane_ms": None,
            "p95_ms": None,
            "plancher_p95_ms": None,
            "page_sur_plancher": None,
            "national_sur_loire": None,
            "remarque": m.remarque,
        }
        if m.temps:
            ligne["mediane_ms"] = statistics.median(m.temps) * 1000
            ligne["p95_ms"] = p95[(m.page, m.role, m.jeu)] * 1000
        if m.planchers:
            ligne["plancher_p95_ms"] = percentile(m.planchers, 95) * 1000
            if ligne["plancher_p95_ms"] > 0 and ligne["p95_ms"] is not None:
                ligne["page_sur_plancher"] = ligne["p95_ms"] / ligne["plancher_p95_ms"]
        loire = p95.get((m.page, m.role, JEUX[1][0]))
        if m.jeu == JEUX[0][0] and m.temps and loire:
            ligne["national_sur_loire"] = p95[(m.page, m.role, m.jeu)] / loire
        resultat.append(ligne)
    return resultat


def _nombre(valeur: float | None, chiffres: int = 1) -> str:
    return "—" if valeur is None else f"{valeur:.{chiffres}f}".replace(".", ",")


def tableau(rangees: Sequence[dict[str, Any]]) -> str:
    """The markdown table."""
    entete = "| " + " | ".join(COLONNES) + " |"
    separateur = "|" + "|".join(["---"] * 3 + ["---:"] * 6 + ["---"]) + "|"
    corps = [
        "| "
        + " | ".join(
            [
                ligne["page"],
                ligne["role"],
                ligne["jeu"],
                "—" if ligne["requetes"] is None else str(ligne["requetes"]),
                _nombre(ligne["mediane_ms"]),
                _nombre(ligne["p95_ms"]),
                _nombre(ligne["plancher_p95_ms"]),
                _nombre(ligne["page_sur_plancher"]),
                _nombre(ligne["national_sur_loire"], 2),
                ligne["remarque"],
            ]
        )
        + " |"
        for ligne in rangees
    ]
    return "\n".join([entete, separateur, *corps])


def volumes(jeux: Sequence[tuple[str, str]] = JEUX) -> dict[str, dict[str, int]]:
    """The size of each dataset (for the report's header)."""
    modeles = {"départements": Departement, "collectifs": Collectif, "membres": Membre, "déclarations": Declaration}
    resultat = {}
    for jeu, alias in jeux:
        with sur(alias):
            resultat[jeu] = {
                "départements avec collectifs": Collectif.objects.values("departement_id").distinct().count(),
                **{nom: modele.objects.count() for nom, modele in modeles.items() if nom != "départements"},
                "tâches": Task.objects.count(),
                "conventions": Convention.objects.count(),
            }
    return resultat


def rapport(
    mesures: Sequence[Mesure], *, repetitions: int, chauffe: int, date: datetime.datetime
) -> tuple[str, dict[str, Any]]:
    """The markdown report and its JSON twin."""
    rangees = lignes(mesures)
    tailles = volumes()
    moteur = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    entete = [
        f"# Banc d’essai du {date:%d/%m/%Y à %H:%M}",
        "",
        f"{repetitions} requêtes par couple après {chauffe} tours de chauffe, entrelacées ; temps mur en "
        f"millisecondes ; base {moteur}. « plancher » : le SQL brut qui rend les mêmes lignes que la première page.",
        "",
        *[f"- jeu {jeu} : " + ", ".join(f"{n} {nom}" for nom, n in compte.items()) for jeu, compte in tailles.items()],
        "",
    ]
    texte = "\n".join([*entete, tableau(rangees), ""])
    jumeau = {
        "date": date.isoformat(),
        "repetitions": repetitions,
        "chauffe": chauffe,
        "volumes": tailles,
        "lignes": rangees,
    }
    return texte, jumeau


def comparer(avant: dict[str, Any], apres: Sequence[dict[str, Any]]) -> str:
    """The deltas between a previous run's JSON twin and this run's rows: query counts and p95."""
    precedentes = {(r["page"], r["role"], r["jeu"]): r for r in avant["lignes"]}
    lignes_md = [
        f"Comparaison avec le banc du {avant['date']}",
        "",
        "| page | rôle | jeu | requêtes avant → après | p95 ms avant → après | évolution p95 |",
        "|---|---|---|---:|---:|---:|",
    ]
    for ligne in apres:
        ancienne = precedentes.get((ligne["page"], ligne["role"], ligne["jeu"]))
        if ancienne is None:
            continue
        evolution = "—"
        if ancienne["p95_ms"] and ligne["p95_ms"] is not None:
            evolution = f"{(ligne['p95_ms'] / ancienne['p95_ms'] - 1) * 100:+.0f} %"
        requetes = f"{_texte(ancienne['requetes'])} → {_texte(ligne['requetes'])}"
        temps = f"{_nombre(ancienne['p95_ms'])} → {_nombre(ligne['p95_ms'])}"
        lignes_md.append(f"| {ligne['page']} | {ligne['role']} | {ligne['jeu']} | {requetes} | {temps} | {evolution} |")
    return "\n".join(lignes_md)


def _texte(valeur: Any) -> str:
    return "—" if valeur is None else str(valeur)


def ecrire_json(chemin: Any, jumeau: dict[str, Any]) -> None:
    with open(chemin, "w", encoding="utf-8") as fichier:
        json.dump(jumeau, fichier, ensure_ascii=False, indent=2)
