"""SPEC §7: the fund's exports. The SCDL « subventions » 2.1.1 file is validated against the shipped schema with
frictionless, plus the schema's custom checks (SIRET of idAttribuant/idBeneficiaire, one of idBeneficiaire or
rnaBeneficiaire); the staff's CSV and XLSX are read back cell by cell, with formulas neutralised, scoped to what
each role may see; every URL is in the permission matrix, and runs the same number of queries at two sizes."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import siret

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.models import Collectif, Declaration, Organisation
from comptes.models import User
from core.exports import BOM, FORMAT_DATE, FORMAT_EUROS, neutraliser
from fonds import exports
from fonds.enums import NatureBeneficiaire, NatureFinanceur
from fonds.models import AccesFinanceur, Convention
from fonds.services import (
    DonneesProjet,
    abondement_enregistrer,
    convention_annuler,
    convention_signer,
    enveloppe_repartir,
    financeur_creer,
    projet_financer,
    versement_enregistrer,
)
from instances.services import (
    point_statuer,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from territoires.models import Departement
from tests.collectifs.factories import DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee
from tests.fonds.test_vues_conventions import compte_employeur
from tests.vues import url_connexion

pytestmark = pytest.mark.django_db

SCHEMA = Path(django_settings.BASE_DIR) / "fonds" / "schemas" / "scdl-subventions-2.1.1.schema.json"
SIRET_COLLECTIF = "73282932000074"
SIRET_RHONE = "35600000000048"
RNA_PROJET = "W423001234"
SIGNATAIRE = "Odile Marchand, référente"
FORMULES = {
    "beneficiaire": '=HYPERLINK("https://exemple.invalid","Cliquez")',
    "objet": "+1 jardin partagé",
    "signataire_beneficiaire": "-2 signataires",
    "signataire_departement": "@SUM(A1:A9)",
}
ROLES = [
    "anonyme",
    "referent_a",
    "referent_b",
    "instructeur_42",
    "instructeur_autre",
    "national",
    "financeur",
    "employeur",
]
AUTORISES = {"instructeur_42", "instructeur_autre", "national"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- World -------------------------------------------------------------------------------------------------------


@dataclass
class Exports:
    """Collectif A's signed convention (SIRET, tranche 1 paid), a Loire project with an RNA number only, one with
    neither SIRET nor RNA, an unsigned one, a cancelled one, and a Rhône project of 2030 that a European funder
    co-finances; the roles of `distribution` plus a funder's login and the employer's login of collectif A's
    originating institution (R9)."""

    distribution: Any
    monde: LoireFinancee
    collectif: Convention
    rna: Convention
    sans_identifiant: Convention
    non_signee: Convention
    annulee: Convention
    rhone: Convention
    financeur: User
    employeur: User

    def utilisateur(self, role: str) -> Any:
        if role in ("financeur", "employeur"):
            return getattr(self, role)
        return self.distribution.utilisateur(role)


def aujourd_hui() -> datetime.date:
    return timezone.localdate()


def minuit(jour: datetime.date) -> datetime.datetime:
    """How openpyxl reads back a date cell: a naive datetime at midnight."""
    return datetime.datetime.combine(jour, datetime.time())


def signer(acteur: User, convention: Convention, *, signataire: str = SIGNATAIRE, **champs: str) -> Convention:
    return convention_signer(
        acteur=acteur,
        convention=convention,
        signee_le=aujourd_hui(),
        signataire_beneficiaire=champs.get("signataire_beneficiaire", signataire),
        signataire_departement=champs.get("signataire_departement", "Le président du Département"),
    )


def projet(
    acteur: User,
    monde: LoireFinancee,
    beneficiaire: str,
    *,
    departement: str = "42",
    tranches: tuple[tuple[int, Decimal], ...] = ((2027, E("1000.00")), (2028, E("1000.00"))),
    signe: bool = True,
    **champs: str,
) -> Convention:
    """A project of another kind (R8), recorded and (by default) signed by `acteur`."""
    annees = [annee for annee, _ in tranches]
    convention = projet_financer(
        acteur=acteur,
        fonds=monde.fonds,
        departement_code=departement,
        donnees=DonneesProjet(
            nature_beneficiaire=NatureBeneficiaire.EXPERIMENTATION,
            beneficiaire=beneficiaire,
            objet=champs.get("objet", "Expérimentation d'un accueil de jour sans condition"),
            date_debut=datetime.date(min(annees), 1, 1),
            date_fin=datetime.date(max(annees), 12, 31),
            tranches=list(tranches),
            siret_beneficiaire=champs.get("siret", ""),
            rna_beneficiaire=champs.get("rna", ""),
        ),
    )
    if signe:
        signer(acteur, convention, **{k: v for k, v in champs.items() if k.startswith("signataire_")})
    return Convention.objects.get(pk=convention.pk)


def agreer_collectif(monde: LoireFinancee, campagne: Any, collectif: Collectif) -> Declaration:
    """Collectif A, declared in the campaign, agreed in a séance that votes « pour »."""
    declaration = DeclarationFactory(collectif=collectif, campagne=campagne, recevable=True)
    seance = seance_preparer(
        acteur=monde.instructeur,
        instance=monde.instance,
        campagne=campagne,
        date=datetime.datetime(campagne.annee, 3, 15, 14, 30, tzinfo=datetime.UTC),
        declarations=[declaration],
    )
    seance_ouvrir(acteur=monde.instructeur, seance=seance)
    seance_enregistrer_presences(acteur=monde.instructeur, seance=seance, presents=monde.membres)
    point = seance.points.get()
    votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "pour"))
    point_statuer(acteur=monde.instructeur, point=point)
    return Declaration.objects.get(pk=declaration.pk)


def payer_premiere_tranche(acteur: User, convention: Convention, reference: str) -> None:
    tranche = convention.tranches.get(rang=1)
    versement_enregistrer(
        acteur=acteur,
        tranche=tranche,
        date_versement=aujourd_hui(),
        montant=tranche.montant,
        reference_bancaire=reference,
    )


@pytest.fixture
def ex(distribution) -> Exports:
    monde = loire_financee(
        enveloppes={2026: E("100000"), 2027: E("100000"), 2028: E("100000")},
        instructeur=distribution.instructeur_42,
        national=distribution.national,
    )
    national, instructeur = distribution.national, distribution.instructeur_42
    # A European funder contributes to 2030 only: the Rhône's 2030 project gets a share, the Loire's do not.
    ue = financeur_creer(acteur=national, nom="Fonds social européen", nature=NatureFinanceur.UNION_EUROPEENNE)
    abondement_enregistrer(acteur=national, fonds=monde.fonds, financeur=ue, annee=2030, montant=E("100000"))
    rhone = Departement.objects.get(code="69")
    enveloppe_repartir(acteur=national, fonds=monde.fonds, departement=rhone, annee=2030, montant=E("50000"))

    Organisation.objects.filter(pk__in=distribution.collectif_a.institutions_origine.values("pk")).update(
        siret=SIRET_COLLECTIF
    )
    # The distribution's open 2027 campaign holds no reservation: closed, so that a funded one opens.
    Campagne.objects.filter(pk=distribution.campagne.pk).update(etat=EtatCampagne.CLOSE)
    campagne = campagne_ouverte(monde, annee=2026)
    declaration = agreer_collectif(monde, campagne, distribution.collectif_a)
    collectif = signer(instructeur, Convention.objects.get(declaration=declaration))
    payer_premiere_tranche(instructeur, collectif, "VIR-2026-001")

    annulee = projet(instructeur, monde, "Université Jean Monnet", siret="19421095100423")
    convention_annuler(acteur=instructeur, convention=annulee, motifs="Projet abandonné par l'université.")
    acces = AccesFinanceur.objects.create(
        financeur=ue,
        email="financeur@exemple.fr",
        utilisateur=UserFactory(email="financeur@exemple.fr"),
        invite_par=national,
        accepte_le=timezone.now(),
    )
    return Exports(
        distribution=distribution,
        monde=monde,
        collectif=Convention.objects.get(pk=collectif.pk),
        rna=projet(instructeur, monde, "Association Les Jardins de Montreynaud", rna=RNA_PROJET),
        sans_identifiant=projet(instructeur, monde, "Atelier sans identifiant", siret="12345678901234"),
        non_signee=projet(instructeur, monde, "Projet pas encore signé", siret=SIRET_COLLECTIF, signe=False),
        annulee=Convention.objects.get(pk=annulee.pk),
        rhone=projet(
            distribution.instructeur_autre,
            monde,
            "Maison des habitants de Vaulx",
            departement="69",
            tranches=((2030, E("1500.00")),),
            siret=SIRET_RHONE,
        ),
        financeur=acces.utilisateur,
        employeur=compte_employeur(distribution.collectif_a.institutions_origine.first(), distribution.referent_a),
    )


# --- Helpers ----------------------------------------------------------------------------------------------------


def telecharger(client: Any, user: User | None, url: str) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(url)


def contenu(reponse: Any) -> bytes:
    if reponse.streaming:
        return b"".join(reponse.streaming_content)
    return reponse.content


def csv_lu(donnees: bytes, *, separateur: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(donnees.decode("utf-8-sig")), delimiter=separateur))


def url_export(jeu: str, format_: str) -> str:
    return reverse("fonds:export", args=[jeu, format_])


def scdl(client: Any, user: User) -> tuple[bytes, list[dict[str, str]]]:
    donnees = contenu(telecharger(client, user, reverse("fonds:export_scdl")))
    return donnees, list(csv.DictReader(io.StringIO(donnees.decode("utf-8"))))


def feuille(client: Any, user: User, jeu: str) -> Any:
    reponse = telecharger(client, user, url_export(jeu, "xlsx"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(contenu(reponse))).active


def valider_scdl(chemin: Path) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return frictionless.validate(chemin.name, schema=schema, basepath=str(chemin.parent))


# --- SCDL -------------------------------------------------------------------------------------------------------


def test_le_fichier_scdl_est_valide_selon_le_schema_2_1_1(ex, client, tmp_path):
    donnees, lignes = scdl(client, ex.distribution.national)
    chemin = tmp_path / "subventions.csv"
    chemin.write_bytes(donnees)

    rapport = valider_scdl(chemin)

    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert rapport.tasks[0].stats["rows"] == 3 == len(lignes)
    # The schema is really enforced: the same file with a malformed RNA number and percentage is refused.
    faux = tmp_path / "faux.csv"
    faux.write_bytes(donnees.replace(RNA_PROJET.encode(), b"X42").replace(b",1.00,", b",1.50,", 1))
    erreurs = valider_scdl(faux).flatten(["fieldName", "type"])
    assert ["rnaBeneficiaire", "constraint-error"] in erreurs
    assert ["pourcentageSubvention", "constraint-error"] in erreurs


def test_le_schema_livre_est_celui_de_la_reference():
    reference = Path(django_settings.BASE_DIR).parent / "shared" / "reference" / SCHEMA.name
    if not reference.exists():
        pytest.skip("la référence partagée n'est pas à côté du dépôt")
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json.loads(reference.read_text(encoding="utf-8"))
    assert [champ["name"] for champ in json.loads(SCHEMA.read_text(encoding="utf-8"))["fields"]] == list(
        exports.COLONNES_SCDL
    )


def test_scdl_format_entete_virgule_sans_bom(ex, client):
    reponse = telecharger(client, ex.distribution.national, reverse("fonds:export_scdl"))
    donnees = contenu(reponse)

    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="{aujourd_hui():%Y%m%d}_{django_settings.FONDS_ATTRIBUANT_SIRET}_subventions.csv"'
    )
    assert not donnees.startswith(BOM.encode())
    assert donnees.split(b"\r\n")[0].decode() == ",".join(exports.COLONNES_SCDL)
    assert next(csv.reader(io.StringIO(donnees.decode()))) == list(exports.COLONNES_SCDL)


def test_scdl_controles_personnalises_du_schema(ex, client):
    """The schema's custom checks, which frictionless does not run: french-siret-value on idAttribuant and
    idBeneficiaire, one-of-required on idBeneficiaire / rnaBeneficiaire."""
    _, lignes = scdl(client, ex.distribution.national)

    assert lignes
    for ligne in lignes:
        assert siret.is_valid(ligne["idAttribuant"]), ligne
        assert ligne["idBeneficiaire"] == "" or siret.is_valid(ligne["idBeneficiaire"]), ligne
        assert ligne["idBeneficiaire"] or ligne["rnaBeneficiaire"], ligne


def test_scdl_une_ligne_par_convention_signee(ex, client):
    donnees, lignes = scdl(client, ex.distribution.national)
    par_reference = {ligne["referenceDecision"]: ligne for ligne in lignes}

    # Unsigned, cancelled, and without SIRET nor RNA: left out.
    assert set(par_reference) == {ex.collectif.reference, ex.rna.reference, ex.rhone.reference}
    assert par_reference[ex.collectif.reference] == {
        "nomAttribuant": "Fonds d'innovation sociale (démonstration)",
        "idAttribuant": "13000000300017",
        "dateConvention": aujourd_hui().isoformat(),
        "referenceDecision": ex.collectif.reference,
        "nomBeneficiaire": "Collectif A de Montreynaud",
        "idBeneficiaire": SIRET_COLLECTIF,
        "rnaBeneficiaire": "",
        "objet": "Financement triennal du collectif local de développement social « Collectif A de Montreynaud »",
        "montant": "30000.00",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2026-01-01/2028-12-31",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }
    projet_rna = par_reference[ex.rna.reference]
    assert (projet_rna["idBeneficiaire"], projet_rna["rnaBeneficiaire"]) == ("", RNA_PROJET)
    assert (projet_rna["montant"], projet_rna["datesPeriodeVersement"]) == ("2000.00", "2027-01-01/2028-12-31")
    rhone = par_reference[ex.rhone.reference]
    assert (rhone["notificationUE"], rhone["conditionsVersement"], rhone["montant"]) == ("oui", "unique", "1500.00")
    # Public open data: no signatory (nor member) names.
    assert "Marchand" not in donnees.decode()


def test_scdl_instructeur_ses_departements_seulement(ex, client):
    _, lignes_42 = scdl(client, ex.distribution.instructeur_42)
    _, lignes_69 = scdl(client, ex.distribution.instructeur_autre)

    assert {ligne["referenceDecision"] for ligne in lignes_42} == {ex.collectif.reference, ex.rna.reference}
    assert [ligne["referenceDecision"] for ligne in lignes_69] == [ex.rhone.reference]


def test_scdl_neutralise_les_formules_et_borne_l_objet(ex, client):
    convention = projet(
        ex.distribution.instructeur_42,
        ex.monde,
        FORMULES["beneficiaire"],
        siret=SIRET_RHONE,
        objet="+" + "x" * 255,
    )

    _, lignes = scdl(client, ex.distribution.national)

    ligne = next(ligne for ligne in lignes if ligne["referenceDecision"] == convention.reference)
    assert ligne["nomBeneficiaire"] == "'" + FORMULES["beneficiaire"]
    assert ligne["objet"] == "'+" + "x" * 254
    assert len(ligne["objet"]) == 256


def test_scdl_attribuant_mal_configure(ex, settings):
    settings.FONDS_ATTRIBUANT_SIRET = "13000000300018"
    with pytest.raises(ImproperlyConfigured, match="n'est pas un SIRET valide"):
        exports.attribuant()
    settings.FONDS_ATTRIBUANT_SIRET = "130 000 003 00017"
    settings.FONDS_ATTRIBUANT_NOM = " "
    with pytest.raises(ImproperlyConfigured, match="FONDS_ATTRIBUANT_NOM"):
        exports.attribuant()
    settings.FONDS_ATTRIBUANT_NOM = "Département de la Loire"
    assert exports.attribuant() == exports.Attribuant(nom="Département de la Loire", siret="13000000300017")


@pytest.mark.parametrize(
    ("valeur", "siret_attendu", "rna_attendu"),
    [
        ("73282932000074", "73282932000074", ""),
        ("732 829 320 00074", "73282932000074", ""),
        ("73282932000075", "", ""),
        ("W423001234", "", "W423001234"),
        ("w423001234", "", "W423001234"),
        ("W42300123", "", ""),
        ("", "", ""),
    ],
)
def test_identifiants_publiables(valeur, siret_attendu, rna_attendu):
    assert exports.siret_publiable(valeur) == siret_attendu
    assert exports.rna_publiable(valeur) == rna_attendu


def test_la_page_liste_les_conventions_absentes_du_scdl(ex, client):
    page_42 = telecharger(client, ex.distribution.instructeur_42, reverse("fonds:exports")).content.decode()
    page_69 = telecharger(client, ex.distribution.instructeur_autre, reverse("fonds:exports")).content.decode()
    page_nationale = telecharger(client, ex.distribution.national, reverse("fonds:exports")).content.decode()

    for page in (page_42, page_nationale):
        assert ex.sans_identifiant.reference in page and "12345678901234" in page
        assert "Conventions signées sans SIRET ni RNA valide (1)" in page
        # Neither the unsigned nor the publishable conventions are listed.
        assert ex.non_signee.reference not in page and ex.collectif.reference not in page
    assert ex.sans_identifiant.reference not in page_69
    assert "Aucune : toutes les conventions signées" in page_69
    assert reverse("fonds:export_scdl") in page_69
    for jeu in exports.JEUX:
        assert url_export(jeu, "csv") in page_42 and url_export(jeu, "xlsx") in page_42


# --- Staff exports ----------------------------------------------------------------------------------------------


def test_csv_pour_tableur_point_virgule_bom_formats_francais(ex, client):
    reponse = telecharger(client, ex.distribution.instructeur_42, url_export("tranches", "csv"))
    donnees = contenu(reponse)

    assert reponse["Content-Disposition"] == f'attachment; filename="fonds-tranches-{aujourd_hui():%Y%m%d}.csv"'
    assert donnees.startswith(BOM.encode())
    lignes = csv_lu(donnees, separateur=";")
    assert lignes[0] == list(exports.JEUX["tranches"].entetes)
    premiere = next(ligne for ligne in lignes if ligne[0] == ex.collectif.reference and ligne[3] == "1")
    assert premiere == [
        ex.collectif.reference,
        "42",
        "Collectif A de Montreynaud",
        "1",
        "2026",
        "10000,00",
        "Versée",
        aujourd_hui().strftime("%d/%m/%Y"),
        "10000,00",
        "VIR-2026-001",
    ]


def test_xlsx_conventions_cellule_par_cellule(ex, client):
    lignes = list(feuille(client, ex.distribution.instructeur_autre, "conventions").iter_rows())

    assert [c.value for c in lignes[0]] == list(exports.JEUX["conventions"].entetes)
    assert all(c.font.b for c in lignes[0])
    assert len(lignes) == 2
    cellules = lignes[1]
    assert [c.value for c in cellules] == [
        ex.rhone.reference,
        "69",
        "Rhône",
        "Expérimentation hors normes",
        "Maison des habitants de Vaulx",
        SIRET_RHONE,
        None,
        "Expérimentation d'un accueil de jour sans condition",
        None,
        minuit(datetime.date(2030, 1, 1)),
        minuit(datetime.date(2030, 12, 31)),
        "Active",
        minuit(aujourd_hui()),
        SIGNATAIRE,
        "Le président du Département",
        1500,
        0,
        None,
        None,
    ]
    types = dict(zip(exports.JEUX["conventions"].entetes, cellules, strict=True))
    assert types["SIRET"].data_type == "s"  # an identifier stays text, leading zeros and all
    for entete in ("Début", "Fin", "Signée le"):
        assert types[entete].is_date and types[entete].number_format == FORMAT_DATE
    for entete in ("Montant (€)", "Versé (€)"):
        assert types[entete].data_type == "n" and types[entete].number_format == FORMAT_EUROS


def test_xlsx_versements_cellule_par_cellule(ex, client):
    lignes = list(feuille(client, ex.distribution.instructeur_42, "versements").iter_rows(values_only=True))

    assert lignes[0] == exports.JEUX["versements"].entetes
    assert len(lignes) == 2
    *debut, enregistre_le = lignes[1]
    assert debut == [
        minuit(aujourd_hui()),
        ex.collectif.reference,
        "42",
        "Collectif A de Montreynaud",
        1,
        2026,
        10000,
        "VIR-2026-001",
    ]
    assert isinstance(enregistre_le, datetime.datetime) and enregistre_le.date() == aujourd_hui()


def test_grand_livre_montants_negatifs_restent_des_nombres(ex, client):
    lignes = list(feuille(client, ex.distribution.national, "ecritures").iter_rows())
    entetes = [c.value for c in lignes[0]]
    montant = entetes.index("Montant (€)")

    negatifs = [ligne[montant] for ligne in lignes[1:] if ligne[montant].value < 0]
    assert negatifs and all(c.data_type == "n" and c.number_format == FORMAT_EUROS for c in negatifs)
    texte = contenu(telecharger(client, ex.distribution.national, url_export("ecritures", "csv"))).decode("utf-8-sig")
    assert ";-10000,00;" in texte and ";'-10000,00;" not in texte


@pytest.mark.parametrize("texte", [*FORMULES.values(), "\tcmd", "\r=1"])
def test_neutraliser(texte):
    assert neutraliser(texte) == "'" + texte


@pytest.mark.parametrize("texte", ["Collectif du Crêt de Roch", "", "1-2 ateliers", "Rue d'Arcole = 3"])
def test_neutraliser_laisse_le_texte_ordinaire(texte):
    assert neutraliser(texte) == texte


def test_formules_neutralisees_dans_le_csv_et_le_xlsx(ex, client):
    instructeur = ex.distribution.instructeur_42
    convention = projet(
        instructeur,
        ex.monde,
        FORMULES["beneficiaire"],
        objet=FORMULES["objet"],
        signataire_beneficiaire=FORMULES["signataire_beneficiaire"],
        signataire_departement=FORMULES["signataire_departement"],
    )
    entetes = exports.JEUX["conventions"].entetes
    colonnes = {
        "beneficiaire": entetes.index("Bénéficiaire"),
        "objet": entetes.index("Objet"),
        "signataire_beneficiaire": entetes.index("Signataire pour le bénéficiaire"),
        "signataire_departement": entetes.index("Signataire pour le département"),
    }

    lignes = csv_lu(contenu(telecharger(client, instructeur, url_export("conventions", "csv"))), separateur=";")
    ligne_csv = next(ligne for ligne in lignes if ligne[0] == convention.reference)
    ligne_xlsx = next(
        ligne
        for ligne in feuille(client, instructeur, "conventions").iter_rows()
        if ligne[0].value == convention.reference
    )

    for champ, rang in colonnes.items():
        assert ligne_csv[rang] == "'" + FORMULES[champ], champ
        cellule = ligne_xlsx[rang]
        assert cellule.data_type == "s" and cellule.value == "'" + FORMULES[champ], champ


def test_xlsx_retire_les_caracteres_de_controle(ex, client):
    instructeur = ex.distribution.instructeur_42
    convention = projet(instructeur, ex.monde, "Atelier\x0bvertical", siret=SIRET_RHONE)

    ligne = next(
        ligne
        for ligne in feuille(client, instructeur, "conventions").iter_rows(values_only=True)
        if ligne[0] == convention.reference
    )

    assert ligne[4] == "Ateliervertical"


# --- Scope ------------------------------------------------------------------------------------------------------


def references_csv(client: Any, user: User, jeu: str, colonne: str) -> set[str]:
    lignes = csv_lu(contenu(telecharger(client, user, url_export(jeu, "csv"))), separateur=";")
    rang = lignes[0].index(colonne)
    return {ligne[rang] for ligne in lignes[1:]}


def test_un_instructeur_du_69_n_a_pas_les_lignes_du_42(ex, client):
    d = ex.distribution
    loire = {ex.collectif.reference, ex.rna.reference, ex.sans_identifiant.reference, ex.non_signee.reference}

    assert references_csv(client, d.instructeur_autre, "conventions", "Référence") == {ex.rhone.reference}
    assert references_csv(client, d.instructeur_42, "conventions", "Référence") == loire | {ex.annulee.reference}
    assert references_csv(client, d.national, "conventions", "Référence") == loire | {
        ex.annulee.reference,
        ex.rhone.reference,
    }
    assert references_csv(client, d.instructeur_autre, "tranches", "Convention") == {ex.rhone.reference}
    assert ex.rhone.reference not in references_csv(client, d.instructeur_42, "tranches", "Convention")
    assert references_csv(client, d.instructeur_autre, "versements", "Convention") == set()
    assert references_csv(client, d.instructeur_42, "versements", "Convention") == {ex.collectif.reference}
    assert references_csv(client, d.instructeur_autre, "ecritures", "Département") == {"69"}
    assert references_csv(client, d.instructeur_42, "ecritures", "Département") == {"42"}
    assert references_csv(client, d.national, "ecritures", "Département") == {"", "42", "69"}


# --- Permissions and queries ------------------------------------------------------------------------------------


def urls() -> list[tuple[str, str]]:
    liste = [("page", reverse("fonds:exports")), ("scdl", reverse("fonds:export_scdl"))]
    return liste + [
        (f"{jeu}-{format_}", url_export(jeu, format_)) for jeu in exports.JEUX for format_ in ("csv", "xlsx")
    ]


@pytest.mark.parametrize("role", ROLES)
def test_matrice_des_permissions(ex, client, role):
    utilisateur = ex.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    for nom, url in urls():
        reponse = client.get(url)
        if role == "anonyme":
            assert reponse.status_code == 302 and reponse["Location"] == url_connexion(url), nom
        elif role in AUTORISES:
            assert reponse.status_code == 200, (nom, role)
            if nom != "page":
                assert reponse["Content-Disposition"].startswith("attachment; filename="), nom
            contenu(reponse)
        else:
            assert reponse.status_code == 403, (nom, role)
        assert client.post(url).status_code in (302, 403, 405), (nom, role)


def test_export_inconnu(ex, client):
    client.force_login(ex.distribution.national)
    assert client.get(url_export("conventions", "ods")).status_code == 404
    assert client.get(url_export("membres", "csv")).status_code == 404


def _agrandir(ex: Exports, nombre: int) -> None:
    """`nombre` more signed Loire projects with tranche 1 paid, and as many signed Rhône projects."""
    for rang in range(nombre):
        convention = projet(ex.distribution.instructeur_42, ex.monde, f"Projet de la Loire {rang:02d}", rna=RNA_PROJET)
        payer_premiere_tranche(ex.distribution.instructeur_42, convention, f"VIR-{rang:03d}")
        projet(
            ex.distribution.instructeur_autre,
            ex.monde,
            f"Projet du Rhône {rang:02d}",
            departement="69",
            tranches=((2030, E("100.00")),),
            siret=SIRET_RHONE,
        )


# Queries of each URL, the same whatever the number of rows: session, user, the instructeur check (skipped for
# national staff, except on the page, whose header asks it), then the rows: one query for each staff export; the
# SCDL's conventions, plus the European funders' contributions, the shares' three queries and the tranches of
# those funds (`notificationUE`); the page, the signed conventions (those without SIRET nor RNA).
REQUETES = {
    "instructeur_42": {
        "page": 4,
        "scdl": 9,
        "conventions-csv": 4,
        "conventions-xlsx": 4,
        "tranches-csv": 4,
        "tranches-xlsx": 4,
        "versements-csv": 4,
        "versements-xlsx": 4,
        "ecritures-csv": 4,
        "ecritures-xlsx": 4,
    },
    "national": {
        "page": 4,
        "scdl": 8,
        "conventions-csv": 3,
        "conventions-xlsx": 3,
        "tranches-csv": 3,
        "tranches-xlsx": 3,
        "versements-csv": 3,
        "versements-xlsx": 3,
        "ecritures-csv": 3,
        "ecritures-xlsx": 3,
    },
}


@pytest.mark.parametrize("role", sorted(REQUETES))
@pytest.mark.parametrize("nombre", [1, 6])
def test_nombre_de_requetes_constant(ex, client, django_assert_num_queries, role, nombre):
    _agrandir(ex, nombre)
    client.force_login(ex.utilisateur(role))
    for nom, url in urls():
        with django_assert_num_queries(REQUETES[role][nom]):
            reponse = client.get(url)
            donnees = contenu(reponse)
        assert reponse.status_code == 200, nom
        if nom in ("scdl", "conventions-csv"):
            assert donnees.decode("utf-8-sig").count("Projet de la Loire ") == nombre, nom
