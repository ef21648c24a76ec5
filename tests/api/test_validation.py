"""Bad input comes back as JSON with French messages per field, and nothing is half-written (SPEC §9)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import College, EtatDeclaration
from collectifs.models import Collectif, Declaration, Indicateur, Membre, Organisation
from documents.models import Document
from tests.api.conftest import deposee
from tests.collectifs.factories import DeclarationFactory, MembreFactory, OrganisationFactory, composer
from tests.instances.factories import CampagneFactory

R = "/api/v1/"
SIRET_FAUX = "12345678901234"  # 14 digits, wrong Luhn key
SIRET_JUSTE = "73282932000074"
MESSAGE_SIRET = "Ce numéro SIRET n'est pas valide : il doit comporter 14 chiffres et sa clé doit être correcte."
MESSAGE_RNA = "Ce numéro RNA n'est pas valide : il commence par W suivi de 9 caractères (ex. W423001234)."


def _membre(**extra):
    return {"college": "HABITANT", "prenom": "Fatou", "nom": "Diallo", "consentement": True, **extra}


# --- organisations and members


@pytest.mark.parametrize(
    ("organisation", "erreurs"),
    [
        ({"nom": "Amicale des locataires", "siret": SIRET_FAUX}, {"siret": [MESSAGE_SIRET]}),
        ({"nom": "Amicale des locataires", "rna": "X123"}, {"rna": [MESSAGE_RNA]}),
        ({"siret": SIRET_JUSTE}, {"nom": ["Ce champ est obligatoire."]}),
    ],
    ids=["siret", "rna", "nom"],
)
def test_organisation_d_un_membre_refusee_avec_message_par_champ(api, distribution, organisation, erreurs):
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    reponse = api.en(distribution.referent_a).post(url, _membre(organisation=organisation), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"organisation": erreurs}
    assert not Membre.objects.filter(nom="Diallo").exists()


@pytest.mark.parametrize(("siret", "rna"), [("", ""), (SIRET_JUSTE, ""), ("732 829 320 00074", ""), ("", "w423001234")])
def test_identifiants_facultatifs_ou_valides_acceptes(api, distribution, siret, rna):
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    organisation = {"nom": "Amicale des locataires", "siret": siret, "rna": rna}
    reponse = api.en(distribution.referent_a).post(url, _membre(organisation=organisation), format="json")
    assert reponse.status_code == 201, reponse.json()
    enregistree = Membre.objects.get(pk=reponse.json()["id"]).organisation
    assert (enregistree.siret, enregistree.rna) == (siret.replace(" ", ""), rna.upper())


@pytest.mark.parametrize("prenom,nom", [("Fatou", "Diallo"), ("FATOU", "diallo"), (" Fatôu ", "Diallo ")])
def test_meme_personne_refusee_deux_fois(api, distribution, prenom, nom):
    MembreFactory(collectif=distribution.collectif_a, college=College.PROFESSIONNEL, prenom="Fatou", nom="Diallo")
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    reponse = api.en(distribution.referent_a).post(url, _membre(prenom=prenom, nom=nom), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        "nom": [
            "Fatou Diallo fait déjà partie du collectif (collège « Professionnel·le ») : "
            "une personne ne compte qu'une fois."
        ]
    }
    assert distribution.collectif_a.membres.count() == 1


def test_meme_personne_dans_un_autre_collectif_acceptee(api, distribution):
    MembreFactory(collectif=distribution.collectif_b, prenom="Fatou", nom="Diallo")
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    reponse = api.en(distribution.referent_a).post(url, _membre(fonction="Habitante du quartier"), format="json")
    assert reponse.status_code == 201, reponse.json()
    corps = reponse.json()
    assert {c: corps[c] for c in ("college", "college_libelle", "prenom", "nom", "fonction", "organisation")} == {
        "college": "HABITANT",
        "college_libelle": "Représentant·e d'habitants ou d'usagers",
        "prenom": "Fatou",
        "nom": "Diallo",
        "fonction": "Habitante du quartier",
        "organisation": None,
    }
    assert corps["consentement"] is True and corps["est_actuel"] is True
    cree = Membre.objects.get(pk=corps["id"])
    assert (cree.collectif, cree.college, cree.prenom, cree.nom, cree.fonction, cree.organisation) == (
        distribution.collectif_a,
        College.HABITANT,
        "Fatou",
        "Diallo",
        "Habitante du quartier",
        None,
    )
    assert Membre.objects.filter(prenom="Fatou", nom="Diallo").count() == 2  # one per collectif


@pytest.mark.parametrize(
    ("donnees", "erreurs"),
    [
        (
            {"consentement": False},
            {
                "consentement": [
                    "Confirmez que la personne a donné son accord pour figurer dans la déclaration du collectif."
                ]
            },
        ),
        ({"consentement": None}, {"consentement": ["Ce champ ne peut être nul."]}),
        ({"college": "MAIRE"}, {"college": ["«\u00a0MAIRE\u00a0» n'est pas un choix valide."]}),
        ({"email": "pas-une-adresse"}, {"email": ["Saisissez une adresse e-mail valide."]}),
    ],
    ids=["consentement-refuse", "consentement-nul", "college", "email"],
)
def test_membre_refuse_avec_message_par_champ(api, distribution, donnees, erreurs):
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    reponse = api.en(distribution.referent_a).post(url, _membre(**donnees), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert not Membre.objects.exists()


def test_membre_sans_consentement_transmis(api, distribution):
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/"
    donnees = {k: v for k, v in _membre().items() if k != "consentement"}
    reponse = api.en(distribution.referent_a).post(url, donnees, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"consentement": ["Ce champ est obligatoire."]}


def test_fin_d_adhesion_retire_le_membre_de_la_composition(api, distribution):
    il_y_a_un_an = timezone.localdate() - datetime.timedelta(days=365)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    composer(distribution.collectif_a)
    distribution.collectif_a.membres.update(date_debut=il_y_a_un_an)
    habitant = distribution.collectif_a.membres.filter(college=College.HABITANT).first()
    client = api.en(distribution.referent_a)
    base = R + f"collectifs/{distribution.collectif_a.pk}/"
    assert client.get(base + "composition/").json()["est_conforme"] is True

    reponse = client.patch(base + f"membres/{habitant.pk}/", {"date_fin": hier.isoformat()}, format="json")
    assert reponse.status_code == 200, reponse.json()
    assert (reponse.json()["date_fin"], reponse.json()["est_actuel"]) == (hier.isoformat(), False)
    # Nothing is deleted, and the fields left out keep their value.
    assert Membre.objects.filter(pk=habitant.pk, prenom=habitant.prenom, date_debut=il_y_a_un_an).exists()

    composition = client.get(base + "composition/").json()
    assert composition["est_conforme"] is False
    assert composition["messages"] == ["Il manque 1 représentant·e d'habitants ou d'usagers"]
    assert composition["colleges"][2] == {
        "college": "HABITANT",
        "libelle": "Représentant·e d'habitants ou d'usagers",
        "effectif": 1,
        "minimum": 2,
        "manque": 1,
    }
    # The membership ending today still counts today (R1: « end date not past »).
    client.patch(base + f"membres/{habitant.pk}/", {"date_fin": timezone.localdate().isoformat()}, format="json")
    assert client.get(base + "composition/").json()["est_conforme"] is True


def test_composition_suit_les_seuils_de_la_campagne(api, distribution):
    Campagne.objects.filter(pk=distribution.campagne.pk).update(seuil_habitant=3)
    composer(distribution.collectif_a)
    DeclarationFactory(collectif=distribution.collectif_a, campagne=distribution.campagne)
    reponse = api.en(distribution.referent_a).get(R + f"collectifs/{distribution.collectif_a.pk}/composition/")
    assert reponse.json()["campagne"] == distribution.campagne.pk
    assert reponse.json()["messages"] == ["Il manque 1 représentant·e d'habitants ou d'usagers"]
    assert [c["minimum"] for c in reponse.json()["colleges"]] == [1, 2, 3]


def test_fin_d_adhesion_avant_son_debut_refusee(api, distribution):
    membre = MembreFactory(collectif=distribution.collectif_a)
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/{membre.pk}/"
    veille = membre.date_debut.replace(year=membre.date_debut.year - 1).isoformat()
    reponse = api.en(distribution.referent_a).patch(url, {"date_fin": veille}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"date_fin": ["La fin de l'adhésion ne peut pas précéder son début."]}
    membre.refresh_from_db()
    assert membre.date_fin is None


def test_modifier_un_membre_garde_son_organisation_ou_la_retire(api, distribution):
    organisation = OrganisationFactory(nom="CCAS de Saint-Étienne", siret=SIRET_JUSTE)
    membre = MembreFactory(collectif=distribution.collectif_a, organisation=organisation)
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/{membre.pk}/"
    client = api.en(distribution.referent_a)
    assert client.patch(url, {"telephone": "04 77 00 00 00"}, format="json").json()["organisation"]["id"] == (
        organisation.pk
    )
    assert client.patch(url, {"organisation": None}, format="json").json()["organisation"] is None
    membre.refresh_from_db()
    assert membre.organisation is None and membre.telephone == "04 77 00 00 00"


# --- collectifs


def test_collectif_cree_avec_ses_institutions_et_son_brouillon(api, distribution, django_capture_on_commit_callbacks):
    donnees = {
        "nom": "Collectif du Crêt de Roch",
        "departement": "42",
        "territoire": "Crêt de Roch, Saint-Étienne",
        "codes_communes": "42218",
        "institutions_origine": [
            {"nom": "Centre social du Crêt de Roch", "siret": SIRET_JUSTE},
            {"nom": "Collectif d'habitant·es (informel)"},
        ],
    }
    reponse = api.en(distribution.referent_a).post(R + "collectifs/", donnees, format="json")
    assert reponse.status_code == 201, reponse.json()
    corps = reponse.json()
    collectif = Collectif.objects.get(pk=corps["id"])
    assert list(collectif.referents.all()) == [distribution.referent_a]
    assert sorted(o["nom"] for o in corps["institutions_origine"]) == sorted(
        o.nom for o in collectif.institutions_origine.all()
    )
    brouillon = Declaration.objects.get(collectif=collectif)
    assert corps["brouillon"] == brouillon.pk and brouillon.etat == EtatDeclaration.BROUILLON
    assert brouillon.campagne == distribution.campagne


@pytest.mark.parametrize(
    ("donnees", "erreurs"),
    [
        ({"nom": ""}, {"nom": ["Ce champ ne peut être vide."]}),
        ({"departement": "99"}, {"departement": ["L'objet avec code=99 n'existe pas."]}),
        (
            {"codes_communes": "42218 4221"},
            {
                "codes_communes": [
                    "Code(s) INSEE non valide(s) : 4221. Un code de commune comporte 5 caractères (ex. 42218)."
                ]
            },
        ),
        (
            {"institutions_origine": [{"nom": "Mairie"}, {"nom": "Bailleur", "siret": SIRET_FAUX}]},
            {"institutions_origine": {"1": {"siret": [MESSAGE_SIRET]}}},  # errors keyed by list index
        ),
    ],
    ids=["nom", "departement", "communes", "institution-siret"],
)
def test_collectif_refuse_avec_message_par_champ(api, distribution, donnees, erreurs):
    corps = {"nom": "Collectif X", "departement": "42", "territoire": "Firminy", **donnees}
    avant = (Collectif.objects.count(), Organisation.objects.count())
    reponse = api.en(distribution.referent_a).post(R + "collectifs/", corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert (Collectif.objects.count(), Organisation.objects.count()) == avant


def test_modifier_un_collectif_sans_toucher_aux_institutions(api, distribution):
    institutions = list(distribution.collectif_a.institutions_origine.all())
    url = R + f"collectifs/{distribution.collectif_a.pk}/"
    client = api.en(distribution.referent_a)
    reponse = client.patch(url, {"nom": "Collectif de Montreynaud"}, format="json")
    assert reponse.status_code == 200
    assert list(distribution.collectif_a.institutions_origine.all()) == institutions
    reponse = client.patch(url, {"institutions_origine": [{"nom": "Maison de quartier"}]}, format="json")
    assert [o["nom"] for o in reponse.json()["institutions_origine"]] == ["Maison de quartier"]
    assert reponse.json()["nom"] == "Collectif de Montreynaud"
    assert client.patch(url, {"departement": "69"}, format="json").json()["departement"] == "42"


# --- declarations


def test_depot_avec_composition_incomplete_refuse_et_brouillon_garde(api, distribution):
    declaration = DeclarationFactory(
        collectif=distribution.collectif_a,
        campagne=distribution.campagne,
        dynamique_preexistante="Réunions mensuelles.",
        additionnalite="Rien sans le collectif.",
        avec_charte=True,
    )
    composer(distribution.collectif_a, elus=1, professionnels=1, habitants=0)
    reponse = api.en(distribution.referent_a).post(R + f"declarations/{declaration.pk}/deposer/", format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        "membres": [
            "Il manque 1 professionnel·le.",
            "Il manque 2 représentant·es d'habitants ou d'usagers.",
        ]
    }
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.BROUILLON
    assert declaration.dynamique_preexistante == "Réunions mensuelles."
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("manque", "champ", "message"),
    [
        ("charte", "adhesion_charte", "La charte des collectifs doit être acceptée."),
        ("additionnalite", "additionnalite", "Dites ce qui n'existerait pas sans le collectif."),
        ("institutions", "institutions_origine", "Nommez au moins une institution d'origine du collectif."),
        (
            "campagne",
            "campagne",
            "Aucune campagne 2027 n'est ouverte dans le département Loire (42) : le dépôt n'est pas possible.",
        ),
    ],
)
def test_depot_refuse_pour_chaque_condition(api, distribution, manque, champ, message):
    declaration = DeclarationFactory(
        collectif=distribution.collectif_a, campagne=distribution.campagne, prete=True, avec_charte=manque != "charte"
    )
    if manque == "additionnalite":
        Declaration.objects.filter(pk=declaration.pk).update(additionnalite="")
    if manque == "institutions":
        distribution.collectif_a.institutions_origine.clear()
    if manque == "campagne":
        Campagne.objects.filter(pk=distribution.campagne.pk).update(etat=EtatCampagne.CLOSE)
    client = api.en(distribution.referent_a)

    conditions = client.get(R + f"declarations/{declaration.pk}/conditions/").json()
    assert conditions["peut_deposer"] is False
    assert conditions["erreurs"] == {champ: [message]}

    reponse = client.post(R + f"declarations/{declaration.pk}/deposer/", format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {champ: [message]}


def test_plus_de_cinq_indicateurs_refuses(api, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a)
    indicateurs = [{"libelle": f"Indicateur {n}"} for n in range(6)]
    url = R + f"declarations/{declaration.pk}/indicateurs/"
    reponse = api.en(distribution.referent_a).put(url, {"indicateurs": indicateurs}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"indicateurs": ["Un collectif définit au plus 5 indicateurs (6 saisis)."]}
    assert not Indicateur.objects.exists()


def test_indicateurs_qualitatifs_en_premier(api, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a)
    indicateurs = [
        {"libelle": "Nombre de réunions", "nature": "quantitatif"},
        {"libelle": "Paroles d'habitant·es", "description": "Recueillies en réunion"},
    ]
    url = R + f"declarations/{declaration.pk}/indicateurs/"
    reponse = api.en(distribution.referent_a).put(url, {"indicateurs": indicateurs}, format="json")
    assert reponse.status_code == 200
    assert [(i["libelle"], i["nature"]) for i in reponse.json()["indicateurs"]] == [
        ("Paroles d'habitant·es", "qualitatif"),
        ("Nombre de réunions", "quantitatif"),
    ]


def test_nature_d_indicateur_inconnue(api, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a)
    url = R + f"declarations/{declaration.pk}/indicateurs/"
    corps = {"indicateurs": [{"libelle": "X", "nature": "mixte"}]}
    reponse = api.en(distribution.referent_a).put(url, corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"indicateurs": {"0": {"nature": ["«\u00a0mixte\u00a0» n'est pas un choix valide."]}}}


def test_retrait_sans_motif_refuse(api, distribution):
    declaration = deposee(distribution.collectif_a, distribution.campagne)
    url = R + f"declarations/{declaration.pk}/retirer/"
    reponse = api.en(distribution.referent_a).post(url, {"motif": "  "}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"motif": ["Indiquez le motif du retrait."]}
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.DEPOSEE


def test_retrait_d_un_brouillon_impossible(api, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a)
    url = R + f"declarations/{declaration.pk}/retirer/"
    reponse = api.en(distribution.referent_a).post(url, {"motif": "Erreur"}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"non_field_errors": ["Cette action n'est pas possible dans l'état actuel (brouillon)."]}


def test_un_brouillon_s_enregistre_incomplet_et_garde_les_champs_absents(api, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a, projet="Jardin partagé")
    url = R + f"declarations/{declaration.pk}/"
    client = api.en(distribution.referent_a)
    reponse = client.patch(url, {"additionnalite": "  Rien sans nous.  "}, format="json")
    assert reponse.status_code == 200
    assert (reponse.json()["projet"], reponse.json()["additionnalite"]) == ("Jardin partagé", "Rien sans nous.")


# --- campaigns (R3)


def _campagne_en_preparation(distribution, **valeurs):
    """Loire 2028 in preparation; the open 2027 campaign is closed first (one open campaign at a time)."""
    Campagne.objects.filter(pk=distribution.campagne.pk).update(etat=EtatCampagne.CLOSE)
    return CampagneFactory(annee=2028, **valeurs)


def test_ouverture_refusee_quand_le_quota_depasse_l_enveloppe(api, distribution):
    campagne = _campagne_en_preparation(
        distribution, quota=7, montant_minimal_annuel=Decimal("15000.00"), enveloppe_annuelle=Decimal("100000.00")
    )
    reponse = api.en(distribution.instructeur_42).post(R + f"campagnes/{campagne.pk}/ouvrir/", format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        "enveloppe_annuelle": [
            "L'enveloppe annuelle (100000.00 €) ne couvre pas le minimum garanti : 7 places × 15000.00 € = 105000.00 €."
        ]
    }
    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.PREPARATION


def test_ouverture_acceptee_a_l_egalite(api, distribution):
    campagne = _campagne_en_preparation(
        distribution, quota=4, montant_minimal_annuel=Decimal("25000.00"), enveloppe_annuelle=Decimal("100000.00")
    )
    reponse = api.en(distribution.instructeur_42).post(R + f"campagnes/{campagne.pk}/ouvrir/", format="json")
    assert reponse.status_code == 200
    assert reponse.json()["etat"] == "ouverte"
    assert reponse.json()["engagement_minimal"] == "100000.00"


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [
        ("quota", 6),
        ("enveloppe_annuelle", "90000.00"),
        ("montant_minimal_annuel", "10000.00"),
        ("seuil_elu_responsable", 2),
        ("seuil_professionnel", 3),
        ("seuil_habitant", 1),
    ],
)
def test_champ_verrouille_apres_ouverture(api, distribution, champ, valeur):
    url = R + f"campagnes/{distribution.campagne.pk}/"
    reponse = api.en(distribution.instructeur_42).patch(url, {champ: valeur}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {champ: ["Ce montant ou ce seuil est verrouillé depuis l'ouverture de la campagne."]}
    avant = getattr(distribution.campagne, champ)
    distribution.campagne.refresh_from_db()
    assert getattr(distribution.campagne, champ) == avant


def test_dates_modifiables_apres_ouverture(api, distribution):
    url = R + f"campagnes/{distribution.campagne.pk}/"
    nouvelle = distribution.campagne.date_cloture.replace(year=distribution.campagne.date_cloture.year + 1)
    reponse = api.en(distribution.instructeur_42).patch(url, {"date_cloture": nouvelle.isoformat()}, format="json")
    assert reponse.status_code == 200
    assert reponse.json()["date_cloture"] == nouvelle.isoformat()


def test_seconde_campagne_pour_la_meme_annee_refusee(api, distribution):
    corps = {
        "departement": "42",
        "annee": 2027,
        "quota": 2,
        "enveloppe_annuelle": "30000.00",
        "montant_minimal_annuel": "15000.00",
        "date_ouverture": "2027-01-01",
        "date_cloture": "2027-02-01",
    }
    reponse = api.en(distribution.instructeur_42).post(R + "campagnes/", corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"annee": ["Une campagne 2027 existe déjà pour le département Loire (42)."]}
    assert Campagne.objects.filter(departement="42", annee=2027).count() == 1


@pytest.mark.parametrize(
    ("donnees", "erreurs"),
    [
        ({"quota": 0}, {"quota": ["Assurez-vous que cette valeur est supérieure ou égale à\u00a01."]}),
        ({"enveloppe_annuelle": "abc"}, {"enveloppe_annuelle": ["Un nombre valide est requis."]}),
        ({"date_cloture": "2030-01-01"}, {"date_cloture": ["La clôture doit suivre l'ouverture."]}),
        ({"departement": None}, {"departement": ["Ce champ ne peut être nul."]}),
    ],
    ids=["quota", "enveloppe", "dates", "departement"],
)
def test_campagne_refusee_avec_message_par_champ(api, distribution, donnees, erreurs):
    corps = {
        "departement": "42",
        "annee": 2030,
        "quota": 2,
        "enveloppe_annuelle": "30000.00",
        "montant_minimal_annuel": "15000.00",
        "date_ouverture": "2030-02-01",
        "date_cloture": "2030-03-01",
        **donnees,
    }
    reponse = api.en(distribution.instructeur_42).post(R + "campagnes/", corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert not Campagne.objects.filter(annee=2030).exists()
