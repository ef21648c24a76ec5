"""National fund pages (R8): the permission matrix of every page and action (GET and POST) for every role and
for funders' accounts, the forms (input kept, French errors next to the field), pinned query counts at two sizes
for every list, and the time to compute the fund page with 101 départements × 3 campaigns."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from comptes.models import User
from fonds import urls as fonds_urls
from fonds.enums import Compte, GestionFonds, NatureFinanceur
from fonds.models import Abondement, AccesFinanceur, EcritureFonds, Enveloppe, Financeur, Fonds, Reservation
from fonds.services import (
    abondement_enregistrer,
    acces_financeur_accepter,
    enveloppe_repartir,
    financeur_creer,
    financeur_inviter,
    fonds_creer,
)
from territoires.models import Departement
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.fonds.test_vues_conventions import compte_employeur
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, Cas, Page, verifier

E = Decimal
ROLES_FONDS = [*ROLES, "financeur", "financeur_autre", "employeur"]


def montant(valeur: str) -> str:
    """An amount as the pages show it (French grouping, two decimals)."""
    with translation.override("fr"):
        return f"{floatformat(E(valeur), '2g')} €"


@dataclass
class MondeFonds(SurDistribution):
    """A national fund with two funders (the foundation's contribution earmarked for the Loire), a Loire envelope
    for 2027, and each funder's login: « financeur » reads the State's view, « financeur_autre » the foundation's."""

    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("financeur", "financeur_autre", "employeur")

    fonds: Fonds
    etat: Financeur
    fondation: Financeur
    financeur: User
    financeur_autre: User
    employeur: User


def donner_acces(national: User, financeur: Financeur, email: str) -> User:
    """A funder's login, through the real services (invitation, then acceptance)."""
    utilisateur = UserFactory(email=email)
    acces = financeur_inviter(acteur=national, financeur=financeur, email=email)
    acces_financeur_accepter(acteur=utilisateur, acces=acces)
    return utilisateur


def construire_monde_fonds(distribution: Any) -> MondeFonds:
    national = distribution.national
    loire = Departement.objects.get(code="42")
    fonds = fonds_creer(acteur=national, nom="Fonds national d'innovation sociale")
    etat = financeur_creer(acteur=national, nom="État", nature=NatureFinanceur.ETAT, siret="11000201100044")
    fondation = financeur_creer(acteur=national, nom="Fondation Solidarités", nature=NatureFinanceur.FONDATION)
    abondement_enregistrer(acteur=national, fonds=fonds, financeur=etat, annee=2027, montant=E("300000"))
    abondement_enregistrer(
        acteur=national, fonds=fonds, financeur=fondation, annee=2027, montant=E("100000"), departement_fleche=loire
    )
    enveloppe_repartir(acteur=national, fonds=fonds, departement=loire, annee=2027, montant=E("150000"))
    return MondeFonds(
        distribution=distribution,
        fonds=fonds,
        etat=etat,
        fondation=fondation,
        financeur=donner_acces(national, etat, "contact@etat.exemple.fr"),
        financeur_autre=donner_acces(national, fondation, "contact@fondation.exemple.fr"),
        # An employer of collectif A's originating institution (R9): the fund's pages are none of its business.
        employeur=compte_employeur(distribution.collectif_a.institutions_origine.first(), distribution.referent_a),
    )


@pytest.fixture
def monde(distribution) -> MondeFonds:
    return construire_monde_fonds(distribution)


def national_seul(ok: int | str) -> dict[str, int | str]:
    """National staff only: everyone else is refused (403), a visitor is sent to log in."""
    return {role: (CONNEXION if role == "anonyme" else ok if role == "national" else 403) for role in ROLES_FONDS}


def matrice_fonds(cas: list[Cas]) -> list[Any]:
    """pytest params over every (case, role) pair, the funders' accounts included."""
    assert len({c.nom for c in cas}) == len(cas)
    for c in cas:
        assert set(c.attendu) == set(ROLES_FONDS), c.nom
        assert (c.agissent is None) == (c.fait is None), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in cas for r in ROLES_FONDS]


def _url(nom: str, *args: Any) -> Any:
    return lambda m: reverse(nom, args=[a(m) if callable(a) else a for a in args])


def _pk(m: MondeFonds) -> int:
    return m.fonds.pk


def _a_repartition(m: MondeFonds, role: str) -> bool:
    return EcritureFonds.objects.filter(compte=Compte.ENVELOPPE, departement_id="69", annee=2027).exists()


NATIONAL = frozenset({"national"})

CAS = [
    Cas("fonds_liste", _url("fonds:fonds_liste"), national_seul(200), contenu=("innovation sociale", "Financeurs")),
    Cas("fonds_nouveau", _url("fonds:fonds_nouveau"), national_seul(200), contenu=("Créer le fonds", "Gestion")),
    Cas(
        "fonds_nouveau_post",
        _url("fonds:fonds_nouveau"),
        national_seul(302),
        methode="post",
        donnees={"nom": "Fonds du Rhône", "gestion": GestionFonds.DEPARTEMENTALE, "departement": "69"},
        suite=lambda m: reverse("fonds:fonds", args=[Fonds.objects.get(nom="Fonds du Rhône").pk]),
        agissent=NATIONAL,
        fait=lambda m, r: Fonds.objects.filter(nom="Fonds du Rhône", departement_id="69").exists(),
    ),
    Cas(
        "fonds",
        _url("fonds:fonds", _pk),
        national_seul(200),
        contenu=("Situation par année budgétaire", montant("400000"), montant("150000"), montant("250000")),
    ),
    Cas(
        "enveloppes",
        _url("fonds:enveloppes", _pk),
        national_seul(200),
        contenu=("Enveloppes par année et par département", "Loire (42)", montant("150000")),
    ),
    Cas("repartir", _url("fonds:enveloppe_repartir", _pk), national_seul(200), contenu=("Montant à répartir",)),
    Cas(
        "repartir_post",
        _url("fonds:enveloppe_repartir", _pk),
        national_seul(302),
        methode="post",
        donnees={"departement": "69", "annee": "2027", "montant": "50000"},
        suite=_url("fonds:enveloppes", _pk),
        agissent=NATIONAL,
        fait=_a_repartition,
    ),
    Cas(
        "abondements",
        _url("fonds:abondements", _pk),
        national_seul(200),
        contenu=("Fondation Solidarités", "Fléché vers Loire (42)", montant("300000")),
    ),
    Cas(
        "abondement", _url("fonds:abondement_nouveau", _pk), national_seul(200), contenu=("Fléché vers le département",)
    ),
    Cas(
        "abondement_post",
        _url("fonds:abondement_nouveau", _pk),
        national_seul(302),
        methode="post",
        donnees=lambda m: {"financeur": m.etat.pk, "annee": "2028", "montant": "1234.56", "departement_fleche": ""},
        suite=_url("fonds:abondements", _pk),
        agissent=NATIONAL,
        fait=lambda m, r: Abondement.objects.filter(annee=2028, montant=E("1234.56")).exists(),
    ),
    Cas(
        "grand_livre",
        _url("fonds:grand_livre", _pk),
        national_seul(200),
        contenu=("Répartition 2027 vers Loire (42)", "Abondement de État pour 2027", "Disponible à répartir"),
    ),
    Cas(
        "financeurs",
        _url("fonds:financeurs"),
        national_seul(200),
        contenu=("Fondation Solidarités", "11000201100044", montant("300000"), "Inviter"),
    ),
    Cas("financeur_nouveau", _url("fonds:financeur_nouveau"), national_seul(200), contenu=("Nature",)),
    Cas(
        "financeur_nouveau_post",
        _url("fonds:financeur_nouveau"),
        national_seul(302),
        methode="post",
        donnees={"nom": "Caisse d'allocations familiales de la Loire", "nature": NatureFinanceur.AUTRE_COLLECTIVITE},
        suite=_url("fonds:financeurs"),
        agissent=NATIONAL,
        fait=lambda m, r: Financeur.objects.filter(nom__startswith="Caisse d'allocations").exists(),
    ),
    Cas(
        "inviter",
        _url("fonds:financeur_inviter", lambda m: m.etat.pk),
        national_seul(200),
        contenu=("contact@etat.exemple.fr", "Acceptée le"),
    ),
    Cas(
        "inviter_post",
        _url("fonds:financeur_inviter", lambda m: m.etat.pk),
        national_seul(302),
        methode="post",
        donnees={"email": "Nouvelle.Personne@Etat.Exemple.fr"},
        suite=_url("fonds:financeur_inviter", lambda m: m.etat.pk),
        agissent=NATIONAL,
        fait=lambda m, r: AccesFinanceur.objects.filter(email="nouvelle.personne@etat.exemple.fr").exists(),
    ),
]


@pytest.mark.parametrize(("cas", "role"), matrice_fonds(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    """Every route of fonds.views.national is in the matrix: GET, and POST for the forms."""
    noms = {p.name for p in fonds_urls.urlpatterns if p.callback.__module__ == "fonds.views.national"}
    couverts = {
        "fonds_liste": ["fonds_liste"],
        "fonds_nouveau": ["fonds_nouveau", "fonds_nouveau_post"],
        "fonds": ["fonds"],
        "enveloppes": ["enveloppes"],
        "enveloppe_repartir": ["repartir", "repartir_post"],
        "abondements": ["abondements"],
        "abondement_nouveau": ["abondement", "abondement_post"],
        "grand_livre": ["grand_livre"],
        "financeurs": ["financeurs"],
        "financeur_nouveau": ["financeur_nouveau", "financeur_nouveau_post"],
        "financeur_inviter": ["inviter", "inviter_post"],
    }
    assert noms == set(couverts)
    assert {nom for cas in couverts.values() for nom in cas} == {c.nom for c in CAS}


def test_fonds_inconnu_404(monde, client):
    client.force_login(monde.national)
    assert client.get(reverse("fonds:fonds", args=[monde.fonds.pk + 99])).status_code == 404
    assert client.get(reverse("fonds:financeur_inviter", args=[monde.etat.pk + 99])).status_code == 404


def test_un_fonds_departemental_se_gere_par_ses_instructeurs(monde, client):
    """R8: a fund run by the Loire is changed by its instructeurs; national staff read it, and may not change it."""
    fonds = fonds_creer(
        acteur=monde.national,
        nom="Fonds de la Loire",
        gestion=GestionFonds.DEPARTEMENTALE,
        departement=Departement.objects.get(code="42"),
    )
    donnees = {"financeur": monde.etat.pk, "annee": "2027", "montant": "5000", "departement_fleche": ""}
    url = reverse("fonds:abondement_nouveau", args=[fonds.pk])
    client.force_login(monde.national)
    assert client.get(reverse("fonds:fonds", args=[fonds.pk])).status_code == 200
    assert client.post(url, donnees).status_code == 403
    client.force_login(monde.instructeur_autre)
    assert client.get(reverse("fonds:fonds", args=[fonds.pk])).status_code == 403
    client.force_login(monde.instructeur_42)
    assert client.get(reverse("fonds:fonds", args=[fonds.pk])).status_code == 200
    assert client.post(url, donnees).status_code == 302
    assert Abondement.objects.filter(fonds=fonds, montant=E("5000")).count() == 1


# --- Forms ---------------------------------------------------------------------------------------------------


def test_repartir_trop_garde_la_saisie_et_nomme_ce_qui_reste(monde, client):
    """R8: the service's refusal, naming what is left, is shown next to the amount; the input is kept."""
    client.force_login(monde.national)
    reponse = client.post(
        reverse("fonds:enveloppe_repartir", args=[monde.fonds.pk]),
        {"departement": "69", "annee": "2027", "montant": "300000"},
    )
    assert reponse.status_code == 422
    page = Page(reponse)
    erreur = page.erreur_du_champ("montant")
    # 400 000 contributed, 150 000 distributed to the Loire, of which 100 000 earmarked for it: 250 000 left, all
    # of it unearmarked, and none of it earmarked for the Rhône.
    assert "Il reste 250 000,00 € à répartir pour Rhône (69) en 2027" in erreur
    assert "il manque 50 000,00 €" in erreur
    assert page.valeur("montant") == "300000"
    assert page.valeur("departement") == "69"
    assert page.valeur("annee") == "2027"
    assert not EcritureFonds.objects.filter(departement_id="69").exists()


def test_abondement_vide_erreurs_en_francais(monde, client):
    client.force_login(monde.national)
    reponse = client.post(
        reverse("fonds:abondement_nouveau", args=[monde.fonds.pk]),
        {"financeur": "", "annee": "1900", "montant": "-3", "departement_fleche": "42"},
    )
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Ce champ est obligatoire" in page.erreur_du_champ("financeur")
    assert "supérieure ou égale à 2015" in page.erreur_du_champ("annee")
    assert "Le montant doit être d'au moins 0,01 €." in page.erreur_du_champ("montant")
    assert page.valeur("departement_fleche") == "42"
    assert page.valeur("annee") == "1900"


def test_financeur_deja_enregistre(monde, client):
    client.force_login(monde.national)
    reponse = client.post(reverse("fonds:financeur_nouveau"), {"nom": "fondation Solidarités", "nature": "fondation"})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Le financeur « fondation Solidarités » est déjà enregistré." in page.erreur_du_champ("nom")
    assert page.valeur("nom") == "fondation Solidarités"


def test_fonds_departemental_sans_departement(monde, client):
    client.force_login(monde.national)
    reponse = client.post(reverse("fonds:fonds_nouveau"), {"nom": "Fonds sans lieu", "gestion": "departementale"})
    assert reponse.status_code == 422
    assert "nomme ce département" in Page(reponse).erreur_du_champ("departement")
    assert not Fonds.objects.filter(nom="Fonds sans lieu").exists()


def test_invitation_deja_acceptee_refusee(monde, client):
    client.force_login(monde.national)
    reponse = client.post(
        reverse("fonds:financeur_inviter", args=[monde.etat.pk]), {"email": "contact@etat.exemple.fr"}
    )
    assert reponse.status_code == 422
    assert "contact@etat.exemple.fr a déjà accès à la vue de État." in Page(reponse).erreur_du_champ("email")


def test_filtres_du_grand_livre(monde, client):
    client.force_login(monde.national)
    url = reverse("fonds:grand_livre", args=[monde.fonds.pk])
    page = client.get(url, {"compte": Compte.ENVELOPPE}).content.decode()
    assert "Répartition 2027 vers Loire (42)" in page
    assert "Abondement de État" not in page
    page = client.get(url, {"financeur": monde.fondation.pk}).content.decode()
    assert page.count("Abondement de Fondation Solidarités pour 2027") == 2  # both lines of the movement
    assert "Abondement de État" not in page
    page = client.get(url, {"annee": "2026"}).content.decode()
    assert "Aucune ligne ne correspond à ces filtres." in page
    reponse = client.get(url, {"annee": "deux mille", "departement": "42"})
    assert reponse.status_code == 200
    vue = Page(reponse)
    assert "nombre entier" in vue.erreur_du_champ("annee")
    # The valid filter still applies: only the Loire's lines (the earmarked contribution and the distribution).
    assert "Abondement de État" not in reponse.content.decode()
    assert "Répartition 2027 vers Loire (42)" in reponse.content.decode()


def test_envelope_projetee(monde, client):
    """R3: a year reserved while nothing is distributed to it is flagged « projetée »."""
    campagne = Campagne.objects.create(
        departement_id="42",
        annee=2028,
        quota=3,
        enveloppe_annuelle=E("30000"),
        montant_minimal_annuel=E("10000"),
        date_ouverture="2028-01-10",
        date_cloture="2028-03-10",
        etat=EtatCampagne.OUVERTE,
    )
    _reserver(monde.fonds, campagne, 2028, E("30000"))
    client.force_login(monde.national)
    page = Page(client.get(reverse("fonds:enveloppes", args=[monde.fonds.pk]), {"annee": "2028"}))
    lignes = page.tous("tbody tr")
    assert len(lignes) == 1
    texte = Page.texte(lignes[0])
    assert "Loire (42) projetée" in texte
    assert " ".join(montant("-30000").split()) in texte


# --- Query counts --------------------------------------------------------------------------------------------


def _reserver(fonds: Fonds, campagne: Campagne, annee: int, somme: Decimal) -> None:
    """The ledger lines and rows of a campaign's reservation, written in bulk (as `campagne_reserver` does)."""
    Enveloppe.objects.get_or_create(fonds=fonds, departement_id=campagne.departement_id, annee=annee)
    Reservation.objects.get_or_create(fonds=fonds, campagne=campagne, annee=annee)
    mouvement = uuid.uuid4()
    commun = {"fonds": fonds, "annee": annee, "departement_id": campagne.departement_id, "mouvement": mouvement}
    EcritureFonds.objects.bulk_create(
        [
            EcritureFonds(compte=Compte.ENVELOPPE, montant=-somme, libelle="Réservation", **commun),
            EcritureFonds(compte=Compte.RESERVATION, campagne=campagne, montant=somme, libelle="Réservation", **commun),
        ]
    )


def _repartir(fonds: Fonds, departement: str, annee: int, somme: Decimal, financeur: Financeur) -> list[EcritureFonds]:
    """A contribution and its distribution into an envelope, as ledger lines (for bulk creation)."""
    un, deux = uuid.uuid4(), uuid.uuid4()
    commun = {"fonds": fonds, "annee": annee}
    return [
        EcritureFonds(
            compte=Compte.APPORT, financeur=financeur, montant=-somme, libelle="Abondement", mouvement=un, **commun
        ),
        EcritureFonds(compte=Compte.DISPONIBLE, montant=somme, libelle="Abondement", mouvement=un, **commun),
        EcritureFonds(compte=Compte.DISPONIBLE, montant=-somme, libelle="Répartition", mouvement=deux, **commun),
        EcritureFonds(
            compte=Compte.ENVELOPPE,
            departement_id=departement,
            montant=somme,
            libelle="Répartition",
            mouvement=deux,
            **commun,
        ),
    ]


def _grossir(monde: MondeFonds, nombre: int) -> None:
    """`nombre` more envelopes (other départements, 2027), contributions, ledger lines and funders."""
    codes = list(Departement.objects.exclude(code="42").order_by("code").values_list("code", flat=True)[:nombre])
    lignes: list[EcritureFonds] = []
    for code in codes:
        Enveloppe.objects.create(fonds=monde.fonds, departement_id=code, annee=2027)
        lignes += _repartir(monde.fonds, code, 2027, E("1000"), monde.etat)
    EcritureFonds.objects.bulk_create(lignes)
    Abondement.objects.bulk_create(
        [
            Abondement(fonds=monde.fonds, financeur=monde.etat, annee=2030 + rang % 50, montant=E("10"))
            for rang in range(nombre)
        ]
    )
    Financeur.objects.bulk_create(
        [Financeur(nom=f"Mécène numéro {rang:03d}", nature=NatureFinanceur.MECENAT) for rang in range(nombre)]
    )


TAILLES = [3, 40]
# Each page: session, user, the fund (with its département), the page's own queries, the header's roles
# (instructeur?), whatever the number of rows.
REQUETES = {
    # the ledger's totals per year and account, in one grouped query
    "fonds:fonds": 5,
    # the page of envelopes with their balances and total (one query), the filter's list of départements
    "fonds:enveloppes": 6,
    # the page of contributions (with funder and département) and total
    "fonds:abondements": 5,
    # the page of ledger lines and total, the filters' lists of départements and of funders
    "fonds:grand_livre": 7,
    # no fund: the page of funders with their totals
    "fonds:financeurs": 4,
}


@pytest.mark.parametrize("nom", list(REQUETES))
@pytest.mark.parametrize("nombre", TAILLES)
def test_requetes(nom, nombre, monde, client, django_assert_num_queries):
    _grossir(monde, nombre)
    client.force_login(monde.national)
    url = reverse(nom) if nom == "fonds:financeurs" else reverse(nom, args=[monde.fonds.pk])
    with django_assert_num_queries(REQUETES[nom]):
        reponse = client.get(url)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    if nom == "fonds:enveloppes":
        assert page.count("<tr>") == 1 + nombre + 1  # header, the Loire, the others
    if nom == "fonds:financeurs":
        assert page.count('">Mécène numéro') == nombre


# --- 101 départements × 3 campaigns --------------------------------------------------------------------------


def test_page_du_fonds_101_departements_3_campagnes(monde, client, django_assert_num_queries):
    """The fund page and the envelopes page at national size: every département gets envelopes for 2026–2030 and
    three campaigns (2026, 2027, 2028) each reserving three years; the query count is the same as with one
    département, and the time is printed (and bounded generously)."""
    departements = list(Departement.objects.order_by("code"))
    assert len(departements) == 101
    campagnes = Campagne.objects.bulk_create(
        [
            Campagne(
                departement=d,
                annee=annee,
                quota=5,
                enveloppe_annuelle=E("20000"),
                montant_minimal_annuel=E("4000"),
                date_ouverture=f"{annee}-01-10",
                date_cloture=f"{annee}-03-10",
                etat=EtatCampagne.OUVERTE,
            )
            for d in departements
            for annee in (2026, 2027, 2028)
            if not (d.code == "42" and annee == 2027)  # the distribution's own campaign
        ]
    )
    lignes: list[EcritureFonds] = []
    enveloppes = []
    for d in departements:
        for annee in range(2026, 2031):
            enveloppes.append(Enveloppe(fonds=monde.fonds, departement=d, annee=annee))
            lignes += _repartir(monde.fonds, d.code, annee, E("90000"), monde.etat)
    Enveloppe.objects.bulk_create(enveloppes, ignore_conflicts=True)
    reservations = []
    for campagne in campagnes:
        for annee in (campagne.annee, campagne.annee + 1, campagne.annee + 2):
            reservations.append(Reservation(fonds=monde.fonds, campagne=campagne, annee=annee))
            commun = {"fonds": monde.fonds, "annee": annee, "departement_id": campagne.departement_id}
            mouvement = uuid.uuid4()
            lignes += [
                EcritureFonds(compte=Compte.ENVELOPPE, montant=E("-20000"), libelle="R", mouvement=mouvement, **commun),
                EcritureFonds(
                    compte=Compte.RESERVATION,
                    campagne=campagne,
                    montant=E("20000"),
                    libelle="R",
                    mouvement=mouvement,
                    **commun,
                ),
            ]
    Reservation.objects.bulk_create(reservations)
    EcritureFonds.objects.bulk_create(lignes, batch_size=2000)
    client.force_login(monde.national)

    debut = time.perf_counter()
    with django_assert_num_queries(REQUETES["fonds:fonds"]):
        reponse = client.get(reverse("fonds:fonds", args=[monde.fonds.pk]))
    duree_fonds = time.perf_counter() - debut
    debut = time.perf_counter()
    with django_assert_num_queries(REQUETES["fonds:enveloppes"]):
        enveloppes_page = client.get(reverse("fonds:enveloppes", args=[monde.fonds.pk]))
    duree_enveloppes = time.perf_counter() - debut

    assert reponse.status_code == 200 and enveloppes_page.status_code == 200
    vue = Page(reponse)
    annees = {Page.texte(ligne.query("th")): Page.texte(ligne) for ligne in vue.tous("tbody tr")}
    # 2028: 101 × 90 000 distributed (plus the Loire's own 150 000 in 2027 only), three cohorts × 20 000 reserved.
    assert " ".join(montant(str(101 * 90000)).split()) in annees["2028 : enveloppes de l'année"]
    assert (
        " ".join(montant(str(101 * 3 * 20000 - 20000)).split()) in annees["2028 : enveloppes de l'année"]
    )  # no 2027 Loire cohort
    assert enveloppes_page.content.decode().count("<tr>") == 1 + 50  # header and the first page of 50
    print(  # noqa: T201 - the measure, shown with -s
        f"\nPage du fonds, 101 départements × 3 campagnes, {EcritureFonds.objects.count()} lignes du grand livre : "
        f"{duree_fonds * 1000:.0f} ms ; page des enveloppes ({Enveloppe.objects.count()} enveloppes) : "
        f"{duree_enveloppes * 1000:.0f} ms"
    )
    assert duree_fonds < 5 and duree_enveloppes < 5
