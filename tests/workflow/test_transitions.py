"""Lifecycles (SPEC §5): each transition is available from exactly its declared source states; the journal
of transitions is append-only; `transition_appliquer` refuses what the state machine refuses (R19)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed, has_transition_perm

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.enums import EtatSeance
from instances.models import Seance
from journal.fsm import TransitionInterdite, historique, transition_appliquer
from journal.models import TransitionLog
from tests.collectifs.factories import DeclarationFactory
from tests.instances.factories import CampagneFactory

# The expected matrix, written out: transition → {source state: target state}. Every other state refuses it.
# SPEC §5: brouillon → deposee → en_instruction ⇄ a_completer; en_instruction → recevable → inscrite_en_seance
# → agreee | refusee | en_attente; en_attente → inscrite_en_seance (place freed); withdrawal by the collectif
# from every filed state that is not final (after acceptance it frees a place, R5); classement sans suite by
# the instructeur only from a_completer, once the request for more has expired (R4).
E = EtatDeclaration
DECLARATION = {
    "deposer": {E.BROUILLON: E.DEPOSEE},
    "instruire": {E.DEPOSEE: E.EN_INSTRUCTION},
    "demander_complements": {E.EN_INSTRUCTION: E.A_COMPLETER},
    "completer": {E.A_COMPLETER: E.EN_INSTRUCTION},
    "declarer_recevable": {E.EN_INSTRUCTION: E.RECEVABLE},
    "inscrire_en_seance": {E.RECEVABLE: E.INSCRITE_EN_SEANCE, E.EN_ATTENTE: E.INSCRITE_EN_SEANCE},
    "agreer": {E.INSCRITE_EN_SEANCE: E.AGREEE},
    "refuser": {E.INSCRITE_EN_SEANCE: E.REFUSEE},
    "mettre_en_attente": {E.INSCRITE_EN_SEANCE: E.EN_ATTENTE},
    "retirer": {
        E.DEPOSEE: E.RETIREE,
        E.EN_INSTRUCTION: E.RETIREE,
        E.A_COMPLETER: E.RETIREE,
        E.RECEVABLE: E.RETIREE,
        E.INSCRITE_EN_SEANCE: E.RETIREE,
        E.EN_ATTENTE: E.RETIREE,
        E.AGREEE: E.RETIREE,
    },
    "classer_sans_suite": {E.A_COMPLETER: E.CLASSEE_SANS_SUITE},
}
# Nothing leaves these states.
ETATS_FINAUX = {E.REFUSEE, E.RETIREE, E.CLASSEE_SANS_SUITE}
# Who may run each transition (the `permission=` of the model): the collectif's référents or the instructeurs
# of its département.
PERMISSION_DECLARATION = {
    "deposer": "referent_a",
    "retirer": "referent_a",
    "completer": "referent_a",
    "instruire": "instructeur_42",
    "demander_complements": "instructeur_42",
    "declarer_recevable": "instructeur_42",
    "inscrire_en_seance": "instructeur_42",
    "agreer": "instructeur_42",
    "refuser": "instructeur_42",
    "mettre_en_attente": "instructeur_42",
    "classer_sans_suite": "instructeur_42",
}
CAMPAGNE = {
    "ouvrir": {EtatCampagne.PREPARATION: EtatCampagne.OUVERTE},
    "clore": {EtatCampagne.OUVERTE: EtatCampagne.CLOSE},
}
SEANCE = {
    "ouvrir": {EtatSeance.PREPARATION: EtatSeance.EN_COURS},
    "clore": {EtatSeance.EN_COURS: EtatSeance.CLOSE},
}


def _declaration(etat: str) -> Declaration:
    return Declaration(etat=etat)


def _campagne(etat: str) -> Campagne:
    # Enough money to open: the `financement_suffisant` condition holds.
    return Campagne(etat=etat, quota=1, enveloppe_annuelle=Decimal("1000"), montant_minimal_annuel=Decimal("1000"))


def _seance(etat: str) -> Seance:
    return Seance(etat=etat)


MATRICE = (
    [
        pytest.param(_declaration, transition, etat, sources.get(etat), id=f"declaration-{transition}-depuis-{etat}")
        for transition, sources in DECLARATION.items()
        for etat in EtatDeclaration.values
    ]
    + [
        pytest.param(_campagne, transition, etat, sources.get(etat), id=f"campagne-{transition}-depuis-{etat}")
        for transition, sources in CAMPAGNE.items()
        for etat in EtatCampagne.values
    ]
    + [
        pytest.param(_seance, transition, etat, sources.get(etat), id=f"seance-{transition}-depuis-{etat}")
        for transition, sources in SEANCE.items()
        for etat in EtatSeance.values
    ]
)


@pytest.mark.parametrize(("construire", "transition", "etat", "cible"), MATRICE)
def test_matrice_des_transitions(construire, transition, etat, cible):
    objet = construire(etat)
    methode = getattr(objet, transition)

    assert can_proceed(methode, check_conditions=False) is (cible is not None)
    if cible is not None:
        assert can_proceed(methode)
        methode()
        assert objet.etat == cible


@pytest.mark.parametrize(
    ("modele", "etats", "attendu"),
    [
        pytest.param(Declaration, EtatDeclaration, DECLARATION, id="declaration"),
        pytest.param(Campagne, EtatCampagne, CAMPAGNE, id="campagne"),
        pytest.param(Seance, EtatSeance, SEANCE, id="seance"),
    ],
)
def test_la_matrice_couvre_toutes_les_transitions_du_modele(modele, etats, attendu):
    """A transition added to a model, or a new source state, must show up in the matrix above."""
    declarees = {
        (t.name, str(t.source), str(t.target))
        for t in modele().get_all_etat_transitions()  # type: ignore[attr-defined]
    }
    assert declarees == {
        (transition, str(source), str(cible))
        for transition, sources in attendu.items()
        for source, cible in sources.items()
    }
    assert all(str(source) in etats.values for sources in attendu.values() for source in sources)


def test_les_etats_sont_ceux_de_la_specification():
    assert EtatDeclaration.values == [
        "brouillon",
        "deposee",
        "en_instruction",
        "a_completer",
        "recevable",
        "inscrite_en_seance",
        "agreee",
        "refusee",
        "en_attente",
        "retiree",
        "classee_sans_suite",
    ]
    assert EtatCampagne.values == ["preparation", "ouverte", "close"]
    assert EtatSeance.values == ["preparation", "en_cours", "close"]


@pytest.mark.parametrize("etat", EtatDeclaration.values)
def test_seuls_les_etats_finaux_n_ont_aucune_sortie(etat):
    sortantes = [transition for transition, sources in DECLARATION.items() if etat in sources]

    assert (sortantes == []) is (etat in ETATS_FINAUX)
    disponibles = _declaration(etat).get_available_etat_transitions()  # type: ignore[attr-defined]
    assert sorted(t.name for t in disponibles) == sorted(sortantes)


def test_chaque_etat_est_atteignable_depuis_le_brouillon():
    atteints, a_parcourir = {EtatDeclaration.BROUILLON}, [EtatDeclaration.BROUILLON]
    while a_parcourir:
        etat = a_parcourir.pop()
        for sources in DECLARATION.values():
            cible = sources.get(etat)
            if cible is not None and cible not in atteints:
                atteints.add(cible)
                a_parcourir.append(cible)

    assert atteints == set(EtatDeclaration.values)


def test_ouvrir_exige_un_financement_suffisant():
    campagne = Campagne(
        etat=EtatCampagne.PREPARATION,
        quota=2,
        enveloppe_annuelle=Decimal("1999.99"),
        montant_minimal_annuel=Decimal("1000"),
    )

    assert can_proceed(campagne.ouvrir, check_conditions=False)
    assert not can_proceed(campagne.ouvrir)


def test_l_etat_ne_se_modifie_pas_directement():
    declaration = _declaration(EtatDeclaration.BROUILLON)

    with pytest.raises(AttributeError):
        declaration.etat = EtatDeclaration.DEPOSEE


# --- transition_appliquer: the state machine's refusal, permissions, and the journal row. ---


@pytest.fixture
def campagne(db):
    return CampagneFactory(annee=2028, quota=4, enveloppe_annuelle=Decimal("60000"))


def test_transition_appliquer_journalise(distribution, campagne):
    journal = transition_appliquer(campagne, "ouvrir", acteur=distribution.instructeur_42, commentaire="Appel lancé")

    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.OUVERTE
    assert list(historique(campagne)) == [journal]
    assert (journal.objet, journal.champ, journal.transition) == (campagne, "etat", "ouvrir")
    assert (journal.source, journal.cible) == ("preparation", "ouverte")
    assert (journal.acteur, journal.commentaire) == (distribution.instructeur_42, "Appel lancé")


@pytest.mark.parametrize(
    ("etat", "transition"),
    [
        pytest.param(EtatCampagne.PREPARATION, "clore", id="clore-en-preparation"),
        pytest.param(EtatCampagne.OUVERTE, "ouvrir", id="rouvrir-une-ouverte"),
        pytest.param(EtatCampagne.CLOSE, "ouvrir", id="rouvrir-une-close"),
        pytest.param(EtatCampagne.CLOSE, "clore", id="reclore"),
    ],
)
def test_transition_appliquer_refuse_une_transition_indisponible(distribution, etat, transition):
    campagne = CampagneFactory(annee=2028, etat=etat)

    with pytest.raises(TransitionInterdite):
        transition_appliquer(campagne, transition, acteur=distribution.instructeur_42)

    assert Campagne.objects.get(pk=campagne.pk).etat == etat
    assert not historique(campagne).exists()


def test_transition_appliquer_refuse_une_condition_non_remplie(distribution):
    campagne = CampagneFactory(annee=2028, quota=5, enveloppe_annuelle=Decimal("1"))

    with pytest.raises(TransitionInterdite):
        transition_appliquer(campagne, "ouvrir", acteur=distribution.instructeur_42)

    assert not historique(campagne).exists()


@pytest.mark.parametrize("role", ["referent_a", "instructeur_autre", "national"])  # national staff: read only
def test_transition_appliquer_verifie_la_permission(distribution, campagne, role):
    with pytest.raises(PermissionDenied):
        transition_appliquer(campagne, "ouvrir", acteur=distribution.utilisateur(role))

    assert Campagne.objects.get(pk=campagne.pk).etat == EtatCampagne.PREPARATION
    assert not historique(campagne).exists()


@pytest.mark.parametrize(
    ("transition", "etat", "role"),
    [
        pytest.param("deposer", EtatDeclaration.DEPOSEE, "referent_a", id="deposer-une-deposee"),
        pytest.param("retirer", EtatDeclaration.BROUILLON, "referent_a", id="retirer-un-brouillon"),
        pytest.param("retirer", EtatDeclaration.RETIREE, "referent_a", id="retirer-une-retiree"),
        pytest.param("retirer", EtatDeclaration.REFUSEE, "referent_a", id="retirer-une-refusee"),
        pytest.param("agreer", EtatDeclaration.RECEVABLE, "instructeur_42", id="agreer-hors-seance"),
        pytest.param("agreer", EtatDeclaration.AGREEE, "instructeur_42", id="agreer-deux-fois"),
        pytest.param("declarer_recevable", EtatDeclaration.DEPOSEE, "instructeur_42", id="recevable-sans-instruction"),
        pytest.param("classer_sans_suite", EtatDeclaration.EN_INSTRUCTION, "instructeur_42", id="classer-sans-demande"),
        pytest.param("completer", EtatDeclaration.EN_INSTRUCTION, "referent_a", id="completer-sans-demande"),
    ],
)
def test_transition_appliquer_sur_une_declaration(distribution, transition, etat, role):
    declaration = DeclarationFactory(collectif=distribution.collectif_a, etat=etat)

    with pytest.raises(TransitionInterdite):
        transition_appliquer(declaration, transition, acteur=distribution.utilisateur(role))

    assert Declaration.objects.get(pk=declaration.pk).etat == etat
    assert not historique(declaration).exists()


@pytest.mark.parametrize(
    ("transition", "role"),
    [
        pytest.param(transition, role, id=f"{transition}-{role}")
        for transition in PERMISSION_DECLARATION
        for role in ["anonyme", "referent_a", "referent_b", "instructeur_42", "instructeur_autre", "national"]
    ],
)
def test_la_permission_de_chaque_transition_d_une_declaration(distribution, transition, role):
    """Each transition is reserved to its side: the collectif's référents, or its département's instructeurs."""
    etat = next(iter(DECLARATION[transition]))
    declaration = DeclarationFactory(collectif=distribution.collectif_a, etat=etat)
    methode = getattr(declaration, transition)

    assert has_transition_perm(methode, distribution.utilisateur(role)) is (role == PERMISSION_DECLARATION[transition])


def test_la_permission_couvre_toutes_les_transitions():
    assert set(PERMISSION_DECLARATION) == set(DECLARATION)


def test_la_permission_d_une_declaration_est_celle_des_referents(distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a)

    with pytest.raises(PermissionDenied):
        transition_appliquer(declaration, "deposer", acteur=distribution.referent_b)
    transition_appliquer(declaration, "deposer", acteur=distribution.referent_a)

    assert Declaration.objects.get(pk=declaration.pk).etat == EtatDeclaration.DEPOSEE


# --- The journal is append-only (R19). ---


@pytest.fixture
def ligne(distribution, campagne):
    return transition_appliquer(campagne, "ouvrir", acteur=distribution.instructeur_42)


def test_une_ligne_du_journal_ne_se_modifie_pas(ligne):
    ligne.commentaire = "Réécrit"
    with pytest.raises(ValueError, match="ajout seul"):
        ligne.save()

    with pytest.raises(ValueError, match="ajout seul"):
        TransitionLog.objects.filter(pk=ligne.pk).update(commentaire="Réécrit")

    assert TransitionLog.objects.get(pk=ligne.pk).commentaire == ""


def test_une_ligne_du_journal_ne_se_supprime_pas(ligne):
    with pytest.raises(ValueError, match="ajout seul"):
        ligne.delete()
    with pytest.raises(ValueError, match="ajout seul"):
        TransitionLog.objects.filter(pk=ligne.pk).delete()
    with pytest.raises(ValueError, match="ajout seul"):
        TransitionLog.objects.all().delete()

    assert TransitionLog.objects.filter(pk=ligne.pk).exists()


def test_le_journal_accepte_de_nouvelles_lignes(ligne, distribution, campagne):
    transition_appliquer(campagne, "clore", acteur=distribution.instructeur_42)

    assert [(j.source, j.cible) for j in historique(campagne)] == [("preparation", "ouverte"), ("ouverte", "close")]
