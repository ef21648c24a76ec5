"""R14, SPEC §5: the practice sheets' services and lifecycle: which role may run each transition from which state
(and nobody else, from no other state), what a draft may hold, what a proposal needs, the accompagnateur's proxy
entry with the collectif's consent, credits naming people, the journal, and the sheet's département and
convention."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from core.exceptions import ActionImpossible
from journal.fsm import historique, transitions_disponibles
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from mutualisation.services import fiches as services
from tests.conftest import ROLES
from tests.mutualisation.parcours_fiches import MondeFiches, consentement, construire, donnees

pytestmark = pytest.mark.django_db

ROLES_FICHES = [*ROLES, "accompagnateur"]

# Who may run each transition of collectif A's sheet, from the one state it starts from.
TRANSITIONS = {
    EtatFiche.BROUILLON: {"proposer": {"referent_a", "accompagnateur"}},
    EtatFiche.PROPOSEE: {"retourner": {"instructeur_42"}, "publier": {"instructeur_42"}},
    EtatFiche.PUBLIEE: {"retenir": {"national"}},
    EtatFiche.RETENUE: {},
}


@pytest.fixture
def monde(distribution) -> MondeFiches:
    return construire(distribution)


def _user(m: MondeFiches, role: str) -> Any:
    return m.utilisateur(role) or AnonymousUser()


@pytest.mark.parametrize("role", ROLES_FICHES)
@pytest.mark.parametrize("etat", list(TRANSITIONS))
def test_transitions_disponibles_par_etat_et_par_role(monde, etat, role):
    """The transitions offered (templates show actions from these) are exactly the declared ones."""
    attendues = {nom for nom, roles in TRANSITIONS[etat].items() if role in roles}
    assert set(transitions_disponibles(monde.fiche(etat), _user(monde, role))) == attendues


def _agir(m: MondeFiches, action: str, fiche: FichePratique, role: str) -> FichePratique:
    acteur = _user(m, role)
    if action == "proposer":
        return services.fiche_proposer(acteur=acteur, fiche=fiche)
    if action == "retourner":
        return services.fiche_retourner(acteur=acteur, fiche=fiche, message="Précisez la démarche, étape par étape.")
    if action == "publier":
        return services.fiche_publier(acteur=acteur, fiche=fiche)
    if action == "retenir":
        return services.fiche_retenir(acteur=acteur, fiche=fiche)
    assert action == "enregistrer"
    extra = {"consentement": consentement()} if role == "accompagnateur" else {}
    return services.fiche_enregistrer(acteur=acteur, fiche=fiche, donnees=donnees(titre="Titre repris"), **extra)


CIBLES = {
    "proposer": EtatFiche.PROPOSEE,
    "retourner": EtatFiche.BROUILLON,
    "publier": EtatFiche.PUBLIEE,
    "retenir": EtatFiche.RETENUE,
}
CAS_SERVICES = [
    pytest.param(source, action, role, role in roles, id=f"{action}-{source}-{role}")
    for source, actions in TRANSITIONS.items()
    for action, roles in actions.items()
    for role in ROLES_FICHES
]


@pytest.mark.parametrize(("source", "action", "role", "permis"), CAS_SERVICES)
def test_chaque_service_n_agit_que_pour_son_role(monde, source, action, role, permis):
    fiche = monde.fiche(source)
    if permis:
        _agir(monde, action, fiche, role)
        fiche.refresh_from_db()
        assert fiche.etat == CIBLES[action]
        derniere = historique(fiche).last()
        assert derniere is not None and derniere.transition == action and derniere.acteur == monde.utilisateur(role)
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            _agir(monde, action, fiche, role)
        fiche.refresh_from_db()
        assert fiche.etat == source


AUTORISE = {"proposer": "referent_a", "retourner": "instructeur_42", "publier": "instructeur_42", "retenir": "national"}


@pytest.mark.parametrize(
    ("action", "source"),
    [
        pytest.param(action, etat, id=f"{action}-{etat}")
        for action in AUTORISE
        for etat in TRANSITIONS
        if action not in TRANSITIONS[etat]
    ],
)
def test_aucune_transition_hors_de_son_etat_source(monde, action, source):
    """Even the right role cannot run a transition from another state: a French error, nothing changes."""
    fiche = monde.fiche(source)
    with pytest.raises((ValidationError, ActionImpossible, PermissionDenied)):
        _agir(monde, action, fiche, AUTORISE[action])
    fiche.refresh_from_db()
    assert fiche.etat == source


@pytest.mark.parametrize("role", ROLES_FICHES)
def test_seul_un_brouillon_se_modifie_et_par_le_collectif(monde, role):
    for etat in TRANSITIONS:
        fiche = monde.fiche(etat)
        permis = etat == EtatFiche.BROUILLON and role in {"referent_a", "accompagnateur"}
        if permis:
            _agir(monde, "enregistrer", fiche, role)
            assert FichePratique.objects.get(pk=fiche.pk).titre == "Titre repris"
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                _agir(monde, "enregistrer", fiche, role)
            assert FichePratique.objects.get(pk=fiche.pk).titre == fiche.titre


def test_proposer_exige_titre_contexte_demarche_et_un_theme(distribution):
    d = distribution
    fiche = services.fiche_creer(
        acteur=d.referent_a,
        collectif=d.collectif_a,
        donnees=services.DonneesFiche(titre="Une idée à écrire", annee=2027),
    )
    with pytest.raises(ValidationError) as erreur:
        services.fiche_proposer(acteur=d.referent_a, fiche=fiche)
    assert set(erreur.value.message_dict) == {"contexte", "demarche", "themes"}
    assert "Choisissez au moins un thème." in erreur.value.message_dict["themes"]
    assert FichePratique.objects.get(pk=fiche.pk).etat == EtatFiche.BROUILLON


def test_un_brouillon_a_un_titre_et_des_textes_bornes(distribution):
    d = distribution
    with pytest.raises(ValidationError) as erreur:
        services.fiche_creer(
            acteur=d.referent_a,
            collectif=d.collectif_a,
            donnees=services.DonneesFiche(titre=" ", annee=1990, demarche="x" * 6001, themes=(999_999,)),
        )
    messages = erreur.value.message_dict
    assert messages["titre"] == ["Donnez un titre à la fiche, même provisoire."]
    assert messages["demarche"] == ["6 000 caractères au plus."]
    assert messages["annee"][0].startswith("Une année entre 2000 et ")
    assert messages["themes"] == ["Choisissez les thèmes dans la liste."]
    assert not FichePratique.objects.exists()


def test_des_credits_nominatifs_exigent_l_accord_des_personnes(distribution):
    d = distribution
    with pytest.raises(ValidationError) as erreur:
        services.fiche_creer(
            acteur=d.referent_a, collectif=d.collectif_a, donnees=donnees(credits="Fiche écrite par Josette Granger.")
        )
    assert "credits_consentis" in erreur.value.message_dict
    fiche = services.fiche_creer(
        acteur=d.referent_a,
        collectif=d.collectif_a,
        donnees=donnees(credits="Fiche écrite par Josette Granger.", credits_consentis=True),
    )
    assert fiche.credits_consentis is True


def test_l_accompagnateur_redige_pour_le_compte_du_collectif_avec_son_accord(monde):
    collectif = monde.collectif_a
    with pytest.raises(ValidationError) as erreur:
        services.fiche_creer(acteur=monde.accompagnateur, collectif=collectif, donnees=donnees(titre="Par procuration"))
    assert "consentement" in erreur.value.message_dict
    fiche = services.fiche_creer(
        acteur=monde.accompagnateur,
        collectif=collectif,
        donnees=donnees(titre="Par procuration"),
        consentement=consentement(),
    )
    assert fiche.consentement is not None
    assert fiche.consentement.pour_le_compte_de == "Le collectif, réunion du 3 mars"
    assert fiche.consentement.saisi_par == monde.accompagnateur
    assert fiche.cree_par == monde.accompagnateur


@pytest.mark.parametrize("role", ["referent_b", "instructeur_42", "national", "anonyme"])
def test_seuls_le_collectif_et_son_accompagnateur_creent_une_fiche(monde, role):
    with pytest.raises(PermissionDenied):
        services.fiche_creer(acteur=_user(monde, role), collectif=monde.collectif_a, donnees=donnees(titre="Intrus"))
    assert not FichePratique.objects.filter(titre="Intrus").exists()


def test_la_fiche_prend_le_departement_du_collectif_et_le_retour_garde_le_message(monde):
    fiche = monde.fiche(EtatFiche.PROPOSEE)
    assert fiche.departement_id == monde.collectif_a.departement_id == "42"
    assert fiche.convention is None  # collectif A has no convention in this world
    with pytest.raises(ValidationError) as erreur:
        services.fiche_retourner(acteur=monde.instructeur_42, fiche=fiche, message=" ")
    assert erreur.value.message_dict == {"message": ["Dites au collectif ce qu'il faudrait reprendre."]}
    services.fiche_retourner(acteur=monde.instructeur_42, fiche=fiche, message="  Ajoutez les paroles d'habitant·es. ")
    fiche.refresh_from_db()
    assert fiche.etat == EtatFiche.BROUILLON
    assert fiche.message_retour == "Ajoutez les paroles d'habitant·es."
    assert historique(fiche).last().commentaire == "Ajoutez les paroles d'habitant·es."
