"""R11, R7: the yearly check-in. Created at signature with its due dates; saved as a draft, filed, validated (which
makes the next tranche payable in the same transaction) or returned « à compléter »; aggregate counts only; a
proxy entry by the accompagnateur needs a consent (R10, R20)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import can_proceed

from collectifs.enums import ModeConsentement
from collectifs.models import Consentement, Indicateur, Membre
from collectifs.services import DonneesConsentement
from comptes.models import User
from fonds.enums import EtatBilan, EtatTranche
from fonds.models import BilanAnnuel, Convention, Tranche, ValeurIndicateur, bilan_annuel_valide
from fonds.services import (
    DonneesBilan,
    bilan_deposer,
    bilan_enregistrer,
    bilan_retourner,
    bilan_valider,
    echeance_bilan,
    tranche_liberer,
    versement_enregistrer,
)
from instances.services import accompagnateur_affecter
from journal.models import TransitionLog
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.fonds.parcours_bilans import CollectifFinance, collectif_finance, donnees_completes
from tests.instances.factories_seances import AccompagnateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance() -> CollectifFinance:
    return collectif_finance()


def _deposer(finance: CollectifFinance, rang: int = 1) -> BilanAnnuel:
    return bilan_deposer(acteur=finance.referent, bilan=finance.bilan(rang), donnees=donnees_completes(finance))


def _tranche(finance: CollectifFinance, rang: int) -> Tranche:
    return Tranche.objects.get(convention=finance.convention, rang=rang)


# --- Creation at signature and due dates -----------------------------------------------------------------------


def test_la_signature_cree_un_bilan_attendu_par_annee_avec_son_echeance(finance):
    signee = finance.convention.signee_le
    bilans = list(BilanAnnuel.objects.filter(convention=finance.convention).order_by("rang"))
    assert [(b.rang, b.annee, b.etat) for b in bilans] == [
        (1, 2027, EtatBilan.ATTENDU),
        (2, 2028, EtatBilan.ATTENDU),
        (3, 2029, EtatBilan.ATTENDU),
    ]
    # Two months (the campaign's default) after each anniversary of the signature.
    assert [b.echeance for b in bilans] == [echeance_bilan(signee, rang, 2) for rang in (1, 2, 3)]
    premiere = bilans[0].echeance
    assert (premiere.year * 12 + premiere.month) - (signee.year * 12 + signee.month) == 14


def test_le_delai_du_bilan_se_regle_par_campagne():
    finance = collectif_finance(delai_bilan_mois=5)
    signee = finance.convention.signee_le
    assert finance.bilan(2).echeance == echeance_bilan(signee, 2, 5)
    assert (finance.bilan(2).echeance.year - signee.year) * 12 + finance.bilan(2).echeance.month - signee.month == 29


@pytest.mark.parametrize(
    ("signee", "rang", "delai", "attendue"),
    [
        (date(2027, 3, 15), 1, 2, date(2028, 5, 15)),
        (date(2027, 12, 31), 1, 2, date(2029, 2, 28)),  # no 31 February: the last day of the month
        (date(2028, 2, 29), 1, 0, date(2029, 2, 28)),
        (date(2027, 11, 30), 3, 3, date(2031, 2, 28)),
    ],
)
def test_echeance_un_delai_en_mois_apres_l_anniversaire(signee, rang, delai, attendue):
    assert echeance_bilan(signee, rang, delai) == attendue


# --- R7: the next tranche is released by the validation -----------------------------------------------------------


def test_la_tranche_2_n_est_pas_exigible_avant_la_validation_du_bilan_1(finance):
    deuxieme = _tranche(finance, 2)
    with pytest.raises(ValidationError, match="bilan annuel 2027"):
        tranche_liberer(acteur=finance.monde.instructeur, tranche=deuxieme)
    _deposer(finance)
    # Filed is not validated.
    with pytest.raises(ValidationError, match="bilan annuel 2027"):
        tranche_liberer(acteur=finance.monde.instructeur, tranche=deuxieme)
    with pytest.raises(ValidationError, match="n'est pas exigible"):
        versement_enregistrer(
            acteur=finance.monde.instructeur,
            tranche=deuxieme,
            date_versement=timezone.localdate(),
            montant=deuxieme.montant,
            reference_bancaire="VIR-2",
        )
    assert _tranche(finance, 2).etat == EtatTranche.PREVUE
    assert not bilan_annuel_valide(finance.convention, 2027)


def test_la_validation_du_bilan_1_rend_la_tranche_2_exigible_et_payable(finance):
    bilan = _deposer(finance)
    bilan_valider(acteur=finance.monde.instructeur, bilan=bilan)

    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.VALIDE
    assert bilan.valide_par == finance.monde.instructeur
    assert bilan.valide_le is not None
    assert bilan_annuel_valide(finance.convention, 2027)
    assert _tranche(finance, 2).etat == EtatTranche.EXIGIBLE
    assert _tranche(finance, 3).etat == EtatTranche.PREVUE  # year 2's check-in releases it, not year 1's
    journal = TransitionLog.objects.filter(object_id=_tranche(finance, 2).pk, cible=EtatTranche.EXIGIBLE).get()
    assert "Bilan de l'année 1 validé" in journal.commentaire
    versement = versement_enregistrer(
        acteur=finance.monde.instructeur,
        tranche=_tranche(finance, 2),
        date_versement=timezone.localdate(),
        montant=_tranche(finance, 2).montant,
        reference_bancaire="VIR-2",
    )
    assert versement.tranche.etat == EtatTranche.VERSEE


def test_bilan_valide_avant_le_versement_de_la_tranche_1_la_tranche_2_se_libere_ensuite():
    finance = collectif_finance(payer=False)
    bilan_valider(acteur=finance.monde.instructeur, bilan=_deposer(finance))
    assert _tranche(finance, 2).etat == EtatTranche.PREVUE  # tranche 1 is not paid yet
    premiere = _tranche(finance, 1)
    versement_enregistrer(
        acteur=finance.monde.instructeur,
        tranche=premiere,
        date_versement=timezone.localdate(),
        montant=premiere.montant,
        reference_bancaire="VIR-1",
    )
    tranche_liberer(acteur=finance.monde.instructeur, tranche=_tranche(finance, 2))
    assert _tranche(finance, 2).etat == EtatTranche.EXIGIBLE


def test_un_bilan_valide_ne_se_valide_pas_deux_fois(finance):
    bilan = _deposer(finance)
    bilan_valider(acteur=finance.monde.instructeur, bilan=bilan)
    with pytest.raises(ValidationError, match="validé : seul un bilan déposé"):
        bilan_valider(acteur=finance.monde.instructeur, bilan=bilan)
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        bilan_enregistrer(acteur=finance.referent, bilan=bilan, donnees=donnees_completes(finance))


# --- Draft, filing, « à compléter » ------------------------------------------------------------------------------


def test_le_brouillon_est_conserve_tel_que_saisi(finance):
    bilan = finance.bilan()
    brouillon = DonneesBilan(
        recit="Premiers mois : on se rencontre.",
        nombre_rencontres=3,
        valeurs={finance.indicateurs[0].pk: ("On commence à se parler.", None)},
    )
    bilan_enregistrer(acteur=finance.referent, bilan=bilan, donnees=brouillon)

    # Filing an incomplete check-in fails and names what is missing; the draft stays as it was saved.
    with pytest.raises(ValidationError) as refus:
        bilan_deposer(
            acteur=finance.referent, bilan=bilan, donnees=DonneesBilan(recit="", nombre_rencontres=4, valeurs={})
        )
    champs = refus.value.message_dict
    assert "Racontez" in champs["recit"][0]
    assert "niveau de participation" in champs["niveau_participation"][0]
    assert "Confiance entre habitant·es et institutions" in champs[f"indicateur_{finance.indicateurs[0].pk}"][0]

    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.ATTENDU
    assert bilan.recit == "Premiers mois : on se rencontre."
    assert bilan.nombre_rencontres == 3
    assert bilan.saisi_par == finance.referent
    assert bilan.enregistre_le is not None
    valeurs = {v.indicateur_id: v.texte for v in ValeurIndicateur.objects.filter(bilan=bilan)}
    assert valeurs == {finance.indicateurs[0].pk: "On commence à se parler.", finance.indicateurs[1].pk: ""}


def test_a_completer_avec_un_message_puis_nouveau_depot(finance):
    bilan = _deposer(finance)
    assert bilan.depose_par == finance.referent
    with pytest.raises(ValidationError, match="ce qu'il faut compléter"):
        bilan_retourner(acteur=finance.monde.instructeur, bilan=bilan, message="  ")
    bilan_retourner(acteur=finance.monde.instructeur, bilan=bilan, message="Précisez les difficultés de salle.")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.A_COMPLETER
    assert bilan.message_retour == "Précisez les difficultés de salle."
    assert bilan.retourne_par == finance.monde.instructeur
    assert _tranche(finance, 2).etat == EtatTranche.PREVUE

    bilan_deposer(
        acteur=finance.referent,
        bilan=bilan,
        donnees=donnees_completes(finance, difficultes="La salle municipale n'est libre que le samedi."),
    )
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.DEPOSE
    assert bilan.message_retour == "Précisez les difficultés de salle."  # kept for the record
    bilan_valider(acteur=finance.monde.instructeur, bilan=bilan)
    assert _tranche(finance, 2).etat == EtatTranche.EXIGIBLE
    assert list(
        TransitionLog.objects.filter(object_id=bilan.pk, champ="etat", content_type__model="bilanannuel")
        .order_by("pk")
        .values_list("transition", flat=True)
    ) == ["deposer", "retourner", "deposer", "valider"]


# --- Aggregate counts only ----------------------------------------------------------------------------------------


def test_le_bilan_ne_porte_aucune_donnee_sur_les_personnes():
    """R11: only counts; the only people a check-in points to are the accounts that acted and the proxy consent."""
    relations = {
        modele: {f.related_model for f in modele._meta.get_fields() if f.is_relation and f.concrete}
        for modele in (BilanAnnuel, ValeurIndicateur)
    }
    assert relations[BilanAnnuel] == {Convention, User, Consentement}
    assert relations[ValeurIndicateur] == {BilanAnnuel, Indicateur}
    assert Membre not in relations[BilanAnnuel] | relations[ValeurIndicateur]
    comptes = [
        f.name
        for f in BilanAnnuel._meta.get_fields()
        if isinstance(f, models.PositiveIntegerField) and f.name.startswith("nombre_")
    ]
    assert comptes == ["nombre_rencontres", "nombre_participants", "nombre_habitants"]
    texte = {f.name for f in BilanAnnuel._meta.get_fields() if isinstance(f, models.TextField | models.CharField)}
    assert texte == {"etat", "recit", "difficultes", "niveau_participation", "message_retour"}


@pytest.mark.parametrize(
    ("champs", "cle", "message"),
    [
        ({"nombre_participants": 10, "nombre_habitants": 12}, "nombre_habitants", "parmi les personnes"),
        ({"nombre_rencontres": -1}, "nombre_rencontres", "entre 0 et 100 000"),
        ({"nombre_participants": 100_001}, "nombre_participants", "entre 0 et 100 000"),
        ({"niveau_participation": "autogestion"}, "niveau_participation", "dans la liste"),
        ({"recit": "x" * 3001}, "recit", "3 000 caractères"),
    ],
)
def test_comptes_agreges_et_textes_bornes(finance, champs, cle, message):
    with pytest.raises(ValidationError) as refus:
        bilan_enregistrer(acteur=finance.referent, bilan=finance.bilan(), donnees=donnees_completes(finance, **champs))
    assert message in refus.value.message_dict[cle][0]
    assert finance.bilan().enregistre_le is None


# --- Proxy entry (R10, R20) ---------------------------------------------------------------------------------------


@pytest.fixture
def accompagnateur(finance):
    compte = UserFactory(email="accompagnement@exemple.fr")
    accompagnateur_affecter(
        acteur=finance.monde.instructeur,
        collectif=finance.collectif,
        accompagnateur=AccompagnateurFactory(user=compte, email=compte.email),
    )
    return compte


def test_saisie_pour_le_compte_du_collectif_sans_consentement_refusee(finance, accompagnateur):
    with pytest.raises(ValidationError) as refus:
        bilan_deposer(acteur=accompagnateur, bilan=finance.bilan(), donnees=donnees_completes(finance))
    assert "pour le compte du collectif" in refus.value.message_dict["consentement"][0]
    bilan = finance.bilan()
    assert bilan.etat == EtatBilan.ATTENDU
    assert bilan.recit == ""
    assert not Consentement.objects.exists()


def test_saisie_pour_le_compte_du_collectif_avec_consentement(finance, accompagnateur):
    accord = DonneesConsentement(
        pour_le_compte_de="Le collectif du Soleil (réunion du 3 mars)",
        mode=ModeConsentement.ORAL,
        recueilli_le=timezone.localdate(),
    )
    bilan = bilan_deposer(
        acteur=accompagnateur, bilan=finance.bilan(), donnees=donnees_completes(finance), consentement=accord
    )
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.DEPOSE
    assert bilan.consentement is not None
    assert bilan.consentement.saisi_par == accompagnateur
    assert bilan.consentement.collectif == finance.collectif
    assert str(bilan.consentement) == (
        f"Saisi par {accompagnateur} pour le compte de Le collectif du Soleil (réunion du 3 mars)"
    )
    assert bilan.depose_par == accompagnateur


def test_un_referent_saisit_sans_consentement(finance):
    bilan = bilan_enregistrer(acteur=finance.referent, bilan=finance.bilan(), donnees=donnees_completes(finance))
    assert bilan.consentement is None


# --- Who may act --------------------------------------------------------------------------------------------------


def test_roles(finance):
    bilan = finance.bilan()
    autre_instructeur = InstructeurFactory(departements=["69"]).user
    national = finance.monde.national
    inconnu = UserFactory()
    for acteur in (finance.monde.instructeur, autre_instructeur, national, inconnu):
        with pytest.raises(PermissionDenied):
            bilan_enregistrer(acteur=acteur, bilan=bilan, donnees=donnees_completes(finance))
    _deposer(finance)
    for acteur in (finance.referent, autre_instructeur, national, inconnu):
        with pytest.raises(PermissionDenied):
            bilan_valider(acteur=acteur, bilan=bilan)
        with pytest.raises(PermissionDenied):
            bilan_retourner(acteur=acteur, bilan=bilan, message="Non.")
    assert finance.bilan().etat == EtatBilan.DEPOSE


# --- Transition matrix (SPEC §5) ------------------------------------------------------------------------------------

SOURCES = {
    "deposer": {EtatBilan.ATTENDU, EtatBilan.A_COMPLETER},
    "valider": {EtatBilan.DEPOSE},
    "retourner": {EtatBilan.DEPOSE},
}


@pytest.mark.parametrize("etat", list(EtatBilan))
@pytest.mark.parametrize("transition", sorted(SOURCES))
def test_matrice_des_transitions(etat, transition):
    bilan = BilanAnnuel(rang=1, annee=2027, echeance=date(2028, 5, 15), etat=etat)
    assert can_proceed(getattr(bilan, transition)) is (etat in SOURCES[transition])
