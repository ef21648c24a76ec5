"""R3 Campaign: who creates, opens and closes it; opening needs quota × minimum ≤ envelope; amounts and
thresholds are locked once open; one campaign per (département, year)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from campagnes.services import campagne_clore, campagne_creer, campagne_modifier, campagne_ouvrir
from journal.fsm import historique
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.instances.factories import CampagneFactory


@pytest.fixture
def roles(db):
    referent = UserFactory(email="referente@exemple.fr")
    CollectifFactory(referent=referent)
    return {
        "anonyme": AnonymousUser(),
        "referent": referent,
        "instructeur_42": InstructeurFactory(departements=["42"]).user,
        "instructeur_69": InstructeurFactory(departements=["69"]).user,
        "instructeur_42_et_43": InstructeurFactory(departements=["43", "42"]).user,
        "national": UserFactory(national=True),
    }


# Campaigns belong to the département's instructeurs; national staff read them but change none (SPEC §2).
AUTORISES = ["instructeur_42", "instructeur_42_et_43"]
REFUSES = ["anonyme", "referent", "instructeur_69", "national"]


def _loire() -> Departement:
    return Departement.objects.get(code="42")


def _creer(acteur, **valeurs):
    annee = valeurs.get("annee", 2028)
    donnees = {
        "departement": _loire(),
        "annee": annee,
        "quota": 4,
        "enveloppe_annuelle": Decimal("60000.00"),
        "montant_minimal_annuel": Decimal("15000.00"),
        # Within the plausible range of the campaign's year (core.dates.bornes_campagne), and still to come.
        "date_ouverture": datetime.date(annee, 1, 15),
        "date_cloture": datetime.date(annee, 6, 30),
    }
    return campagne_creer(acteur=acteur, **(donnees | valeurs))


# --- Opening: quota × montant_minimal_annuel ≤ enveloppe_annuelle. ---


@pytest.mark.parametrize(
    ("quota", "minimum", "enveloppe"),
    [
        pytest.param(5, "15000.00", "74999.99", id="un-centime-de-trop"),
        pytest.param(5, "15000.00", "60000.00", id="une-place-de-trop"),
        pytest.param(1, "0.01", "0.00", id="enveloppe-nulle"),
    ],
)
def test_ouverture_refusee_quand_l_enveloppe_ne_couvre_pas_le_minimum(roles, quota, minimum, enveloppe):
    campagne = _creer(
        roles["instructeur_42"],
        quota=quota,
        montant_minimal_annuel=Decimal(minimum),
        enveloppe_annuelle=Decimal(enveloppe),
    )

    with pytest.raises(ValidationError) as erreur:
        campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)

    engagement = quota * Decimal(minimum)
    assert erreur.value.message_dict == {
        "enveloppe_annuelle": [
            f"L'enveloppe annuelle ({enveloppe} €) ne couvre pas le minimum garanti : "
            f"{quota} places × {minimum} € = {engagement} €."
        ]
    }
    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.PREPARATION
    assert not historique(campagne).exists()


@pytest.mark.parametrize(
    ("quota", "minimum", "enveloppe"),
    [
        pytest.param(4, "15000.00", "60000.00", id="egalite"),
        pytest.param(5, "15000.00", "75000.00", id="egalite-2"),
        pytest.param(3, "15000.00", "60000.00", id="marge"),
    ],
)
def test_ouverture_acceptee_quand_l_enveloppe_couvre_le_minimum(roles, quota, minimum, enveloppe):
    campagne = _creer(
        roles["instructeur_42"],
        quota=quota,
        montant_minimal_annuel=Decimal(minimum),
        enveloppe_annuelle=Decimal(enveloppe),
    )

    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)

    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.OUVERTE
    journal = historique(campagne).get()
    assert (journal.transition, journal.source, journal.cible, journal.acteur) == (
        "ouvrir",
        "preparation",
        "ouverte",
        roles["instructeur_42"],
    )


def test_ouvrir_deux_fois_est_refuse(roles):
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)

    with pytest.raises(ValidationError):
        campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)

    assert historique(campagne).count() == 1


def test_clore(roles):
    campagne = _creer(roles["instructeur_42"])
    with pytest.raises(ValidationError):
        campagne_clore(acteur=roles["instructeur_42"], campagne=campagne)  # still in preparation

    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)
    campagne_clore(acteur=roles["instructeur_42"], campagne=campagne)

    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.CLOSE
    assert [(j.source, j.cible) for j in historique(campagne)] == [("preparation", "ouverte"), ("ouverte", "close")]
    with pytest.raises(ValidationError):
        campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)  # a closed campaign does not reopen


# --- Locked fields once open; dates stay editable. ---

VERROUILLES = [
    pytest.param("quota", 3, id="quota"),
    pytest.param("enveloppe_annuelle", Decimal("90000.00"), id="enveloppe_annuelle"),
    pytest.param("montant_minimal_annuel", Decimal("10000.00"), id="montant_minimal_annuel"),
    pytest.param("seuil_elu_responsable", 2, id="seuil_elu_responsable"),
    pytest.param("seuil_professionnel", 3, id="seuil_professionnel"),
    pytest.param("seuil_habitant", 1, id="seuil_habitant"),
]


@pytest.mark.parametrize(("champ", "valeur"), VERROUILLES)
def test_champ_modifiable_en_preparation(roles, champ, valeur):
    campagne = _creer(roles["instructeur_42"])

    campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, **{champ: valeur})

    campagne.refresh_from_db()
    assert getattr(campagne, champ) == valeur


@pytest.mark.parametrize(("champ", "valeur"), VERROUILLES)
def test_champ_verrouille_apres_ouverture(roles, champ, valeur):
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)
    avant = getattr(Campagne.objects.get(pk=campagne.pk), champ)

    with pytest.raises(ValidationError) as erreur:
        campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, **{champ: valeur})

    assert erreur.value.message_dict == {
        champ: ["Ce montant ou ce seuil est verrouillé depuis l'ouverture de la campagne."]
    }
    assert getattr(Campagne.objects.get(pk=campagne.pk), champ) == avant


@pytest.mark.parametrize(("champ", "valeur"), VERROUILLES)
def test_champ_verrouille_meme_avec_une_date(roles, champ, valeur):
    """A locked field sent along with an editable one does not slip through."""
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)
    cloture = campagne.date_cloture + datetime.timedelta(days=10)

    with pytest.raises(ValidationError):
        campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, date_cloture=cloture, **{champ: valeur})

    assert Campagne.objects.get(pk=campagne.pk).date_cloture == campagne.date_cloture


def test_renvoyer_la_meme_valeur_d_un_champ_verrouille_est_accepte(roles):
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)

    campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, quota=4, enveloppe_annuelle=Decimal("60000"))

    assert Campagne.objects.get(pk=campagne.pk).quota == 4


def test_les_dates_restent_modifiables_apres_ouverture(roles):
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)
    ouverture = campagne.date_ouverture - datetime.timedelta(days=5)
    cloture = campagne.date_cloture + datetime.timedelta(days=30)

    campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, date_ouverture=ouverture, date_cloture=cloture)

    campagne.refresh_from_db()
    assert (campagne.date_ouverture, campagne.date_cloture, campagne.etat) == (ouverture, cloture, EtatCampagne.OUVERTE)


def test_une_campagne_close_ne_se_modifie_plus(roles):
    campagne = _creer(roles["instructeur_42"])
    campagne_ouvrir(acteur=roles["instructeur_42"], campagne=campagne)
    campagne_clore(acteur=roles["instructeur_42"], campagne=campagne)

    with pytest.raises(PermissionDenied):
        campagne_modifier(
            acteur=roles["instructeur_42"],
            campagne=campagne,
            date_cloture=campagne.date_cloture + datetime.timedelta(1),
        )


# --- One campaign per (département, year). ---


def test_une_seule_campagne_par_departement_et_par_annee(roles):
    _creer(roles["instructeur_42"], annee=2028)

    with pytest.raises(ValidationError) as erreur:
        _creer(roles["instructeur_42"], annee=2028, quota=2)

    assert erreur.value.message_dict == {"annee": ["Une campagne 2028 existe déjà pour le département Loire (42)."]}
    assert Campagne.objects.filter(departement="42", annee=2028).count() == 1


def test_meme_annee_autre_departement_ou_autre_annee_acceptees(roles):
    _creer(roles["instructeur_42"], annee=2028)
    _creer(roles["instructeur_42"], annee=2029)
    _creer(roles["instructeur_42_et_43"], annee=2028, departement=Departement.objects.get(code="43"))

    assert Campagne.objects.count() == 3


def test_changer_d_annee_vers_une_annee_prise_est_refuse(roles):
    _creer(roles["instructeur_42"], annee=2028)
    campagne = _creer(roles["instructeur_42"], annee=2029)

    with pytest.raises(ValidationError) as erreur:
        campagne_modifier(acteur=roles["instructeur_42"], campagne=campagne, annee=2028)

    assert erreur.value.message_dict == {"annee": ["Une campagne 2028 existe déjà pour le département Loire (42)."]}


# --- Who may create, open and close. ---


@pytest.mark.parametrize("role", AUTORISES)
def test_creation_autorisee(roles, role):
    campagne = _creer(roles[role])

    assert (campagne.etat, campagne.departement_id) == (EtatCampagne.PREPARATION, "42")
    assert (campagne.seuil_elu_responsable, campagne.seuil_professionnel, campagne.seuil_habitant) == (1, 2, 2)
    assert campagne.plafond_mise_a_disposition == Decimal("20")


@pytest.mark.parametrize("role", REFUSES)
def test_creation_refusee(roles, role):
    with pytest.raises(PermissionDenied):
        _creer(roles[role])

    assert not Campagne.objects.exists()


@pytest.mark.parametrize("role", AUTORISES)
def test_ouverture_et_cloture_autorisees(roles, role):
    campagne = CampagneFactory(annee=2028, quota=4, enveloppe_annuelle=Decimal("60000"))

    campagne_ouvrir(acteur=roles[role], campagne=campagne)
    campagne_clore(acteur=roles[role], campagne=campagne)

    assert [j.acteur for j in historique(campagne)] == [roles[role], roles[role]]


@pytest.mark.parametrize("role", REFUSES)
def test_ouverture_refusee(roles, role):
    campagne = CampagneFactory(annee=2028, quota=4, enveloppe_annuelle=Decimal("60000"))

    with pytest.raises(PermissionDenied):
        campagne_ouvrir(acteur=roles[role], campagne=campagne)

    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.PREPARATION


@pytest.mark.parametrize("role", REFUSES)
def test_cloture_refusee(roles, role):
    campagne = CampagneFactory(annee=2028, ouverte=True)

    with pytest.raises(PermissionDenied):
        campagne_clore(acteur=roles[role], campagne=campagne)

    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.OUVERTE


@pytest.mark.parametrize("role", REFUSES)
def test_modification_refusee(roles, role):
    campagne = CampagneFactory(annee=2028)

    with pytest.raises(PermissionDenied):
        campagne_modifier(acteur=roles[role], campagne=campagne, quota=2)

    assert Campagne.objects.get(pk=campagne.pk).quota == campagne.quota


def test_l_instructeur_d_un_autre_departement_gere_le_sien(roles):
    campagne = _creer(roles["instructeur_69"], departement=Departement.objects.get(code="69"))

    campagne_ouvrir(acteur=roles["instructeur_69"], campagne=campagne)
    with pytest.raises(PermissionDenied):
        campagne_clore(acteur=roles["instructeur_42"], campagne=campagne)
