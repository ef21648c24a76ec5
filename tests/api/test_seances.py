"""The departmental instance through the API (R5, R6, R10): every endpoint × nine roles, French errors per
field (quorum, conflicts of interest, refusal without reasons), constant queries for the séances list and a
séance's agenda, and a whole séance from preparation to closing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from documents.enums import TypeDocument
from instances import services as instances_services
from instances.enums import ChoixVote, CollegeInstance, EtatSeance, ResultatPoint
from instances.models import (
    ConflitInterets,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Presidence,
    Seance,
    Vote,
)
from journal.models import TransitionLog
from territoires.models import Departement
from tests.api.conftest import PDF_DE_TEST, deposee
from tests.api.instruction import (
    ROLES_INSTRUCTION,
    MondeInstruction,
    client_de,
    construire,
    corps_pdf,
    document_de_test,
    mettre_en_etat,
)
from tests.collectifs.factories import CollectifFactory

R = "/api/v1/"


# --- the world ------------------------------------------------------------------------------------


@dataclass
class MondeSeance:
    """The instruction world, plus a séance of the Loire in preparation, with collectif A's declaration
    (now recevable) as its only point."""

    mi: MondeInstruction
    seance: Seance
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def d(self) -> Any:
        return self.mi.d

    @property
    def point(self) -> PointOrdreDuJour:
        return self.seance.points.get()

    def utilisateur(self, role: str) -> Any:
        return self.mi.utilisateur(role)


def preparer_seance(mi: MondeInstruction) -> Seance:
    mettre_en_etat(mi.declaration, EtatDeclaration.RECEVABLE)
    return instances_services.seance_preparer(
        acteur=mi.d.instructeur_42,
        instance=mi.instance,
        campagne=mi.d.campagne,
        date=timezone.now() + datetime.timedelta(days=7),
        lieu="Hôtel du département, Saint-Étienne",
    )


@pytest.fixture
def ms(monde) -> MondeSeance:
    mi = construire(monde)
    return MondeSeance(mi=mi, seance=preparer_seance(mi))


def ouvrir(ms: MondeSeance, presents: list[MembreInstance] | None = None) -> None:
    """Open the séance and record attendance (three of the four voting members by default: quorum met)."""
    instructeur = ms.d.instructeur_42
    instances_services.seance_ouvrir(acteur=instructeur, seance=ms.seance)
    presents = presents if presents is not None else [ms.mi.presidente, ms.mi.membre, ms.mi.habitante]
    instances_services.seance_enregistrer_presences(acteur=instructeur, seance=ms.seance, presents=presents)


def voter(ms: MondeSeance, **choix: str) -> None:
    """Votes by attribute name of the members: voter(ms, presidente="pour", habitante="contre")."""
    votes = {getattr(ms.mi, nom): valeur for nom, valeur in choix.items()}
    instances_services.votes_enregistrer(acteur=ms.d.instructeur_42, point=ms.point, votes=votes)


def favorable(ms: MondeSeance) -> None:
    ouvrir(ms)
    voter(ms, presidente="pour", membre="pour", habitante="contre")


def close_avec_proces_verbal(ms: MondeSeance) -> None:
    favorable(ms)
    instances_services.seance_clore(acteur=ms.d.instructeur_42, seance=ms.seance)
    document_de_test(ms.seance, TypeDocument.PROCES_VERBAL, 1)


def _declaration(ms: MondeSeance) -> Declaration:
    return Declaration.objects.get(pk=ms.mi.declaration.pk)


def _seance(ms: MondeSeance) -> Seance:
    return Seance.objects.get(pk=ms.seance.pk)


# --- the permission matrix ------------------------------------------------------------------------


@dataclass
class Cas:
    """One endpoint call; `attendus` maps each logged-in role to its status (anonymous: always 401)."""

    nom: str
    methode: str
    url: Callable[[MondeSeance], str]
    attendus: dict[str, int]
    donnees: Callable[[MondeSeance], Any] | None = None
    preparer: Callable[[MondeSeance], Any] | None = None
    verifier: Callable[[MondeSeance, Any], Any] | None = None  # after a 2xx
    inchange: Callable[[MondeSeance], Any] | None = None  # after a refusal


def tous(code: int) -> dict[str, int]:
    return {role: code for role in ROLES_INSTRUCTION if role != "anonyme"}


# The Loire's instance and its séances: its instructeurs, national staff and its members (president included).
VOIT = tous(404) | {"instructeur_42": 200, "national": 200, "membre_instance": 200, "president": 200}
# Running a séance (R5): the département's instructeurs (the secretariat) and the president.
GERE = VOIT | {"national": 403, "membre_instance": 403}
# Passing the presidency on (R6): the département's instructeurs only.
TOURNE = GERE | {"president": 403}


def _seance_url(suffixe: str = "") -> Callable[[MondeSeance], str]:
    return lambda ms: R + f"seances/{ms.seance.pk}/{suffixe}"


def _point_url(suffixe: str = "") -> Callable[[MondeSeance], str]:
    return lambda ms: R + f"seances/{ms.seance.pk}/points/{ms.point.pk}/{suffixe}"


def _verifier_instance(ms: MondeSeance, reponse: Any) -> None:
    corps = reponse.json()
    assert corps["presidence"]["membre"]["nom"] == "Roux"
    assert corps["presidence_suivante"]["nom"] == "Vidal"
    assert [p["membre"]["nom"] for p in corps["historique"]] == ["Roux"]
    assert [(m["nom"], m["college"], m["votant"]) for m in corps["membres"]] == [
        ("Roux", CollegeInstance.ELUS, True),
        ("Vidal", CollegeInstance.TRAVAILLEURS_SOCIAUX, True),
        ("Benali", CollegeInstance.HABITANTS_USAGERS, True),
        ("Chevalier", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
        ("Morel", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, False),
    ]


def _verifier_tour(ms: MondeSeance, reponse: Any) -> None:
    corps = reponse.json()
    assert (corps["presidence"]["membre"]["nom"], corps["presidence_suivante"]["nom"]) == ("Vidal", "Benali")
    assert [(p["membre"]["nom"], p["fin"] is None) for p in corps["historique"]] == [("Vidal", True), ("Roux", False)]


def _presidence(ms: MondeSeance) -> MembreInstance:
    return Presidence.objects.get(instance=ms.mi.instance, fin__isnull=True).membre


def _autre_recevable(ms: MondeSeance) -> None:
    autre = deposee(CollectifFactory(nom="Collectif E du Soleil"), ms.d.campagne)
    mettre_en_etat(autre, EtatDeclaration.RECEVABLE)
    ms.extra["autre"] = autre


def _verifier_creation(ms: MondeSeance, reponse: Any) -> None:
    corps = reponse.json()
    assert [p["declaration"] for p in corps["points"]] == [ms.extra["autre"].pk]
    assert {m["id"] for m in corps["convoques"]} == {m.pk for m in ms.mi.votants}
    assert (corps["etat"], corps["lieu"], corps["places_restantes"]) == ("preparation", "Mairie de Roanne", 5)
    assert Declaration.objects.get(pk=ms.extra["autre"].pk).etat == EtatDeclaration.INSCRITE_EN_SEANCE


def _verifier_detail(ms: MondeSeance, reponse: Any) -> None:
    corps = reponse.json()
    assert [(p["declaration"], p["collectif_nom"], p["etat_declaration"]) for p in corps["points"]] == [
        (ms.mi.declaration.pk, "Collectif A de Montreynaud", "inscrite_en_seance")
    ]
    assert corps["quorum"] == {
        "votants": 4,
        "presents": 0,
        "requis": 3,
        "atteint": False,
        "message": "Quorum non atteint : 0 membre(s) votant(s) présent(s) sur 4, 3 requis.",
    }
    assert (corps["places_restantes"], corps["proces_verbal"], len(corps["convoques"])) == (5, None, 5)


def _verifier_statue(ms: MondeSeance, reponse: Any) -> None:
    corps = reponse.json()
    assert (corps["resultat"], corps["resultat_libelle"], corps["etat_declaration"]) == (
        "agreee",
        "Agrément",
        "agreee",
    )
    assert corps["decompte"] == {
        "pour": 2,
        "contre": 1,
        "abstention": 0,
        "adopte": True,
        "libelle": "2 pour, 1 contre, 0 abstention(s)",
    }
    assert _declaration(ms).etat == EtatDeclaration.AGREEE


CAS = [
    # --- instances and presidency (R6)
    Cas("instances-liste", "get", lambda ms: R + "instances/", tous(200)),
    Cas(
        "instances-detail",
        "get",
        lambda ms: R + f"instances/{ms.mi.instance.pk}/",
        VOIT,
        verifier=_verifier_instance,
    ),
    Cas(
        "presidence-tourner",
        "post",
        lambda ms: R + f"instances/{ms.mi.instance.pk}/presidence/tourner/",
        TOURNE,
        verifier=_verifier_tour,
        inchange=lambda ms: _presidence(ms) == ms.mi.presidente or pytest.fail("présidence changée"),
    ),
    Cas(
        "instances-accompagnateurs",
        "get",
        lambda ms: R + f"instances/{ms.mi.instance.pk}/accompagnateurs/",
        VOIT,
        verifier=lambda ms, r: (
            [(a["nom"], a["structure"]) for a in r.json()["results"]]
            == [("Garnier", "Coopérative Ellipse"), ("Perrin", "Université")]
            or pytest.fail(str(r.json()))
        ),
    ),
    # --- séances
    Cas("seances-liste", "get", lambda ms: R + "seances/", tous(200)),
    Cas(
        "seances-preparer",
        "post",
        lambda ms: R + "seances/",
        GERE | {"instructeur_42": 201, "president": 201},
        donnees=lambda ms: {
            "instance": ms.mi.instance.pk,
            "campagne": ms.d.campagne.pk,
            "date": "2027-06-12T14:00:00+02:00",
            "lieu": "Mairie de Roanne",
            "convoques": [m.pk for m in ms.mi.votants],
        },
        preparer=_autre_recevable,
        verifier=_verifier_creation,
        inchange=lambda ms: Seance.objects.count() == 1 or pytest.fail("séance créée"),
    ),
    Cas("seances-detail", "get", _seance_url(), VOIT, verifier=_verifier_detail),
    Cas(
        "seances-ouvrir",
        "post",
        _seance_url("ouvrir/"),
        GERE,
        verifier=lambda ms, r: (
            (r.json()["etat"], r.json()["president"]["nom"]) == ("en_cours", "Roux") or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: _seance(ms).etat == EtatSeance.PREPARATION or pytest.fail("ouverte"),
    ),
    Cas(
        "seances-presences",
        "post",
        _seance_url("presences/"),
        GERE,
        donnees=lambda ms: {"presents": [ms.mi.presidente.pk, ms.mi.membre.pk, ms.mi.habitante.pk]},
        preparer=lambda ms: instances_services.seance_ouvrir(acteur=ms.d.instructeur_42, seance=ms.seance),
        verifier=lambda ms, r: (
            r.json()["quorum"]["message"] == "Quorum atteint : 3 membre(s) votant(s) présent(s) sur 4, 3 requis."
            or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: not _seance(ms).presents.exists() or pytest.fail("présences enregistrées"),
    ),
    Cas(
        "seances-clore",
        "post",
        _seance_url("clore/"),
        GERE,
        preparer=favorable,
        verifier=lambda ms, r: (
            (r.json()["etat"], r.json()["points"][0]["resultat"]) == ("close", "agreee") or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: _seance(ms).etat == EtatSeance.EN_COURS or pytest.fail("close"),
    ),
    Cas(
        "seances-proces-verbal",
        "get",
        _seance_url("proces-verbal/"),
        VOIT,
        preparer=close_avec_proces_verbal,
        verifier=lambda ms, r: (
            (r["Content-Type"], corps_pdf(r)) == ("application/pdf", PDF_DE_TEST) or pytest.fail("PDF"),
            "PV-42-2027-00001" in r["Content-Disposition"] or pytest.fail(r["Content-Disposition"]),
        ),
    ),
    Cas("seances-proces-verbal-pas-encore-emis", "get", _seance_url("proces-verbal/"), tous(404)),
    # --- agenda points (R5)
    Cas(
        "points-liste",
        "get",
        _seance_url("points/"),
        VOIT,
        verifier=lambda ms, r: (
            [p["declaration"] for p in r.json()["results"]] == [ms.mi.declaration.pk] or pytest.fail(str(r.json()))
        ),
    ),
    Cas(
        "points-detail",
        "get",
        _point_url(),
        VOIT,
        verifier=lambda ms, r: (r.json()["id"], r.json()["rang"]) == (ms.point.pk, 1) or pytest.fail(str(r.json())),
    ),
    Cas(
        "points-conflit-de-soi",
        "post",
        _point_url("conflits/"),
        GERE | {"membre_instance": 200},
        donnees=lambda ms: {"membre": ms.mi.membre.pk, "commentaire": "Salarié du centre social porteur."},
        verifier=lambda ms, r: (
            [(c["membre"]["id"], c["commentaire"]) for c in r.json()["conflits"]]
            == [(ms.mi.membre.pk, "Salarié du centre social porteur.")]
            or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: not ConflitInterets.objects.exists() or pytest.fail("conflit enregistré"),
    ),
    Cas(
        "points-conflit-d-autrui",
        "post",
        _point_url("conflits/"),
        GERE,
        donnees=lambda ms: {"membre": ms.mi.habitante.pk},
        verifier=lambda ms, r: ConflitInterets.objects.get(point=ms.point, membre=ms.mi.habitante),
        inchange=lambda ms: not ConflitInterets.objects.exists() or pytest.fail("conflit enregistré"),
    ),
    Cas(
        "points-votes",
        "post",
        _point_url("votes/"),
        GERE,
        donnees=lambda ms: {
            "votes": {str(ms.mi.presidente.pk): "pour", str(ms.mi.membre.pk): "pour", str(ms.mi.habitante.pk): "contre"}
        },
        preparer=ouvrir,
        verifier=lambda ms, r: (
            (r.json()["decompte"]["pour"], r.json()["decompte"]["contre"], len(r.json()["votes"])) == (2, 1, 3)
            or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: not Vote.objects.exists() or pytest.fail("votes enregistrés"),
    ),
    Cas(
        "points-motifs",
        "post",
        _point_url("motifs/"),
        GERE,
        donnees=lambda ms: {"motif_refus": "additionnalite", "motifs": "L'action existe déjà sans le collectif."},
        preparer=ouvrir,
        verifier=lambda ms, r: (
            (r.json()["motif_refus"], r.json()["motifs"])
            == ("additionnalite", "L'action existe déjà sans le collectif.")
            or pytest.fail(str(r.json()))
        ),
        inchange=lambda ms: ms.point.motifs == "" or pytest.fail("motifs enregistrés"),
    ),
    Cas(
        "points-statuer",
        "post",
        _point_url("statuer/"),
        GERE,
        preparer=favorable,
        verifier=_verifier_statue,
        inchange=lambda ms: _declaration(ms).etat == EtatDeclaration.INSCRITE_EN_SEANCE or pytest.fail("décidée"),
    ),
]


@pytest.mark.parametrize("role", ROLES_INSTRUCTION)
@pytest.mark.parametrize("cas", CAS, ids=lambda c: c.nom)
def test_matrice_des_droits_des_seances(api, ms, cas, role):
    if cas.preparer:
        cas.preparer(ms)
    corps = cas.donnees(ms) if cas.donnees else None
    reponse = getattr(api.en(ms.utilisateur(role)), cas.methode)(cas.url(ms), corps, format="json")

    attendu = 401 if role == "anonyme" else cas.attendus[role]
    assert reponse.status_code == attendu, getattr(reponse, "data", reponse)
    if attendu == 401:
        assert reponse["WWW-Authenticate"] == "Token"
    if 200 <= attendu < 300 and cas.verifier:
        cas.verifier(ms, reponse)
    if attendu in (401, 403, 404) and cas.inchange:
        cas.inchange(ms)
    if attendu == 404:
        assert set(reponse.json()) == {"detail"}


@pytest.mark.parametrize(
    ("role", "instances", "voit_la_seance"),
    [
        ("referent_a", set(), False),
        ("referent_b", set(), False),
        ("instructeur_42", {"loire"}, True),
        ("instructeur_autre", {"rhone"}, False),
        ("national", {"loire", "rhone"}, True),
        ("membre_instance", {"loire"}, True),
        ("president", {"loire"}, True),
        ("accompagnateur", set(), False),
    ],
)
def test_listes_des_instances_et_des_seances_limitees_au_perimetre(api, ms, role, instances, voit_la_seance):
    rhone = InstanceDepartementale.objects.create(departement=Departement.objects.get(code="69"), nom="Rhône")
    ids = {"loire": ms.mi.instance.pk, "rhone": rhone.pk}
    client = api.en(ms.utilisateur(role))
    assert {i["id"] for i in client.get(R + "instances/").json()["results"]} == {ids[n] for n in instances}
    seances = [s["id"] for s in client.get(R + "seances/").json()["results"]]
    assert seances == ([ms.seance.pk] if voit_la_seance else [])


def test_filtres_de_la_liste_des_seances(api, ms):
    client = api.en(ms.d.instructeur_42)
    assert client.get(R + "seances/", {"etat": "preparation"}).json()["count"] == 1
    assert client.get(R + "seances/", {"etat": "close"}).json()["count"] == 0
    assert client.get(R + "seances/", {"instance": ms.mi.instance.pk + 1}).json()["count"] == 0
    reponse = client.get(R + "seances/", {"etat": "inconnu"})
    assert reponse.status_code == 400 and "etat" in reponse.json()


# --- French errors per field; no decision without its conditions (R5) ----------------------------


def _poster(api: Any, ms: MondeSeance, url: str, corps: Any = None, user: Any = None) -> Any:
    return api.en(user or ms.d.instructeur_42).post(url, corps, format="json")


QUORUM_NON_ATTEINT = (
    "Aucune décision n'est possible sans quorum. Quorum non atteint : 2 membre(s) votant(s) présent(s) sur 4, 3 requis."
)


@pytest.mark.parametrize("action", ["statuer", "clore"])
def test_aucune_decision_sans_quorum(api, ms, action):
    ouvrir(ms, presents=[ms.mi.presidente, ms.mi.membre, ms.mi.observatrice])  # the observer does not count
    voter(ms, presidente="pour", membre="pour")
    url = _point_url("statuer/")(ms) if action == "statuer" else _seance_url("clore/")(ms)
    reponse = _poster(api, ms, url)
    assert reponse.status_code == 400
    assert reponse.json() == {"non_field_errors": [QUORUM_NON_ATTEINT]}
    assert ms.point.resultat == ""
    assert _declaration(ms).etat == EtatDeclaration.INSCRITE_EN_SEANCE
    assert _seance(ms).etat == EtatSeance.EN_COURS


def test_quorum_atteint_apres_une_arrivee(api, ms):
    ouvrir(ms, presents=[ms.mi.presidente, ms.mi.membre])
    presents = [m.pk for m in (ms.mi.presidente, ms.mi.membre, ms.mi.partenaire)]
    reponse = _poster(api, ms, _seance_url("presences/")(ms), {"presents": presents})
    assert reponse.json()["quorum"]["atteint"] is True
    assert sorted(m["id"] for m in reponse.json()["presents"]) == sorted(presents)


def test_un_membre_en_conflit_ne_vote_pas_et_la_majorite_compte_les_exprimes(api, ms):
    ouvrir(ms, presents=ms.mi.votants)
    conflit = _poster(
        api, ms, _point_url("conflits/")(ms), {"membre": ms.mi.membre.pk}, ms.utilisateur("membre_instance")
    )
    assert conflit.status_code == 200, conflit.json()

    votes = {str(ms.mi.membre.pk): "pour", str(ms.mi.presidente.pk): "pour"}
    reponse = _poster(api, ms, _point_url("votes/")(ms), {"votes": votes})
    assert reponse.status_code == 400
    assert reponse.json() == {
        "votes": [
            "Marc Vidal (CCAS de Saint-Étienne) a déclaré un conflit d'intérêts : il ou elle ne vote pas sur ce point."
        ]
    }
    assert not Vote.objects.exists()

    votes = {
        str(ms.mi.presidente.pk): "pour",
        str(ms.mi.habitante.pk): "abstention",
        str(ms.mi.partenaire.pk): "abstention",
    }
    reponse = _poster(api, ms, _point_url("votes/")(ms), {"votes": votes})
    assert reponse.json()["decompte"] == {
        "pour": 1,
        "contre": 0,
        "abstention": 2,
        "adopte": True,
        "libelle": "1 pour, 0 contre, 2 abstention(s)",
    }
    assert _poster(api, ms, _point_url("statuer/")(ms)).json()["resultat"] == ResultatPoint.AGREEE


def test_un_conflit_se_declare_avant_le_vote(api, ms):
    ouvrir(ms)
    voter(ms, membre="pour")
    reponse = _poster(api, ms, _point_url("conflits/")(ms), {"membre": ms.mi.membre.pk})
    assert reponse.status_code == 400
    assert reponse.json() == {
        "membre": ["Marc Vidal (CCAS de Saint-Étienne) a déjà voté sur ce point : un conflit se déclare avant le vote."]
    }
    assert not ConflitInterets.objects.exists()


@pytest.mark.parametrize(
    ("votes", "erreurs"),
    [
        (
            lambda ms: {str(ms.mi.partenaire.pk): "pour"},
            lambda ms: ["Paul Chevalier (CAF de la Loire) n'est pas un membre votant présent."],
        ),
        (
            lambda ms: {str(ms.mi.observatrice.pk): "pour"},
            lambda ms: ["Claire Morel (Préfecture de la Loire) n'est pas un membre votant présent."],
        ),
        (
            lambda ms: {str(ms.mi.presidente.pk): "peut-être"},
            lambda ms: {str(ms.mi.presidente.pk): ["«\xa0peut-être\xa0» n'est pas un choix valide."]},
        ),
        (
            lambda ms: {"999999": "pour"},
            lambda ms: ["Ces identifiants ne sont pas des membres de l'instance : 999999."],
        ),
        (
            lambda ms: {"Roux": "pour"},
            lambda ms: ["Chaque vote est donné par l'identifiant numérique du membre."],
        ),
        (lambda ms: {}, lambda ms: ["Indiquez au moins un vote."]),
    ],
    ids=["absent", "sans-voix-deliberative", "choix-inconnu", "membre-inconnu", "cle-non-numerique", "vide"],
)
def test_votes_refuses_avec_message_par_champ(api, ms, votes, erreurs):
    ouvrir(ms)
    reponse = _poster(api, ms, _point_url("votes/")(ms), {"votes": votes(ms)})
    assert reponse.status_code == 400
    assert reponse.json() == {"votes": erreurs(ms)}
    assert not Vote.objects.exists()


def test_votes_refuses_hors_seance_en_cours(api, ms):
    reponse = _poster(api, ms, _point_url("votes/")(ms), {"votes": {str(ms.mi.presidente.pk): "pour"}})
    assert reponse.status_code == 400
    assert reponse.json() == {"non_field_errors": ["La séance n'est pas en cours."]}


MOTIF_MANQUANT = {
    "motif_refus": ["Choisissez le motif du refus : composition, charte, additionnalité, territoire ou autre."],
    "motifs": ["Un refus doit être motivé par écrit."],
}


def test_un_refus_exige_un_motif_enonce_et_une_motivation_ecrite(api, ms):
    ouvrir(ms)
    voter(ms, presidente="contre", membre="contre", habitante="pour")

    reponse = _poster(api, ms, _point_url("statuer/")(ms))
    assert reponse.status_code == 400
    assert reponse.json() == MOTIF_MANQUANT
    assert _declaration(ms).etat == EtatDeclaration.INSCRITE_EN_SEANCE

    reponse = _poster(api, ms, _point_url("motifs/")(ms), {"motif_refus": "", "motifs": " "})
    assert reponse.status_code == 400
    assert reponse.json() == MOTIF_MANQUANT

    motifs = {"motif_refus": "territoire", "motifs": "Le quartier relève d'un autre collectif agréé."}
    assert _poster(api, ms, _point_url("motifs/")(ms), motifs).status_code == 200
    reponse = _poster(api, ms, _point_url("statuer/")(ms))
    assert reponse.status_code == 200, reponse.json()
    assert (reponse.json()["resultat"], reponse.json()["motifs"]) == ("refusee", motifs["motifs"])
    assert _declaration(ms).etat == EtatDeclaration.REFUSEE


def test_motif_de_refus_inconnu(api, ms):
    ouvrir(ms)
    reponse = _poster(api, ms, _point_url("motifs/")(ms), {"motif_refus": "humeur", "motifs": "Non."})
    assert reponse.status_code == 400
    assert reponse.json() == {"motif_refus": ["«\xa0humeur\xa0» n'est pas un choix valide."]}


@pytest.mark.parametrize(
    ("corps", "erreurs"),
    [
        (
            lambda ms: {"campagne": ms.mi.monde.campagne_69.pk},
            {"campagne": ["Cette campagne n'est pas celle du département de l'instance."]},
        ),
        (
            lambda ms: {"declarations": [deposee(CollectifFactory(nom="Collectif F"), ms.d.campagne).pk]},
            {"non_field_errors": ["La déclaration de Collectif F n'est pas recevable."]},
        ),
        (
            lambda ms: {"convoques": [ms.mi.presidente.pk, 999999]},
            {"convoques": ["Clé primaire «\xa0999999\xa0» non valide - l'objet n'existe pas."]},
        ),
        (
            lambda ms: {"date": "demain"},
            {
                "date": [
                    "La date + heure n'a pas le bon format. Utilisez un des formats suivants\xa0: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
    ],
    ids=["campagne-d-un-autre-departement", "non-recevable", "convoque-inconnu", "date"],
)
def test_preparation_de_seance_refusee_avec_message_par_champ(api, ms, corps, erreurs):
    donnees = {"instance": ms.mi.instance.pk, "campagne": ms.d.campagne.pk, "date": "2027-06-12T14:00:00+02:00"}
    reponse = _poster(api, ms, R + "seances/", donnees | corps(ms))
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert Seance.objects.count() == 1


def test_preparer_une_seance_pour_une_instance_invisible(api, ms):
    """The instance is the object the séance hangs on: out of scope, it is not found (404), not forbidden."""
    rhone = InstanceDepartementale.objects.create(departement=Departement.objects.get(code="69"), nom="Rhône")
    corps = {"instance": rhone.pk, "campagne": ms.mi.monde.campagne_69.pk, "date": "2027-06-12T14:00:00+02:00"}
    reponse = _poster(api, ms, R + "seances/", corps)
    assert reponse.status_code == 404
    assert set(reponse.json()) == {"detail"}


def test_la_presidence_tourne_dans_l_ordre_et_garde_l_historique(api, ms):
    url = R + f"instances/{ms.mi.instance.pk}/presidence/tourner/"
    ordre = []
    for _ in range(5):
        corps = _poster(api, ms, url).json()
        ordre.append((corps["presidence"]["membre"]["nom"], corps["presidence_suivante"]["nom"]))
    assert ordre == [
        ("Vidal", "Benali"),
        ("Benali", "Chevalier"),
        ("Chevalier", "Morel"),
        ("Morel", "Roux"),
        ("Roux", "Vidal"),
    ]
    historique = api.en(ms.utilisateur("president")).get(R + f"instances/{ms.mi.instance.pk}/").json()["historique"]
    assert [p["membre"]["nom"] for p in historique] == ["Roux", "Morel", "Chevalier", "Benali", "Vidal", "Roux"]
    assert [p["fin"] is None for p in historique] == [True, False, False, False, False, False]


def test_la_seance_close_renvoie_a_son_proces_verbal_et_a_chaque_decision(api, ms):
    close_avec_proces_verbal(ms)
    decision = document_de_test(ms.point, TypeDocument.DECISION, 1)
    client = api.en(ms.utilisateur("president"))
    corps = client.get(_seance_url()(ms)).json()
    assert corps["proces_verbal"]["numero"] == "PV-42-2027-00001"
    assert corps["proces_verbal"]["url"].endswith(f"/api/v1/seances/{ms.seance.pk}/proces-verbal/")
    lien = corps["points"][0]["decision"]
    assert lien["numero"] == decision.numero
    assert lien["url"].endswith(f"/api/v1/declarations/{ms.mi.declaration.pk}/documents/{decision.numero}/")
    for url in (corps["proces_verbal"]["url"], lien["url"]):
        reponse = client.get(url)
        assert (reponse.status_code, corps_pdf(reponse)) == (200, PDF_DE_TEST)
    # The collectif gets its decision from its own declaration's documents, but not the séance's minutes.
    referent = client_de(ms.d.referent_a)
    assert referent.get(lien["url"]).status_code == 200
    assert referent.get(corps["proces_verbal"]["url"]).status_code == 404


# --- constant queries -----------------------------------------------------------------------------

TAILLES = [3, 40]


def _seances(ms: MondeSeance, n: int) -> tuple[str, Any]:
    for i in range(n - 1):  # plus the séance of the world
        seance = Seance.objects.create(
            instance=ms.mi.instance,
            campagne=ms.d.campagne,
            date=timezone.now() - datetime.timedelta(days=i + 1),
            president=ms.mi.presidente if i % 2 else None,
        )
        PointOrdreDuJour.objects.create(seance=seance, declaration=deposee(CollectifFactory(), ms.d.campagne), rang=1)
    return R + "seances/", ms.utilisateur("membre_instance")


def _ordre_du_jour(ms: MondeSeance, n: int) -> list[PointOrdreDuJour]:
    """n points (the world's one included), with votes, conflicts, a decision and its PDF on every other one."""
    ouvrir(ms, presents=ms.mi.votants)
    points = [ms.point]
    for rang in range(2, n + 1):
        declaration = deposee(CollectifFactory(), ms.d.campagne)
        points.append(PointOrdreDuJour.objects.create(seance=ms.seance, declaration=declaration, rang=rang))
    for i, point in enumerate(points):
        Vote.objects.create(point=point, membre=ms.mi.presidente, choix=ChoixVote.POUR)
        Vote.objects.create(point=point, membre=ms.mi.habitante, choix=ChoixVote.CONTRE)
        ConflitInterets.objects.create(point=point, membre=ms.mi.membre)
        if i % 2:
            PointOrdreDuJour.objects.filter(pk=point.pk).update(resultat=ResultatPoint.EN_ATTENTE)
            document_de_test(point, TypeDocument.DECISION, 100 + i)
    return points


def _agenda(ms: MondeSeance, n: int) -> tuple[str, Any]:
    _ordre_du_jour(ms, n)
    return _seance_url()(ms), ms.utilisateur("president")


def _points(ms: MondeSeance, n: int) -> tuple[str, Any]:
    _ordre_du_jour(ms, n)
    return _seance_url("points/")(ms), ms.d.instructeur_42


def _instances(ms: MondeSeance, n: int) -> tuple[str, Any]:
    for i, departement in enumerate(Departement.objects.exclude(code="42").order_by("code")[: n - 1]):
        instance = InstanceDepartementale.objects.create(departement=departement, nom=f"Instance {departement}")
        membre = MembreInstance.objects.create(
            instance=instance, prenom="Ana", nom=f"N°{i}", institution="Département", college="ELUS", rang_rotation=1
        )
        Presidence.objects.create(
            instance=instance, membre=membre, debut=datetime.date(2027, 1, 1), fin_prevue=datetime.date(2028, 1, 1)
        )
    return R + "instances/", ms.d.national


# (name, builder, queries, counted): session + user, then the list or the séance and what each part needs.
LISTES = [
    # count + page (president, instance and campaign joined; points counted in the same query)
    ("seances", _seances, 4, "count"),
    # séance + convoqués + présents; points, votes, their members, conflicts, their members; decisions' PDF;
    # quorum (2 counts); places left; the minutes' PDF
    ("ordre-du-jour", _agenda, 15, "points"),
    # the séance; count + page; votes, their members, conflicts, their members; decisions' PDF
    ("points", _points, 10, "count"),
    # count + page + the current presidencies
    ("instances", _instances, 5, "count"),
]


@pytest.mark.parametrize("taille", TAILLES)
@pytest.mark.parametrize(("nom", "construire_liste", "requetes", "compte"), LISTES, ids=[c[0] for c in LISTES])
def test_nombre_de_requetes_constant(
    api, ms, django_assert_num_queries, nom, construire_liste, requetes, compte, taille
):
    url, user = construire_liste(ms, taille)
    client = api.en(user)
    with django_assert_num_queries(requetes):
        reponse = client.get(url)
    assert reponse.status_code == 200
    corps = reponse.json()
    if compte == "count":
        assert corps["count"] == len(corps["results"]) == taille
    else:
        assert len(corps["points"]) == taille
        assert sum(p["decision"] is not None for p in corps["points"]) == taille // 2


# --- a whole séance -------------------------------------------------------------------------------


def test_une_seance_entiere_par_l_api(api, monde):
    """With one place left in the campaign, the president prepares and runs a séance on two recevable
    declarations: the first filed is agreed (a member declared a conflict and does not vote), the second,
    voted for too, is waitlisted when the séance closes. The minutes are not issued before closing."""
    mi = construire(monde)
    type(mi.d.campagne).objects.filter(pk=mi.d.campagne.pk).update(quota=1)
    mettre_en_etat(mi.declaration, EtatDeclaration.RECEVABLE)
    seconde = deposee(CollectifFactory(nom="Collectif G des Crêts"), mi.d.campagne)
    mettre_en_etat(seconde, EtatDeclaration.RECEVABLE)
    presidente, membre = client_de(mi.utilisateur("president")), client_de(mi.utilisateur("membre_instance"))

    reponse = presidente.post(
        R + "seances/",
        {"instance": mi.instance.pk, "campagne": mi.d.campagne.pk, "date": "2027-06-12T14:00:00+02:00"},
        format="json",
    )
    assert reponse.status_code == 201, reponse.json()
    seance = reponse.json()
    assert [p["collectif_nom"] for p in seance["points"]] == ["Collectif A de Montreynaud", "Collectif G des Crêts"]
    assert len(seance["convoques"]) == 5 and seance["places_restantes"] == 1
    url = R + f"seances/{seance['id']}/"
    point_a, point_g = (url + f"points/{p['id']}/" for p in seance["points"])

    assert presidente.post(url + "ouvrir/", format="json").json()["president"]["nom"] == "Roux"
    presents = {"presents": [m.pk for m in mi.votants]}
    assert presidente.post(url + "presences/", presents, format="json").json()["quorum"]["atteint"] is True

    # The member declares their own conflict on collectif A, and cannot vote on it.
    assert membre.post(point_a + "conflits/", {"membre": mi.membre.pk}, format="json").status_code == 200
    assert membre.post(point_a + "votes/", {"votes": {str(mi.membre.pk): "pour"}}, format="json").status_code == 403
    votes = {str(m.pk): "pour" for m in (mi.presidente, mi.habitante, mi.partenaire)}
    assert presidente.post(point_a + "votes/", {"votes": votes}, format="json").status_code == 200
    reponse = presidente.post(point_a + "statuer/", format="json")
    assert (reponse.json()["resultat"], reponse.json()["etat_declaration"]) == ("agreee", "agreee")

    # Collectif G: favourable vote, but the only place is taken; decided when the séance closes.
    votes = {str(m.pk): "pour" for m in mi.votants}
    assert presidente.post(point_g + "votes/", {"votes": votes}, format="json").status_code == 200
    assert presidente.get(url + "proces-verbal/").status_code == 404
    reponse = presidente.post(url + "clore/", format="json")
    assert reponse.status_code == 200, reponse.json()
    corps = reponse.json()
    assert (corps["etat"], corps["places_restantes"]) == ("close", 0)
    assert [(p["resultat_libelle"], p["decompte"]["libelle"]) for p in corps["points"]] == [
        ("Agrément", "3 pour, 0 contre, 0 abstention(s)"),
        ("Mise en liste d'attente", "4 pour, 0 contre, 0 abstention(s)"),
    ]
    assert Declaration.objects.get(pk=seconde.pk).etat == EtatDeclaration.EN_ATTENTE

    # The member follows it all, read-only.
    assert membre.get(url).json()["points"][0]["conflits"][0]["membre"]["nom"] == "Vidal"
    assert membre.post(url + "clore/", format="json").status_code == 403
    journal = TransitionLog.objects.filter(object_id=seance["id"], content_type__model="seance").order_by("pk")
    assert [(t.source, t.cible) for t in journal] == [("preparation", "en_cours"), ("en_cours", "close")]
