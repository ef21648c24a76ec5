"""Every URL and action of the instance and séance pages, for every role: 302 to login, 404 when hidden,
403 when visible but not allowed, 200/302 when allowed (SPEC §9, R5, R6).

The world (tests/instances/factories_seances.py): the Loire's instance, where Hélène Roux presides and Jean
Morel sits with an account; a Rhône instance; a séance in preparation with collectif A's declaration on its
agenda; collectif B's recevable declaration waiting for the next séance; Alex Bernard, accompagnateur of
collectif A. The séance is seen by the Loire's instructeurs, national staff and the instance's members; it is
conducted by the instructeurs (the secretariat) and the president; national staff and members only read,
except that a member declares their own conflict of interest. Référents and accompagnateurs never see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from instances.enums import EtatSeance, ResultatPoint
from instances.models import ConflitInterets, Presidence, Seance, Vote
from instances.selectors import presidence_en_cours
from tests.instances.factories_seances import MondeSeances, close, construire_monde_seances, en_seance, ouvrir, votee
from tests.vues import CONNEXION, HTML, PDF, url_connexion

ROLES = [
    "anonyme",
    "referent_a",
    "referent_b",
    "instructeur_42",
    "instructeur_autre",
    "national",
    "membre",
    "president",
    "accompagnateur",
]

CACHE = 404  # hidden: the séance and the instance do not exist for this user


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str = CACHE,
    referent_b: int | str = CACHE,
    instructeur_42: int | str,
    instructeur_autre: int | str = CACHE,
    national: int | str,
    membre: int | str,
    president: int | str,
    accompagnateur: int | str = CACHE,
) -> dict[str, int | str]:
    """One row of the matrix. By default anonymous visitors log in first, and the référents, the accompagnateur
    and the instructeur of another département do not see the Loire's instance (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "membre": membre,
        "president": president,
        "accompagnateur": accompagnateur,
    }


# Seeing the Loire's instance and séances: its instructeurs, national staff, its members.
LECTURE = attendu(instructeur_42=200, national=200, membre=200, president=200)
LECTURE_PDF = LECTURE
# Conducting a séance: the secretariat and the president; national staff and members see but may not (403).
CONDUITE = attendu(instructeur_42=302, national=403, membre=403, president=302)
CONDUCTEURS = frozenset({"instructeur_42", "president"})
# GET on a POST-only URL.
POST_SEULEMENT = {role: (CONNEXION if role == "anonyme" else 405) for role in ROLES}


@dataclass(frozen=True)
class Cas:
    """One request and what each role gets (see tests/vues.py; `suite` may depend on the role here)."""

    nom: str
    url: Callable[[MondeSeances], str]
    attendu: dict[str, int | str]
    methode: str = "get"
    donnees: Callable[[MondeSeances], dict[str, Any]] | None = None
    contenu: dict[str, tuple[str, ...]] = field(default_factory=dict)
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    suite: Callable[[MondeSeances, str], str] | None = None
    type_contenu: str = HTML
    avant: Callable[[MondeSeances], None] | None = None
    agissent: frozenset[str] | None = None
    fait: Callable[[MondeSeances], bool] | None = None


def matrice(cas: list[Cas]) -> list[Any]:
    noms = [c.nom for c in cas]
    assert len(noms) == len(set(noms)), "case names must be unique"
    for c in cas:
        assert list(c.attendu) == ROLES, f"{c.nom}: the matrix must list every role"
        for role, statut in c.attendu.items():
            if statut in (200, 422) and c.type_contenu == HTML:
                assert c.contenu.get(role), f"{c.nom}: say what {role} must see on the page"
            if statut == 302:
                assert c.suite is not None, f"{c.nom}: say where the allowed redirect goes"
        assert (c.agissent is None) == (c.fait is None), f"{c.nom}: agissent and fait go together"
        if c.agissent is not None:
            assert c.agissent <= {r for r, s in c.attendu.items() if s == 302}, f"{c.nom}: only a 302 acts"
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in cas for r in ROLES]


def verifier(cas: Cas, role: str, m: MondeSeances, client: Client) -> None:
    if cas.avant is not None:
        cas.avant(m)
    utilisateur = m.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    url = cas.url(m)
    reponse = getattr(client, cas.methode)(url, cas.donnees(m) if cas.donnees else {})
    statut = cas.attendu[role]
    if statut == CONNEXION:
        assert reponse.status_code == 302, (role, url, reponse.status_code)
        assert reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == statut, (role, url, reponse.status_code)
    if reponse.status_code in (200, 422):
        assert reponse["Content-Type"] == cas.type_contenu
        if cas.type_contenu == PDF:
            assert reponse.content.startswith(b"%PDF-")
        else:
            page = reponse.content.decode()
            for texte in cas.contenu.get(role, ()):
                assert texte in page, (role, url, texte)
            for texte in cas.absent.get(role, ()):
                assert texte not in page, (role, url, texte)
    if reponse.status_code == 302 and statut != CONNEXION:
        assert cas.suite is not None
        assert reponse["Location"] == cas.suite(m, role), (role, url)
    if cas.fait is not None:
        assert cas.agissent is not None
        assert cas.fait(m) is (role in cas.agissent), (role, url, "effect")


@pytest.fixture
def monde(distribution) -> MondeSeances:
    return construire_monde_seances(distribution)


# --- URLs ------------------------------------------------------------------------------------------------------


def _instance(vue: str) -> Callable[[MondeSeances], str]:
    return lambda m: reverse(f"instances:{vue}", args=[m.instance.pk])


def _seance(vue: str) -> Callable[[MondeSeances], str]:
    return lambda m: reverse(f"instances:{vue}", args=[m.seance.pk])


def _point(vue: str) -> Callable[[MondeSeances], str]:
    return lambda m: reverse(f"instances:{vue}", args=[m.seance.pk, m.point.pk])


def _vers_instance(m: MondeSeances, role: str) -> str:
    return reverse("instances:instance", args=[m.instance.pk])


def _vers_seance(m: MondeSeances, role: str) -> str:
    return reverse("instances:seance", args=[m.seance.pk])


def _vers_point(m: MondeSeances, role: str) -> str:
    return reverse("instances:seance", args=[m.seance.pk]) + f"#point-{m.point.pk}"


def _etat(m: MondeSeances) -> str:
    return Seance.objects.get(pk=m.seance.pk).etat


def _prefixe(m: MondeSeances) -> str:
    return f"point-{m.point.pk}"


# --- What each role sees -----------------------------------------------------------------------------------------

INSTANCE_COMMUN = (
    "Instance départementale de la Loire",
    "Présidence en cours",
    "Hélène Roux — Département de la Loire",
    "Présidence suivante proposée",
    "Jean Morel — CAF de la Loire",
    "Partenaires institutionnels (CAF, MSA, CCAS, État…)",
    "Lucie Faure — MSA Ardèche Drôme Loire · voix consultative · rang 5 dans la rotation",
    "Historique des présidences",
    "Registre des accompagnateur·rices",
    "Alex Bernard",
    "Collectif A de Montreynaud",
    "Séance du 15 mars 2027 à 14:30",
)
SEANCE_COMMUN = (
    "Séance du lundi 15 mars 2027 à 14:30",
    "Hôtel du Département, Saint-Étienne",
    "1. Collectif A de Montreynaud",
    "Voir la déclaration",
)
PREPARATION = (
    *SEANCE_COMMUN,
    "En préparation",
    "Places restantes dans la campagne : 5</strong> sur 5",
    "Quorum non atteint : 0 membre(s) votant(s) présent(s) sur 4, 3 requis.",
    "Hélène Roux — Département de la Loire",
)
EN_COURS = (
    *SEANCE_COMMUN,
    "En cours",
    "Places restantes dans la campagne : 5</strong> sur 5",
    "Quorum atteint : 4 membre(s) votant(s) présent(s) sur 4, 3 requis.",
    "0 pour, 0 contre, 0 abstention",
)
CLOSE = (
    *SEANCE_COMMUN,
    "Close",
    "Places restantes dans la campagne : 4</strong> sur 5",
    "Agrément",
    "4 pour, 0 contre, 0 abstention",
    "Télécharger le procès-verbal PV-42-2027-",
    "Télécharger la décision DEC-42-2027-",
)
ACTIONS_CONDUITE = ("Enregistrer les présences", "Enregistrer les votes", "Statuer", "Clore la séance")
CONFLIT = "Déclarer le conflit d'intérêts"
SANS_STATUER = ("Enregistrer les présences", "Enregistrer les votes", "Clore la séance")
BOUTON_STATUER = '<button type="submit" class="fr-btn fr-mt-2w">Statuer'
SANS_SUFFRAGE = "Aucun suffrage exprimé pour l'instant"


def _par_role(**textes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return textes


CAS = [
    # --- The list of instances: straight to one's own instance.
    Cas(
        "instances",
        lambda m: reverse("instances:instances"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=302,
            instructeur_autre=302,
            national=200,
            membre=302,
            president=302,
            accompagnateur=403,
        ),
        contenu=_par_role(national=("Instance départementale de la Loire", "Instance du Rhône")),
        suite=lambda m, role: reverse(
            "instances:instance", args=[(m.instance_rhone if role == "instructeur_autre" else m.instance).pk]
        ),
    ),
    # --- The instance page.
    Cas(
        "instance",
        _instance("instance"),
        LECTURE,
        contenu=_par_role(
            instructeur_42=(*INSTANCE_COMMUN, "Passer la présidence au suivant", "Préparer une séance"),
            national=INSTANCE_COMMUN,
            membre=INSTANCE_COMMUN,
            president=(*INSTANCE_COMMUN, "Préparer une séance"),
        ),
        absent=_par_role(
            national=("Passer la présidence au suivant", "Préparer une séance"),
            membre=("Passer la présidence au suivant", "Préparer une séance"),
            president=("Passer la présidence au suivant",),
        ),
    ),
    Cas(
        "instance-rhone",
        lambda m: reverse("instances:instance", args=[m.instance_rhone.pk]),
        attendu(instructeur_42=404, instructeur_autre=200, national=200, membre=404, president=404),
        contenu=_par_role(
            instructeur_autre=("Instance du Rhône", "Rémi Chabert", "Passer la présidence au suivant"),
            national=("Instance du Rhône", "Rémi Chabert"),
        ),
        absent=_par_role(instructeur_autre=("Loire",)),
    ),
    # --- The presidency rotates only through the secretariat (R6).
    Cas(
        "presidence_tourner",
        _instance("presidence_tourner"),
        attendu(instructeur_42=302, national=403, membre=403, president=403),
        methode="post",
        suite=_vers_instance,
        agissent=frozenset({"instructeur_42"}),
        fait=lambda m: presidence_en_cours(m.instance).membre.prenom == "Jean",  # type: ignore[union-attr]
    ),
    Cas("presidence_tourner-get", _instance("presidence_tourner"), POST_SEULEMENT),
    # --- Preparing a séance.
    Cas(
        "seance_nouvelle",
        _instance("seance_nouvelle"),
        attendu(instructeur_42=200, national=403, membre=403, president=200),
        contenu=_par_role(
            instructeur_42=("Préparer une séance", "Collectif B de Firminy", "Membres convoqués", "2027 (ouverte)"),
            president=("Préparer une séance", "Collectif B de Firminy"),
        ),
        absent=_par_role(instructeur_42=("Collectif A de Montreynaud",)),
    ),
    Cas(
        "seance_nouvelle-post",
        _instance("seance_nouvelle"),
        attendu(instructeur_42=302, national=403, membre=403, president=302),
        methode="post",
        donnees=lambda m: {
            "jour": "2027-04-12",
            "heure": "09:30",
            "lieu": "Maison des associations, Firminy",
            "campagne": m.campagne.pk,
            "convoques": [mb.pk for mb in m.membres.values()],
        },
        suite=lambda m, role: reverse("instances:seance", args=[Seance.objects.latest("pk").pk]),
        agissent=CONDUCTEURS,
        fait=lambda m: (
            Seance.objects.filter(lieu="Maison des associations, Firminy", points__declaration=m.declaration_b)
            .exclude(pk=m.seance.pk)
            .exists()
        ),
    ),
    # --- The séance page in each state.
    Cas(
        "seance-preparation",
        _seance("seance"),
        LECTURE,
        contenu=_par_role(
            instructeur_42=(*PREPARATION, "Ouvrir la séance", CONFLIT, ">Nadia Haddad — CCAS de Saint-Étienne ·"),
            national=PREPARATION,
            membre=(*PREPARATION, CONFLIT, ">Jean Morel — CAF de la Loire ·"),
            president=(*PREPARATION, "Ouvrir la séance", CONFLIT),
        ),
        absent=_par_role(
            national=("Ouvrir la séance", CONFLIT, *ACTIONS_CONDUITE),
            # A member declares only their own conflict: nobody else is in their list.
            membre=("Ouvrir la séance", ">Nadia Haddad — CCAS de Saint-Étienne ·", *ACTIONS_CONDUITE),
        ),
    ),
    # R5: no vote cast yet, so no decision possible: no « Statuer » button, a hint instead.
    Cas(
        "seance-en_cours",
        _seance("seance"),
        LECTURE,
        avant=en_seance,
        contenu=_par_role(
            instructeur_42=(*EN_COURS, *SANS_STATUER, SANS_SUFFRAGE, CONFLIT),
            national=EN_COURS,
            membre=(*EN_COURS, CONFLIT),
            president=(*EN_COURS, *SANS_STATUER, SANS_SUFFRAGE),
        ),
        absent=_par_role(
            instructeur_42=("Ouvrir la séance", BOUTON_STATUER),
            national=(*ACTIONS_CONDUITE, SANS_SUFFRAGE),
            membre=(*ACTIONS_CONDUITE, SANS_SUFFRAGE),
            president=(BOUTON_STATUER,),
        ),
    ),
    Cas(
        "seance-en_cours-votee",
        _seance("seance"),
        LECTURE,
        avant=votee,
        contenu=_par_role(
            instructeur_42=(*ACTIONS_CONDUITE, BOUTON_STATUER, "4 pour, 0 contre, 0 abstention"),
            national=("En cours", "4 pour, 0 contre, 0 abstention"),
            membre=("En cours", "4 pour, 0 contre, 0 abstention"),
            president=(*ACTIONS_CONDUITE, BOUTON_STATUER),
        ),
        absent=_par_role(
            instructeur_42=(SANS_SUFFRAGE,),
            national=ACTIONS_CONDUITE,
            membre=ACTIONS_CONDUITE,
        ),
    ),
    Cas(
        "seance-close",
        _seance("seance"),
        LECTURE,
        avant=close,
        contenu=dict.fromkeys(("instructeur_42", "national", "membre", "president"), CLOSE),
        absent=dict.fromkeys(("instructeur_42", "national", "membre", "president"), (*ACTIONS_CONDUITE, CONFLIT)),
    ),
    # --- Conducting the séance (R5).
    Cas(
        "seance_ouvrir",
        _seance("seance_ouvrir"),
        CONDUITE,
        methode="post",
        suite=_vers_seance,
        agissent=CONDUCTEURS,
        fait=lambda m: _etat(m) == EtatSeance.EN_COURS,
    ),
    Cas("seance_ouvrir-get", _seance("seance_ouvrir"), POST_SEULEMENT),
    Cas(
        "seance_presences",
        _seance("seance_presences"),
        CONDUITE,
        methode="post",
        avant=ouvrir,
        donnees=lambda m: {"presents": [mb.pk for mb in m.membres.values()]},
        suite=_vers_seance,
        agissent=CONDUCTEURS,
        fait=lambda m: Seance.objects.get(pk=m.seance.pk).presents.count() == 5,
    ),
    Cas("seance_presences-get", _seance("seance_presences"), POST_SEULEMENT),
    # A member declares their own conflict of interest; the conductors record anyone's.
    Cas(
        "point_conflit-soi",
        _point("point_conflit"),
        attendu(instructeur_42=302, national=403, membre=302, president=302),
        methode="post",
        donnees=lambda m: {
            f"{_prefixe(m)}-membre": m.membres["Jean"].pk,
            f"{_prefixe(m)}-commentaire": "Administrateur du centre social porteur",
        },
        suite=_vers_point,
        agissent=frozenset({"instructeur_42", "membre", "president"}),
        fait=lambda m: ConflitInterets.objects.filter(point=m.point, membre=m.membres["Jean"]).exists(),
    ),
    Cas(
        "point_conflit-autrui",
        _point("point_conflit"),
        attendu(instructeur_42=302, national=403, membre=422, president=302),
        methode="post",
        donnees=lambda m: {f"{_prefixe(m)}-membre": m.membres["Nadia"].pk},
        contenu=_par_role(membre=("Sélectionnez un choix valide",)),
        suite=_vers_point,
        agissent=CONDUCTEURS,
        fait=lambda m: ConflitInterets.objects.filter(point=m.point, membre=m.membres["Nadia"]).exists(),
    ),
    Cas("point_conflit-get", _point("point_conflit"), POST_SEULEMENT),
    Cas(
        "point_votes",
        _point("point_votes"),
        CONDUITE,
        methode="post",
        avant=en_seance,
        donnees=lambda m: {f"{_prefixe(m)}-vote_{mb.pk}": "pour" for mb in m.votants},
        suite=_vers_point,
        agissent=CONDUCTEURS,
        fait=lambda m: Vote.objects.filter(point=m.point, choix="pour").count() == 4,
    ),
    Cas("point_votes-get", _point("point_votes"), POST_SEULEMENT),
    Cas(
        "point_refus",
        _point("point_refus"),
        CONDUITE,
        methode="post",
        avant=ouvrir,
        donnees=lambda m: {
            f"{_prefixe(m)}-motif_refus": "territoire",
            f"{_prefixe(m)}-motifs": "Le territoire d'action déborde du département.",
        },
        suite=_vers_point,
        agissent=CONDUCTEURS,
        fait=lambda m: type(m.point).objects.get(pk=m.point.pk).motif_refus == "territoire",
    ),
    Cas("point_refus-get", _point("point_refus"), POST_SEULEMENT),
    Cas(
        "point_statuer",
        _point("point_statuer"),
        CONDUITE,
        methode="post",
        avant=votee,
        suite=_vers_point,
        agissent=CONDUCTEURS,
        fait=lambda m: type(m.point).objects.get(pk=m.point.pk).resultat == ResultatPoint.AGREEE,
    ),
    Cas("point_statuer-get", _point("point_statuer"), POST_SEULEMENT),
    Cas(
        "seance_clore",
        _seance("seance_clore"),
        CONDUITE,
        methode="post",
        avant=votee,
        suite=_vers_seance,
        agissent=CONDUCTEURS,
        fait=lambda m: _etat(m) == EtatSeance.CLOSE,
    ),
    Cas("seance_clore-get", _seance("seance_clore"), POST_SEULEMENT),
    # --- Documents, after closing: to whoever sees the séance.
    Cas("seance_proces_verbal", _seance("seance_proces_verbal"), LECTURE_PDF, avant=close, type_contenu=PDF),
    Cas("point_decision", _point("point_decision"), LECTURE_PDF, avant=close, type_contenu=PDF),
]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_la_presidence_ne_change_que_par_la_rotation(monde):
    """The matrix's rotation case starts from one term; the history keeps it (R6)."""
    assert list(Presidence.objects.filter(instance=monde.instance).values_list("membre__prenom", flat=True)) == [
        "Hélène"
    ]


@pytest.mark.parametrize(
    "url",
    [
        lambda m: reverse("instances:instance", args=[999999]),
        lambda m: reverse("instances:seance", args=[999999]),
        lambda m: reverse("instances:point_decision", args=[m.seance.pk, 999999]),
        lambda m: reverse("instances:seance_nouvelle", args=[999999]),
    ],
    ids=["instance", "seance", "point", "seance_nouvelle"],
)
def test_inexistant_404(url, monde, client):
    client.force_login(monde.national)
    assert client.get(url(monde)).status_code == 404


def test_point_d_une_autre_seance_404(monde, client):
    """A point is reached only through its own séance."""
    autre = Seance.objects.create(instance=monde.instance, campagne=monde.campagne, date=monde.seance.date)
    client.force_login(monde.instructeur_42)
    url = reverse("instances:point_statuer", args=[autre.pk, monde.point.pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("vue", ["seance_proces_verbal", "point_decision"])
def test_documents_404_avant_emission(vue, monde, client):
    client.force_login(monde.instructeur_42)
    args = [monde.seance.pk] if vue == "seance_proces_verbal" else [monde.seance.pk, monde.point.pk]
    assert client.get(reverse(f"instances:{vue}", args=args)).status_code == 404


def test_actions_sans_jeton_csrf_refusees(monde):
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.instructeur_42)
    assert client.post(reverse("instances:seance_ouvrir", args=[monde.seance.pk])).status_code == 403
    assert client.post(reverse("instances:presidence_tourner", args=[monde.instance.pk])).status_code == 403
    assert _etat(monde) == EtatSeance.PREPARATION
    assert presidence_en_cours(monde.instance).membre.prenom == "Hélène"  # type: ignore[union-attr]
