"""R1 Composition: the pure check, the current members in the database, and one person counted once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from collectifs.composition import Seuils, verifier_composition
from collectifs.enums import College
from collectifs.models import Membre, cle_personne
from collectifs.selectors import composition_du_collectif
from collectifs.services import DonneesMembre, membre_ajouter, membre_modifier
from tests.collectifs.factories import CollectifFactory, MembreFactory, composer
from tests.instances.factories import CampagneFactory

ELU, PRO, HAB = College.ELU_RESPONSABLE, College.PROFESSIONNEL, College.HABITANT

MANQUE_ELU_1 = "Il manque 1 élu·e ou responsable d'institution"
MANQUE_PRO_1 = "Il manque 1 professionnel·le"
MANQUE_HAB_1 = "Il manque 1 représentant·e d'habitants ou d'usagers"


def colleges(elus: int, professionnels: int, habitants: int) -> list[str]:
    return [ELU] * elus + [PRO] * professionnels + [HAB] * habitants


# (elus, professionnels, habitants), thresholds (None: defaults 1/2/2), expected missing, expected messages.
CAS = [
    pytest.param((1, 2, 2), None, {}, [], id="minimum-exact"),
    pytest.param((3, 5, 9), None, {}, [], id="au-dela-du-minimum"),
    pytest.param((0, 2, 2), None, {ELU: 1}, [MANQUE_ELU_1], id="elu-court-de-1"),
    pytest.param((1, 1, 2), None, {PRO: 1}, [MANQUE_PRO_1], id="professionnel-court-de-1"),
    pytest.param((1, 2, 1), None, {HAB: 1}, [MANQUE_HAB_1], id="habitant-court-de-1"),
    pytest.param(
        (9, 9, 0), None, {HAB: 2}, ["Il manque 2 représentant·es d'habitants ou d'usagers"], id="habitants-pluriel"
    ),
    pytest.param((1, 0, 2), None, {PRO: 2}, ["Il manque 2 professionnel·les"], id="professionnels-pluriel"),
    pytest.param(
        (0, 0, 0),
        None,
        {ELU: 1, PRO: 2, HAB: 2},
        [MANQUE_ELU_1, "Il manque 2 professionnel·les", "Il manque 2 représentant·es d'habitants ou d'usagers"],
        id="vide",
    ),
    pytest.param(
        (0, 1, 1), None, {ELU: 1, PRO: 1, HAB: 1}, [MANQUE_ELU_1, MANQUE_PRO_1, MANQUE_HAB_1], id="trois-courts"
    ),
    # Custom thresholds, set per campaign.
    pytest.param((1, 2, 2), Seuils(2, 2, 2), {ELU: 1}, [MANQUE_ELU_1], id="seuils-elu-2"),
    pytest.param(
        (2, 2, 2),
        Seuils(2, 2, 5),
        {HAB: 3},
        ["Il manque 3 représentant·es d'habitants ou d'usagers"],
        id="seuils-habitant-5",
    ),
    pytest.param(
        (3, 0, 4),
        Seuils(3, 3, 4),
        {PRO: 3},
        ["Il manque 3 professionnel·les"],
        id="seuils-professionnel-3",
    ),
    pytest.param(
        (0, 0, 0),
        Seuils(2, 1, 1),
        {ELU: 2, PRO: 1, HAB: 1},
        ["Il manque 2 élu·es ou responsables d'institution", MANQUE_PRO_1, MANQUE_HAB_1],
        id="seuils-elu-pluriel",
    ),
    pytest.param((1, 1, 1), Seuils(1, 1, 1), {}, [], id="seuils-abaisses"),
    # Zero thresholds: an empty college is fine.
    pytest.param((0, 0, 0), Seuils(0, 0, 0), {}, [], id="seuils-nuls-vide"),
    pytest.param((0, 2, 2), Seuils(0, 2, 2), {}, [], id="seuil-elu-nul"),
    pytest.param((1, 2, 0), Seuils(1, 2, 0), {}, [], id="seuil-habitant-nul"),
    pytest.param((0, 1, 0), Seuils(0, 2, 0), {PRO: 1}, [MANQUE_PRO_1], id="seuils-nuls-sauf-professionnel"),
]


@pytest.mark.parametrize(("effectifs", "seuils", "manquants", "messages"), CAS)
def test_verifier_composition(effectifs, seuils, manquants, messages):
    resultat = verifier_composition(colleges(*effectifs), seuils)

    assert resultat.manquants == manquants
    assert resultat.messages == messages
    assert resultat.est_conforme is (not manquants)
    assert resultat.effectifs == dict(zip([ELU, PRO, HAB], effectifs, strict=True))


def test_les_seuils_par_defaut_sont_1_2_2():
    assert Seuils() == Seuils(elu_responsable=1, professionnel=2, habitant=2)
    assert verifier_composition(colleges(1, 2, 2)).est_conforme
    assert not verifier_composition(colleges(1, 2, 1)).est_conforme


def test_un_college_inconnu_est_refuse():
    with pytest.raises(ValueError):
        verifier_composition([ELU, PRO, PRO, HAB, HAB, "PARTENAIRE"])


def test_lignes_pour_l_affichage():
    seuils = Seuils(1, 2, 3)
    lignes = verifier_composition(colleges(1, 3, 1), seuils).lignes(seuils)

    assert [(ligne["college"], ligne["effectif"], ligne["minimum"], ligne["manque"]) for ligne in lignes] == [
        (ELU, 1, 1, 0),
        (PRO, 3, 2, 0),
        (HAB, 1, 3, 2),
    ]


@given(
    effectifs=st.tuples(*[st.integers(min_value=0, max_value=6)] * 3),
    seuils=st.tuples(*[st.integers(min_value=0, max_value=6)] * 3),
    data=st.data(),
)
def test_propriete_conforme_exactement_quand_chaque_college_atteint_son_seuil(effectifs, seuils, data):
    # Any order of the members gives the same result.
    membres = data.draw(st.permutations(colleges(*effectifs)))
    resultat = verifier_composition(membres, Seuils(*seuils))

    attendus = {
        college: seuil - effectif
        for college, effectif, seuil in zip([ELU, PRO, HAB], effectifs, seuils, strict=True)
        if effectif < seuil
    }
    assert resultat.est_conforme is all(e >= s for e, s in zip(effectifs, seuils, strict=True))
    assert resultat.manquants == attendus
    assert all(n > 0 for n in resultat.manquants.values())
    assert len(resultat.messages) == len(attendus)
    for college, nombre in attendus.items():
        assert any(m.startswith(f"Il manque {nombre} ") for m in resultat.messages), college


# --- In the database: only current members count (end date not past), with the campaign's thresholds. ---


def _jour(decalage: int | None) -> datetime.date | None:
    return None if decalage is None else timezone.localdate() + datetime.timedelta(days=decalage)


@pytest.mark.parametrize(
    ("debut", "fin", "compte"),
    [
        pytest.param(-30, None, True, id="sans-date-de-fin"),
        pytest.param(-30, -1, False, id="fin-hier"),
        pytest.param(-30, -20, False, id="fin-passee"),
        pytest.param(-30, 0, True, id="fin-aujourdhui"),
        pytest.param(-30, 10, True, id="fin-future"),
        pytest.param(0, None, True, id="debut-aujourdhui"),
        pytest.param(1, None, False, id="debut-demain"),
        pytest.param(15, 30, False, id="debut-futur"),
    ],
)
def test_seuls_les_membres_actuels_comptent(db, debut, fin, compte):
    collectif = composer(CollectifFactory(), elus=1, professionnels=2, habitants=1)
    MembreFactory(collectif=collectif, college=HAB, date_debut=_jour(debut), date_fin=_jour(fin))

    resultat = composition_du_collectif(collectif)

    assert resultat.effectifs[HAB] == (2 if compte else 1)
    assert resultat.est_conforme is compte
    assert resultat.messages == ([] if compte else [MANQUE_HAB_1])


def test_un_membre_parti_ne_compte_plus(db):
    collectif = composer(CollectifFactory())
    assert composition_du_collectif(collectif).est_conforme
    elu = collectif.membres.get(college=ELU)
    Membre.objects.filter(pk=elu.pk).update(
        date_debut=_jour(-60), date_fin=_jour(-1)
    )  # the only elected official left yesterday

    assert composition_du_collectif(collectif).messages == [MANQUE_ELU_1]
    # On a day when the elected official was still there, the composition passed.
    assert composition_du_collectif(collectif, jour=_jour(-2)).effectifs[ELU] == 1


@pytest.mark.parametrize(
    ("seuils", "messages"),
    [
        pytest.param((1, 2, 2), [], id="defauts"),
        pytest.param((1, 2, 3), [MANQUE_HAB_1], id="habitant-3"),
        pytest.param((2, 3, 2), [MANQUE_ELU_1, MANQUE_PRO_1], id="elu-2-professionnel-3"),
        pytest.param((0, 0, 0), [], id="nuls"),
    ],
)
def test_composition_du_collectif_suit_les_seuils_de_la_campagne(db, seuils, messages):
    collectif = composer(CollectifFactory(), elus=1, professionnels=2, habitants=2)
    campagne = CampagneFactory(seuil_elu_responsable=seuils[0], seuil_professionnel=seuils[1], seuil_habitant=seuils[2])

    assert composition_du_collectif(collectif, campagne).messages == messages
    # Without a campaign the defaults 1/2/2 apply.
    assert composition_du_collectif(collectif).est_conforme


def test_seuils_nuls_de_la_campagne_et_college_vide(db):
    collectif = composer(CollectifFactory(), elus=0, professionnels=2, habitants=2)
    campagne = CampagneFactory(seuil_elu_responsable=0)

    assert composition_du_collectif(collectif, campagne).est_conforme
    assert composition_du_collectif(collectif).messages == [MANQUE_ELU_1]


# --- A person counts once: the same person is refused, in the same or another college. ---


def _ajouter(referent, collectif, college, prenom, nom):
    donnees = DonneesMembre(college=college, prenom=prenom, nom=nom, consentement=True)
    return membre_ajouter(acteur=referent, collectif=collectif, donnees=donnees)


@pytest.mark.parametrize(
    ("prenom", "nom"),
    [
        pytest.param("Hélène", "Lefèvre-Dupont", id="identique"),
        pytest.param("hélène", "LEFÈVRE-DUPONT", id="casse"),
        pytest.param("Helene", "Lefevre-Dupont", id="sans-accents"),
        pytest.param("HELENE", "lefevre dupont", id="casse-accents-tiret"),
        pytest.param("  Hélène ", "Lefèvre  Dupont ", id="espaces"),
        pytest.param("Hélène", "Lefèvre - Dupont", id="tiret-espace"),
    ],
)
@pytest.mark.parametrize("college", [HAB, PRO], ids=["meme-college", "autre-college"])
def test_la_meme_personne_est_refusee_dans_un_collectif(distribution, prenom, nom, college):
    collectif, referent = distribution.collectif_a, distribution.referent_a
    _ajouter(referent, collectif, HAB, "Hélène", "Lefèvre-Dupont")

    with pytest.raises(ValidationError) as erreur:
        _ajouter(referent, collectif, college, prenom, nom)

    assert erreur.value.message_dict == {
        "nom": [
            "Hélène Lefèvre-Dupont fait déjà partie du collectif "
            "(collège « Représentant·e d'habitants ou d'usagers ») : une personne ne compte qu'une fois."
        ]
    }
    assert collectif.membres.count() == 1


def test_des_personnes_differentes_sont_acceptees(distribution):
    collectif, referent = distribution.collectif_a, distribution.referent_a
    _ajouter(referent, collectif, HAB, "Hélène", "Lefèvre-Dupont")
    _ajouter(referent, collectif, HAB, "Hélène", "Lefèvre")
    _ajouter(referent, collectif, HAB, "Helena", "Lefèvre-Dupont")

    assert collectif.membres.count() == 3


def test_la_meme_personne_dans_un_autre_collectif_est_acceptee(distribution):
    _ajouter(distribution.referent_a, distribution.collectif_a, HAB, "Hélène", "Lefèvre-Dupont")
    membre = _ajouter(distribution.referent_b, distribution.collectif_b, ELU, "helene", "LEFEVRE DUPONT")

    assert membre.collectif == distribution.collectif_b
    assert Membre.objects.filter(cle=cle_personne("Hélène", "Lefèvre-Dupont")).count() == 2


def test_renommer_un_membre_en_doublon_est_refuse(distribution):
    collectif, referent = distribution.collectif_a, distribution.referent_a
    _ajouter(referent, collectif, HAB, "Hélène", "Lefèvre-Dupont")
    autre = _ajouter(referent, collectif, PRO, "Karim", "Benali")

    with pytest.raises(ValidationError) as erreur:
        membre_modifier(
            acteur=referent,
            membre=autre,
            donnees=DonneesMembre(college=PRO, prenom="Helene", nom="Lefevre Dupont", consentement=True),
        )

    assert list(erreur.value.message_dict) == ["nom"]
    autre.refresh_from_db()
    assert (autre.prenom, autre.nom) == ("Karim", "Benali")


def test_la_base_refuse_aussi_le_doublon(distribution):
    collectif = distribution.collectif_a
    MembreFactory(collectif=collectif, prenom="Hélène", nom="Lefèvre-Dupont")

    with pytest.raises(IntegrityError), transaction.atomic():
        MembreFactory(collectif=collectif, prenom="HELENE", nom="lefevre dupont", college=PRO)
