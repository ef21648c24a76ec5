"""R5 Séances: the agenda (recevable declarations, filing order), who runs a séance, the decisions against the
quota and the envelope (agreed while places remain, then waitlisted), no declaration accepted twice, the
closing of the séance, and the waiting list: promoted in filing order when a place frees up, by a refusal of
a declaration holding a freed place or by a withdrawal after acceptance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import declaration_retirer
from instances.enums import CollegeInstance, EtatSeance, MotifRefus, ResultatPoint
from instances.models import InstanceDepartementale, MembreInstance, Seance
from instances.selectors import places_restantes
from instances.services import (
    point_motiver_refus,
    point_statuer,
    presidence_faire_tourner,
    seance_clore,
    seance_enregistrer_presences,
    seance_inscrire,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from journal.fsm import historique
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.instances.factories import CampagneFactory

E = EtatDeclaration
MOTIFS = "Le collectif ne réunit pas d'habitant·es du quartier de la Cotonne : la dynamique n'est pas établie."


@dataclass
class Instance:
    """The Loire instance: three voting members (the president and a member have accounts), one non-voting."""

    instructeur: Any
    instance: InstanceDepartementale
    membres: list[MembreInstance]
    campagne: Campagne
    collectifs: dict[str, Any] = field(default_factory=dict)

    @property
    def president(self) -> Any:
        return self.membres[0].user

    def declarations(self, noms: str, etat: str = E.RECEVABLE) -> dict[str, Declaration]:
        """One declaration per letter, filed in alphabetical order (a first), created in the reverse order so
        that filing order and primary keys disagree."""
        debut = timezone.now() - datetime.timedelta(days=40)
        crees = {}
        for rang, nom in reversed(list(enumerate(noms))):
            referent = UserFactory(email=f"referent.{nom}@roanne.exemple.fr")
            collectif = CollectifFactory(referent=referent, nom=f"Collectif {nom.upper()} de Roanne")
            self.collectifs[nom] = collectif
            crees[nom] = DeclarationFactory(
                collectif=collectif,
                campagne=self.campagne,
                etat=etat,
                deposee_le=debut + datetime.timedelta(hours=rang),
            )
        return {nom: crees[nom] for nom in noms}

    def preparer(self, declarations: list[Declaration] | None = None, **valeurs: Any) -> Seance:
        return seance_preparer(
            acteur=self.instructeur,
            instance=self.instance,
            campagne=self.campagne,
            date=timezone.now(),
            lieu="Salle du conseil, Montbrison",
            declarations=declarations,
            **valeurs,
        )

    def ouvrir(self, seance: Seance) -> Seance:
        seance_ouvrir(acteur=self.instructeur, seance=seance)
        seance_enregistrer_presences(acteur=self.instructeur, seance=seance, presents=self.membres)
        return seance

    def voter(self, seance: Seance, choix: dict[Declaration, str]) -> None:
        """Every voting member votes the same way on each declaration; « contre » comes with reasons."""
        for declaration, vote in choix.items():
            point = seance.points.get(declaration=declaration)
            votes_enregistrer(acteur=self.instructeur, point=point, votes={m: vote for m in self.membres if m.votant})
            if vote != "pour":
                point_motiver_refus(acteur=self.instructeur, point=point, motif_refus=MotifRefus.AUTRE, motifs=MOTIFS)


@pytest.fixture
def loire(distribution) -> Instance:
    instance = InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"), nom="Instance départementale de la Loire"
    )
    membres = [
        MembreInstance.objects.create(
            instance=instance,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            votant=votant,
            rang_rotation=rang,
            user=UserFactory(email=f"{prenom.lower()}@exemple.fr") if rang <= 2 else None,
        )
        for rang, (prenom, nom, institution, college, votant) in enumerate(
            [
                ("Georges", "Ziegler", "Département de la Loire", CollegeInstance.ELUS, True),
                ("Martine", "Rey", "Ville de Roanne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True),
                ("Samir", "Kaci", "Conseil citoyen de Montreynaud", CollegeInstance.HABITANTS_USAGERS, True),
                ("Odile", "Fayolle", "Préfecture de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, False),
            ],
            start=1,
        )
    ]
    presidence_faire_tourner(acteur=distribution.instructeur_42, instance=instance)
    campagne = distribution.campagne
    Campagne.objects.filter(pk=campagne.pk).update(quota=2)
    campagne.refresh_from_db()
    return Instance(distribution.instructeur_42, instance, membres, campagne)


def _etats(declarations: dict[str, Declaration]) -> dict[str, str]:
    return {nom: Declaration.objects.get(pk=d.pk).etat for nom, d in declarations.items()}


def _agenda(seance: Seance) -> list[str]:
    return [p.declaration.collectif.nom for p in seance.points.order_by("rang")]


# --- Preparing a séance. ---


def test_l_ordre_du_jour_reprend_les_recevables_par_ordre_de_depot(loire):
    recevables = loire.declarations("abc")
    autres = {
        etat: DeclarationFactory(campagne=loire.campagne, etat=etat, deposee_le=timezone.now())
        for etat in (E.DEPOSEE, E.EN_INSTRUCTION, E.A_COMPLETER, E.EN_ATTENTE, E.AGREEE)
    }
    DeclarationFactory(campagne=CampagneFactory(annee=2026, close=True), recevable=True)

    seance = loire.preparer()

    assert _agenda(seance) == ["Collectif A de Roanne", "Collectif B de Roanne", "Collectif C de Roanne"]
    assert [p.rang for p in seance.points.order_by("rang")] == [1, 2, 3]
    assert set(_etats(recevables).values()) == {E.INSCRITE_EN_SEANCE}
    assert {e: Declaration.objects.get(pk=d.pk).etat for e, d in autres.items()} == {e: e for e in autres}
    assert list(seance.convoques.order_by("rang_rotation")) == loire.membres
    assert [(j.transition, j.acteur) for j in historique(recevables["a"])] == [
        ("inscrire_en_seance", loire.instructeur)
    ]


def test_une_seconde_seance_ne_reprend_pas_l_ordre_du_jour_de_la_premiere(loire):
    loire.declarations("ab")
    premiere = loire.preparer()

    seconde = loire.preparer()

    assert len(_agenda(premiere)) == 2
    assert _agenda(seconde) == []


def test_une_declaration_ne_figure_qu_a_un_ordre_du_jour_ouvert(loire):
    declaration = loire.declarations("a")["a"]
    loire.preparer()
    seconde = loire.preparer([])

    with pytest.raises(ValidationError) as erreur:
        seance_inscrire(acteur=loire.instructeur, seance=seconde, declaration=declaration)

    assert erreur.value.messages == [
        f"La déclaration de {declaration.collectif} est déjà à l'ordre du jour d'une séance."
    ]
    assert declaration.points.count() == 1


@pytest.mark.parametrize("etat", [E.EN_INSTRUCTION, E.AGREEE, E.REFUSEE, E.EN_ATTENTE, E.RETIREE])
def test_seule_une_declaration_recevable_s_inscrit(loire, etat):
    declaration = loire.declarations("a", etat=etat)["a"]
    seance = loire.preparer([])

    with pytest.raises(ValidationError) as erreur:
        seance_inscrire(acteur=loire.instructeur, seance=seance, declaration=declaration)

    assert erreur.value.messages == [f"La déclaration de {declaration.collectif} n'est pas recevable."]
    assert not seance.points.exists()


def test_une_declaration_d_une_autre_campagne_ne_s_inscrit_pas(loire):
    declaration = DeclarationFactory(campagne=CampagneFactory(annee=2026, close=True), recevable=True)
    seance = loire.preparer([])

    with pytest.raises(ValidationError) as erreur:
        seance_inscrire(acteur=loire.instructeur, seance=seance, declaration=declaration)

    assert erreur.value.messages == ["Cette déclaration relève d'une autre campagne."]


def test_la_campagne_doit_etre_celle_du_departement_de_l_instance(loire):
    rhone = CampagneFactory(departement=Departement.objects.get(code="69"), ouverte=True)

    with pytest.raises(ValidationError) as erreur:
        seance_preparer(acteur=loire.instructeur, instance=loire.instance, campagne=rhone, date=timezone.now())

    assert erreur.value.message_dict == {"campagne": ["Cette campagne n'est pas celle du département de l'instance."]}
    assert not Seance.objects.exists()


def test_l_ordre_du_jour_est_arrete_a_l_ouverture(loire):
    seance = loire.ouvrir(loire.preparer([]))
    declaration = loire.declarations("a")["a"]

    with pytest.raises(ValidationError) as erreur:
        seance_inscrire(acteur=loire.instructeur, seance=seance, declaration=declaration)

    assert erreur.value.messages == ["L'ordre du jour est arrêté : la séance a commencé."]


def test_l_ouverture_designe_le_president_en_cours(loire):
    seance = loire.preparer([])

    seance_ouvrir(acteur=loire.instructeur, seance=seance)

    seance.refresh_from_db()
    assert (seance.etat, seance.president) == (EtatSeance.EN_COURS, loire.membres[0])
    assert [(j.transition, j.source, j.cible) for j in historique(seance)] == [("ouvrir", "preparation", "en_cours")]


@pytest.mark.parametrize(
    ("role", "autorise"),
    [
        pytest.param("instructeur_42", True, id="instructeur-du-departement"),
        pytest.param("president", True, id="president"),
        pytest.param("membre", False, id="membre"),
        pytest.param("instructeur_autre", False, id="instructeur-d-un-autre-departement"),
        pytest.param("national", False, id="equipe-nationale"),
        pytest.param("referent_a", False, id="referent"),
        pytest.param("anonyme", False, id="anonyme"),
    ],
)
def test_qui_prepare_et_tient_une_seance(loire, distribution, role, autorise):
    acteurs = {"president": loire.president, "membre": loire.membres[1].user, "anonyme": AnonymousUser()}
    acteur = acteurs.get(role) or distribution.utilisateur(role)
    declaration = loire.declarations("a")["a"]
    preparer = lambda: seance_preparer(  # noqa: E731
        acteur=acteur, instance=loire.instance, campagne=loire.campagne, date=timezone.now()
    )
    ouverte = loire.ouvrir(loire.preparer([]))
    seance_de_decision = loire.ouvrir(loire.preparer([declaration]))
    loire.voter(seance_de_decision, {declaration: "pour"})
    point = seance_de_decision.points.get()

    if autorise:
        preparer()
        point_statuer(acteur=acteur, point=point)
        seance_clore(acteur=acteur, seance=ouverte)
        assert _etats({"a": declaration}) == {"a": E.AGREEE}
    else:
        for action in (
            preparer,
            lambda: point_statuer(acteur=acteur, point=point),
            lambda: seance_clore(acteur=acteur, seance=ouverte),
        ):
            with pytest.raises(PermissionDenied):
                action()
        assert Seance.objects.count() == 2
        assert _etats({"a": declaration}) == {"a": E.INSCRITE_EN_SEANCE}


# --- Decisions against the quota and the envelope. ---


@pytest.mark.parametrize(
    ("quota", "enveloppe", "deja_agreees", "votes", "attendu"),
    [
        pytest.param(5, "100000", 0, "ppp", "AAA", id="places-pour-tous"),
        pytest.param(2, "100000", 0, "pppp", "AAWW", id="quota-atteint-liste-d-attente"),
        pytest.param(3, "100000", 2, "ppp", "AWW", id="places-deja-prises"),
        pytest.param(5, "30000", 0, "pppp", "AAWW", id="enveloppe-pour-deux"),
        pytest.param(2, "100000", 0, "pcpp", "ARAW", id="un-refus-ne-prend-pas-de-place"),
        pytest.param(1, "100000", 0, "cpcp", "RARW", id="refus-apres-quota"),
    ],
)
def test_agrees_tant_qu_il_reste_des_places_puis_en_attente(loire, quota, enveloppe, deja_agreees, votes, attendu):
    Campagne.objects.filter(pk=loire.campagne.pk).update(quota=quota, enveloppe_annuelle=Decimal(enveloppe))
    for _ in range(deja_agreees):
        DeclarationFactory(campagne=loire.campagne, agreee=True)
    noms = "abcd"[: len(votes)]
    declarations = loire.declarations(noms)
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, {declarations[n]: "pour" if v == "p" else "contre" for n, v in zip(noms, votes, strict=True)})

    seance_clore(acteur=loire.instructeur, seance=seance)

    lettres = {E.AGREEE: "A", E.EN_ATTENTE: "W", E.REFUSEE: "R"}
    assert "".join(lettres[e] for e in _etats(declarations).values()) == attendu
    resultats = [p.resultat for p in seance.points.order_by("rang")]
    assert "".join(lettres[r] for r in resultats) == attendu
    assert Declaration.objects.filter(campagne=loire.campagne, etat=E.AGREEE).count() <= quota


def test_une_declaration_n_est_pas_agreee_deux_fois(loire):
    declaration = loire.declarations("a")["a"]
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, {declaration: "pour"})
    point = seance.points.get()
    point_statuer(acteur=loire.instructeur, point=point)

    with pytest.raises(ValidationError) as erreur:
        point_statuer(acteur=loire.instructeur, point=point)
    assert erreur.value.messages == ["Ce point est déjà décidé."]

    autre = loire.preparer([])
    with pytest.raises(ValidationError) as erreur:
        seance_inscrire(acteur=loire.instructeur, seance=autre, declaration=declaration)
    assert erreur.value.messages == [f"La déclaration de {declaration.collectif} n'est pas recevable."]
    assert [j.transition for j in historique(declaration)] == ["inscrire_en_seance", "agreer"]
    assert places_restantes(Campagne.objects.get(pk=loire.campagne.pk)) == 1


def test_la_cloture_decide_les_points_restants_par_ordre_de_depot(loire, django_capture_on_commit_callbacks):
    declarations = loire.declarations("abc")
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, dict.fromkeys(declarations.values(), "pour"))
    # The last filed was decided first, during the séance: it took a place.
    point_statuer(acteur=loire.instructeur, point=seance.points.get(declaration=declarations["c"]))

    with django_capture_on_commit_callbacks() as rappels:
        seance_clore(acteur=loire.instructeur, seance=seance)

    assert _etats(declarations) == {"a": E.AGREEE, "b": E.EN_ATTENTE, "c": E.AGREEE}
    seance.refresh_from_db()
    assert seance.etat == EtatSeance.CLOSE
    assert seance.cloturee_le is not None
    assert [(j.transition, j.acteur) for j in historique(seance)][-1] == ("clore", loire.instructeur)
    # After commit: the documents of the séance are issued (and the decisions notified).
    assert rappels


def test_une_seance_close_ne_decide_plus(loire):
    declaration = loire.declarations("a")["a"]
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, {declaration: "pour"})
    seance_clore(acteur=loire.instructeur, seance=seance)

    for action in (
        lambda: seance_clore(acteur=loire.instructeur, seance=seance),
        lambda: votes_enregistrer(acteur=loire.instructeur, point=seance.points.get(), votes={}),
    ):
        with pytest.raises(ValidationError) as erreur:
            action()
        assert erreur.value.messages == ["La séance n'est pas en cours."]


# --- The waiting list: promoted in filing order when a place frees up. ---


@pytest.fixture
def liste_d_attente(loire):
    """Quota 2: a and b agreed; c, d and e waitlisted (filed in that order, created in the reverse order)."""
    declarations = loire.declarations("abcde")
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, dict.fromkeys(declarations.values(), "pour"))
    seance_clore(acteur=loire.instructeur, seance=seance)
    assert _etats(declarations) == {
        "a": E.AGREEE,
        "b": E.AGREEE,
        "c": E.EN_ATTENTE,
        "d": E.EN_ATTENTE,
        "e": E.EN_ATTENTE,
    }
    return declarations


def _referent(loire: Instance, nom: str) -> Any:
    return loire.collectifs[nom].referents.get()


def _retirer(loire: Instance, declarations: dict[str, Declaration], nom: str) -> None:
    declaration_retirer(acteur=_referent(loire, nom), declaration=declarations[nom], motif="Le collectif se dissout.")


def _promues(declarations: dict[str, Declaration]) -> list[str]:
    return [n for n, d in declarations.items() if Declaration.objects.get(pk=d.pk).promue_le is not None]


def test_un_retrait_apres_agrement_promeut_la_premiere_deposee(
    loire, liste_d_attente, django_capture_on_commit_callbacks, mailoutbox
):
    prochaine = loire.preparer([])

    with django_capture_on_commit_callbacks(execute=True):
        _retirer(loire, liste_d_attente, "a")

    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.AGREEE,
        "c": E.INSCRITE_EN_SEANCE,
        "d": E.EN_ATTENTE,
        "e": E.EN_ATTENTE,
    }
    assert _promues(liste_d_attente) == ["c"]
    assert _agenda(prochaine) == ["Collectif C de Roanne"]
    assert places_restantes(loire.campagne) == 0
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["referent.c@roanne.exemple.fr"], "Une place s'est libérée : Collectif C de Roanne")
    ]
    journal = historique(liste_d_attente["c"]).last()
    assert (journal.transition, journal.source, journal.commentaire) == (
        "inscrire_en_seance",
        E.EN_ATTENTE,
        "Une place s'est libérée : remise à l'ordre du jour.",
    )


def test_la_promue_garde_sa_place_et_est_agreee(loire, liste_d_attente):
    prochaine = loire.preparer([])
    _retirer(loire, liste_d_attente, "a")
    loire.ouvrir(prochaine)
    loire.voter(prochaine, {liste_d_attente["c"]: "pour"})

    seance_clore(acteur=loire.instructeur, seance=prochaine)

    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.AGREEE,
        "c": E.AGREEE,
        "d": E.EN_ATTENTE,
        "e": E.EN_ATTENTE,
    }
    assert _promues(liste_d_attente) == []


def test_le_refus_d_une_promue_libere_sa_place_pour_la_suivante(
    loire, liste_d_attente, django_capture_on_commit_callbacks, mailoutbox
):
    deuxieme = loire.preparer([])
    _retirer(loire, liste_d_attente, "a")
    loire.ouvrir(deuxieme)
    loire.voter(deuxieme, {liste_d_attente["c"]: "contre"})

    with django_capture_on_commit_callbacks(execute=True):
        seance_clore(acteur=loire.instructeur, seance=deuxieme)

    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.AGREEE,
        "c": E.REFUSEE,
        "d": E.INSCRITE_EN_SEANCE,
        "e": E.EN_ATTENTE,
    }
    assert _promues(liste_d_attente) == ["d"]
    assert "Une place s'est libérée : Collectif D de Roanne" in [m.subject for m in mailoutbox]

    # No séance was in preparation: the next one takes d on its agenda, and agrees it.
    troisieme = loire.ouvrir(loire.preparer())
    assert _agenda(troisieme) == ["Collectif D de Roanne"]
    loire.voter(troisieme, {liste_d_attente["d"]: "pour"})
    seance_clore(acteur=loire.instructeur, seance=troisieme)
    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.AGREEE,
        "c": E.REFUSEE,
        "d": E.AGREEE,
        "e": E.EN_ATTENTE,
    }
    assert Declaration.objects.filter(campagne=loire.campagne, etat=E.AGREEE).count() == 2


def test_un_refus_sans_place_liberee_ne_promeut_personne(loire):
    declarations = loire.declarations("abcd")
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, {declarations["a"]: "pour", declarations["b"]: "pour", declarations["c"]: "pour"})
    loire.voter(seance, {declarations["d"]: "contre"})
    # c is waitlisted first, then d is refused: d held no place, so c stays on the waiting list.
    for nom in "abcd":
        point_statuer(acteur=loire.instructeur, point=seance.points.get(declaration=declarations[nom]))

    assert _etats(declarations) == {"a": E.AGREEE, "b": E.AGREEE, "c": E.EN_ATTENTE, "d": E.REFUSEE}
    assert _promues(declarations) == []


def test_deux_places_liberees_promeuvent_les_deux_premieres_deposees(loire, liste_d_attente):
    _retirer(loire, liste_d_attente, "b")
    _retirer(loire, liste_d_attente, "a")

    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.RETIREE,
        "c": E.INSCRITE_EN_SEANCE,
        "d": E.INSCRITE_EN_SEANCE,
        "e": E.EN_ATTENTE,
    }
    assert _promues(liste_d_attente) == ["c", "d"]
    assert _agenda(loire.preparer()) == ["Collectif C de Roanne", "Collectif D de Roanne"]


@pytest.mark.parametrize("nom", ["c", "d"])
def test_un_retrait_sur_la_liste_d_attente_ne_libere_aucune_place(loire, liste_d_attente, nom):
    _retirer(loire, liste_d_attente, nom)

    assert _promues(liste_d_attente) == []
    assert places_restantes(loire.campagne) == 0


def test_le_retrait_d_une_promue_libere_sa_place_pour_la_suivante(loire, liste_d_attente):
    prochaine = loire.preparer([])
    _retirer(loire, liste_d_attente, "a")

    _retirer(loire, liste_d_attente, "c")

    assert _etats(liste_d_attente) == {
        "a": E.RETIREE,
        "b": E.AGREEE,
        "c": E.RETIREE,
        "d": E.INSCRITE_EN_SEANCE,
        "e": E.EN_ATTENTE,
    }
    assert _promues(liste_d_attente) == ["d"]
    # The withdrawn declaration leaves the agenda undecided; the séance still closes and decides d.
    loire.ouvrir(prochaine)
    loire.voter(prochaine, {liste_d_attente["d"]: "pour"})
    seance_clore(acteur=loire.instructeur, seance=prochaine)
    assert _etats(liste_d_attente)["d"] == E.AGREEE
    assert Seance.objects.get(pk=prochaine.pk).etat == EtatSeance.CLOSE


def test_un_retrait_en_seance_n_empeche_pas_la_cloture(loire):
    declarations = loire.declarations("ab")
    seance = loire.ouvrir(loire.preparer())
    loire.voter(seance, {declarations["b"]: "pour"})

    _retirer(loire, declarations, "a")
    seance_clore(acteur=loire.instructeur, seance=seance)

    assert _etats(declarations) == {"a": E.RETIREE, "b": E.AGREEE}
    assert [p.resultat for p in seance.points.order_by("rang")] == ["", ResultatPoint.AGREEE]
