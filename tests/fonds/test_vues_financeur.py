"""A funder's own view and its invitation (R8): the permission matrix (a funder reads its own page and nothing
else of the fund), the invitation by e-mail and its acceptance (right address, wrong address, used twice), what
the page shows (contributions per year, earmarked money first, pro rata shares of each convention and payment,
adding up to the convention's amount to the cent), and pinned query counts at two sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from fonds import urls as fonds_urls
from fonds.models import AccesFinanceur, Convention
from fonds.selectors.tableaux import vue_du_financeur
from fonds.services import convention_signer, financeur_inviter, versement_enregistrer
from instances.services import point_fixer_montants, point_statuer
from tests.comptes.factories import UserFactory
from tests.fonds.parcours import E, agreer, campagne_ouverte, loire_financee, point_pret
from tests.fonds.test_vues_national import (
    ROLES_FONDS,
    construire_monde_fonds,
    matrice_fonds,
    montant,
    national_seul,
)
from tests.vues import CONNEXION, Cas, Page, url_connexion, verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(distribution):
    return construire_monde_fonds(distribution)


def _sauf(roles: dict[str, int | str], **autres: int | str) -> dict[str, int | str]:
    return {**roles, **autres}


def _invitation_en_attente(m) -> str:
    acces = AccesFinanceur.objects.filter(email="invitee@etat.exemple.fr").first() or financeur_inviter(
        acteur=m.national, financeur=m.etat, email="invitee@etat.exemple.fr"
    )
    return reverse("fonds:invitation_financeur", args=[acces.jeton])


CAS = [
    Cas(
        "vue_etat",
        lambda m: reverse("fonds:financeur", args=[m.etat.pk]),
        _sauf(national_seul(200), financeur=200, financeur_autre=403),
        contenu=("Ce que finance État", montant("300000"), "Non fléché"),
        absent=("Fondation Solidarités",),
    ),
    Cas(
        "vue_fondation",
        lambda m: reverse("fonds:financeur", args=[m.fondation.pk]),
        _sauf(national_seul(200), financeur=403, financeur_autre=200),
        contenu=("Ce que finance Fondation Solidarités", "Fléché vers Loire (42)", montant("100000")),
    ),
    Cas(
        "invitation",
        _invitation_en_attente,
        {role: CONNEXION if role == "anonyme" else 200 for role in ROLES_FONDS},
        contenu=("invitee@etat.exemple.fr", "Accepter l'invitation"),
    ),
    Cas(
        "invitation_post",
        _invitation_en_attente,
        {role: CONNEXION if role == "anonyme" else 422 for role in ROLES_FONDS},
        methode="post",
        contenu=("Cette invitation est adressée à invitee@etat.exemple.fr",),
        agissent=frozenset(),
        fait=lambda m, r: AccesFinanceur.objects.filter(
            email="invitee@etat.exemple.fr", accepte_le__isnull=False
        ).exists(),
    ),
]


@pytest.mark.parametrize(("cas", "role"), matrice_fonds(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


@pytest.mark.parametrize("role", ["financeur", "financeur_autre"])
@pytest.mark.parametrize(
    "nom",
    [
        "fonds:fonds_liste",
        "fonds:fonds",
        "fonds:enveloppes",
        "fonds:abondements",
        "fonds:grand_livre",
        "fonds:financeurs",
    ],
)
def test_un_financeur_ne_voit_aucune_autre_page_du_fonds(nom, role, monde, client):
    client.force_login(monde.utilisateur(role))
    args = [monde.fonds.pk] if nom not in ("fonds:fonds_liste", "fonds:financeurs") else []
    assert client.get(reverse(nom, args=args)).status_code == 403


def test_chaque_url_du_bloc_est_dans_la_matrice():
    noms = {p.name for p in fonds_urls.urlpatterns if p.callback.__module__ == "fonds.views.financeur"}
    assert noms == {"financeur", "invitation_financeur"}
    assert {"vue_etat", "vue_fondation", "invitation", "invitation_post"} == {c.nom for c in CAS}


def test_financeur_inconnu_404(monde, client):
    client.force_login(monde.national)
    assert client.get(reverse("fonds:financeur", args=[monde.fondation.pk + 99])).status_code == 404
    assert client.get(reverse("fonds:invitation_financeur", args=["jeton-inconnu"])).status_code == 404


def test_tableau_de_bord_lien_financeur_et_national(monde, client):
    client.force_login(monde.financeur)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Ce que finance État" in page
    assert reverse("fonds:financeur", args=[monde.etat.pk]) in page
    assert f'href="{reverse("fonds:fonds_liste")}"' not in page
    client.force_login(monde.national)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Fonds d&#x27;innovation" in page or "Fonds d'innovation" in page
    assert f'href="{reverse("fonds:fonds_liste")}"' in page
    assert "Ce que finance" not in page


# --- Invitation ---------------------------------------------------------------------------------------------


def test_invitation_par_courriel_puis_acceptation(monde, client, mailoutbox, django_capture_on_commit_callbacks):
    """R8: national staff invite by e-mail; the invited person, logged in with that address, accepts once and
    then reads the funder's page."""
    client.force_login(monde.national)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("fonds:financeur_inviter", args=[monde.fondation.pk]), {"email": " Camille@Fondation.exemple.FR "}
        )
    assert reponse.status_code == 302
    acces = AccesFinanceur.objects.get(email="camille@fondation.exemple.fr")
    assert acces.invite_par == monde.national and acces.utilisateur is None
    (courriel,) = mailoutbox
    assert courriel.to == ["camille@fondation.exemple.fr"]
    assert courriel.subject == "Invitation à consulter ce que finance Fondation Solidarités"
    lien = reverse("fonds:invitation_financeur", args=[acces.jeton])
    assert lien in courriel.body

    # Logged out: sent to log in, then back.
    client.logout()
    assert client.post(lien)["Location"] == url_connexion(lien)

    # Another address: refused, with a French message; nothing changes.
    client.force_login(UserFactory(email="quelquun@exemple.fr"))
    reponse = client.post(lien)
    assert reponse.status_code == 422
    assert "Cette invitation est adressée à camille@fondation.exemple.fr" in reponse.content.decode()
    acces.refresh_from_db()
    assert acces.utilisateur is None

    camille = UserFactory(email="camille@fondation.exemple.fr")
    client.force_login(camille)
    reponse = client.post(lien)
    assert reponse["Location"] == reverse("fonds:financeur", args=[monde.fondation.pk])
    acces.refresh_from_db()
    assert acces.utilisateur == camille and acces.accepte_le is not None
    assert client.get(reponse["Location"]).status_code == 200
    assert client.get(reverse("fonds:financeur", args=[monde.etat.pk])).status_code == 403

    # Used twice: refused.
    reponse = client.post(lien)
    assert reponse.status_code == 422
    assert "Cette invitation a déjà été utilisée." in reponse.content.decode()


def test_un_compte_ne_lit_qu_un_financeur(monde, client):
    """The account of the State's funder cannot also become the foundation's."""
    acces = financeur_inviter(acteur=monde.national, financeur=monde.fondation, email=monde.financeur.email)
    client.force_login(monde.financeur)
    reponse = client.post(reverse("fonds:invitation_financeur", args=[acces.jeton]))
    assert reponse.status_code == 422
    assert "un compte n&#x27;en lit qu&#x27;une" in reponse.content.decode()


def test_invitation_adresse_invalide(monde, client):
    client.force_login(monde.national)
    reponse = client.post(reverse("fonds:financeur_inviter", args=[monde.etat.pk]), {"email": "pas-une-adresse"})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Saisissez une adresse e-mail valide." in page.erreur_du_champ("email")
    assert page.valeur("email") == "pas-une-adresse"


# --- What the funders' pages show ---------------------------------------------------------------------------


@pytest.fixture
def financee(db):
    """The Loire funded for 2026–2028 (État 300 000 and Fondation 100 000 unearmarked, Département de la Loire
    50 000 earmarked, each year; Loire envelopes of 100 000); a 2026 campaign reserving 100 000 a year; one
    convention whose first tranche the instance raised to 60 000 (then 10 000 and 10 000), signed, its first
    tranche paid."""
    monde = loire_financee(enveloppes={2026: E("100000"), 2027: E("100000"), 2028: E("100000")})
    campagne = campagne_ouverte(monde, annee=2026, enveloppe_annuelle=E("100000"))
    point = point_pret(monde, campagne, "Collectif du Pilat")
    point_fixer_montants(acteur=monde.instructeur, point=point, montants=[E("60000"), None, None])
    point = point_statuer(acteur=monde.instructeur, point=point)
    convention = Convention.objects.get(declaration_id=point.declaration_id)
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=timezone.localdate(),
        signataire_beneficiaire="Odile Marchand",
        signataire_departement="Le président du Département",
    )
    versement_enregistrer(
        acteur=monde.instructeur,
        tranche=convention.tranches.get(rang=1),
        date_versement=timezone.localdate(),
        montant=E("60000"),
        reference_bancaire="VIR-2026-001",
    )
    return monde, campagne, convention


def test_parts_fleche_d_abord_et_somme_au_centime(financee):
    """R8: tranche 1 (60 000, 2026) takes the 50 000 earmarked for the Loire first, then 10 000 of the unearmarked
    pool, split 3:1 between the State and the foundation; tranches 2 and 3 (10 000 each) are all earmarked money.
    The shares of the three funders add up to the convention's 80 000."""
    monde, _, convention = financee
    vues = {nom: vue_du_financeur(f) for nom, f in monde.financeurs.items()}
    parts = {nom: {p.convention.pk: p for p in vue.conventions} for nom, vue in vues.items()}
    assert parts["loire"][convention.pk].part == E("70000")
    assert parts["loire"][convention.pk].par_annee == {2026: E("50000"), 2027: E("10000"), 2028: E("10000")}
    assert parts["etat"][convention.pk].part == E("7500")
    assert parts["fondation"][convention.pk].part == E("2500")
    assert (
        sum(p[convention.pk].part for p in parts.values())
        == E("80000")
        == parts["etat"][convention.pk].montant_convention
    )
    assert [
        (a.annee, a.apport_commun, a.apport_fleche, a.part_engagee, a.part_versee) for a in vues["etat"].annees
    ] == [
        (2026, E("300000"), 0, E("7500"), E("7500")),
        (2027, E("300000"), 0, 0, 0),
        (2028, E("300000"), 0, 0, 0),
        (2029, E("300000"), 0, 0, 0),
        (2030, E("300000"), 0, 0, 0),
    ]
    loire = vues["loire"]
    assert [(a.annee, a.apport_fleche, a.part_engagee, a.part_versee) for a in loire.annees][:3] == [
        (2026, E("50000"), E("50000"), E("50000")),
        (2027, E("50000"), E("10000"), 0),
        (2028, E("50000"), E("10000"), 0),
    ]
    assert loire.total.apport == E("250000") and loire.total.part_engagee == E("70000")
    (versement,) = loire.versements
    assert versement.part == E("50000") and versement.fleche


def test_page_du_financeur(financee, client):
    """What the funder's account sees: its contributions, its share of the convention and of the payment."""
    monde, _, convention = financee
    utilisateur = UserFactory(email="contact@loire.exemple.fr")
    acces = financeur_inviter(acteur=monde.national, financeur=monde.financeurs["loire"], email=utilisateur.email)
    client.force_login(utilisateur)
    client.post(reverse("fonds:invitation_financeur", args=[acces.jeton]))
    reponse = client.get(reverse("fonds:financeur", args=[monde.financeurs["loire"].pk]))
    assert reponse.status_code == 200
    page = Page(reponse)
    annees = {Page.texte(tr.query("th")): Page.texte(tr) for tr in page.tous("table")[0].query_all("tbody tr")}
    norme = lambda valeur: " ".join(montant(valeur).split())  # noqa: E731
    assert annees["2026"] == f"2026 {norme('0')} {norme('50000')} {norme('50000')} {norme('50000')} {norme('50000')}"
    assert annees["2027"] == f"2027 {norme('0')} {norme('50000')} {norme('50000')} {norme('10000')} {norme('0')}"
    texte = reponse.content.decode()
    assert convention.reference in texte
    assert "Collectif du Pilat" in texte
    assert "VIR-2026-001" not in texte  # bank references are the instructeurs', not the funders'
    assert "plus fort reste" in texte
    # Another funder's page, and the fund's pages: 403.
    assert client.get(reverse("fonds:financeur", args=[monde.financeurs["etat"].pk])).status_code == 403
    assert client.get(reverse("fonds:fonds", args=[monde.fonds.pk])).status_code == 403


# --- Query counts ---------------------------------------------------------------------------------------------

# session, user, the funder, its accepted access (the permission), its contributions per year, the earmarked
# départements, the shares (`parts_du_financeur`: its funds, contributions, earmarked distributions, tranches,
# tranches with conventions), the payments, their shares (contributions, earmarked distributions, tranches), and
# the header's roles (référent?, instructeur?).
REQUETES_VUE = 17


@pytest.mark.parametrize("nombre", [1, 4])
def test_requetes_vue_du_financeur(nombre, financee, client, django_assert_num_queries):
    monde, campagne, _ = financee
    for rang in range(nombre - 1):
        agreer(monde, campagne, f"Collectif numéro {rang}")
    loire = monde.financeurs["loire"]
    utilisateur = UserFactory(email="contact@loire.exemple.fr")
    acces = financeur_inviter(acteur=monde.national, financeur=loire, email=utilisateur.email)
    client.force_login(utilisateur)
    client.post(reverse("fonds:invitation_financeur", args=[acces.jeton]))
    with django_assert_num_queries(REQUETES_VUE):
        reponse = client.get(reverse("fonds:financeur", args=[loire.pk]))
    assert reponse.content.decode().count("FDS-42-2026-") == nombre + 1  # + the payment's row


def test_national_voit_la_page_d_un_financeur(financee, client):
    monde, _, _ = financee
    client.force_login(monde.national)
    reponse = client.get(reverse("fonds:financeur", args=[monde.financeurs["etat"].pk]))
    assert reponse.status_code == 200
    assert montant("7500") in reponse.content.decode()
