"""The conventions' pages (R7, R8): every URL, GET and POST, for every role (302 to login, 404 when hidden, 403
when visible but not allowed, 200/302 when allowed), the flows through the pages (signature, payment, release,
cancellation with its confirmation, an other-kind project), forms that keep their input, and the list's query
count pinned at two sizes.

The world: a national fund financing the Loire (tests/fonds/parcours.py), collectif A's declaration agreed in
séance with its convention (not yet signed), an other-kind project of the Loire, a funder's login and the
employer's login of collectif A's originating institution. The conventions are changed by the Loire's instructeurs
only; national staff read them; référents read their convention on their follow-up page (and download its
documents); a funder reads only its own view; an employer reads its secondments only (R9), none of these pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from campagnes.services import campagne_clore
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, Organisation
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from fonds import tasks
from fonds.documents import documents_de_la_convention
from fonds.enums import EtatConvention, EtatTranche, NatureBeneficiaire
from fonds.models import AccesEmployeur, AccesFinanceur, Convention, Tranche, Versement
from fonds.selectors import reservation_restante
from fonds.services import DonneesProjet, convention_signer, projet_financer, versement_enregistrer
from instances.services import (
    point_statuer,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from tests.collectifs.factories import DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, PDF, Cas, Page, verifier

pytestmark = pytest.mark.django_db

ROLES_FONDS = [*ROLES, "financeur", "employeur"]
ANNEE = 2028  # the campaign's first budget year; the Loire's envelopes 2028–2030 are set
AUJOURD_HUI = timezone.localdate
ENVELOPPE = E("100000")


@dataclass
class MondeConventions(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("financeur", "employeur")

    fonds: LoireFinancee
    convention: Convention
    projet: Convention
    financeur: Any
    employeur: Any

    def tranche(self, convention: Convention, rang: int) -> Tranche:
        return Tranche.objects.get(convention=convention, rang=rang)


def agreer_declaration(monde: LoireFinancee, campagne: Any, collectif: Collectif) -> Declaration:
    """The collectif's recevable declaration agreed by a séance of the Loire's instance (the real services)."""
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


def compte_employeur(institution: Organisation, invite_par: Any, email: str = "rh@centre-social.exemple.fr") -> Any:
    """The accepted employer's login of `institution` (R9): the account that answers its secondments."""
    employeur = UserFactory(email=email)
    AccesEmployeur.objects.create(
        organisation=institution,
        email=employeur.email,
        utilisateur=employeur,
        invite_par=invite_par,
        accepte_le=timezone.now(),
    )
    return employeur


def financer_loire(distribution: Any, montant: Decimal = ENVELOPPE) -> LoireFinancee:
    """The Loire funded, with envelopes of `montant` for the campaign's three budget years."""
    return loire_financee(
        instructeur=distribution.instructeur_42,
        national=distribution.national,
        enveloppes={ANNEE: montant, ANNEE + 1: montant, ANNEE + 2: montant},
    )


def projet(fonds: LoireFinancee, beneficiaire: str = "Université Jean Monnet") -> Convention:
    return projet_financer(
        acteur=fonds.instructeur,
        fonds=fonds.fonds,
        departement_code="42",
        donnees=DonneesProjet(
            nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
            beneficiaire=beneficiaire,
            objet="Enquête participative des étudiants en travail social",
            date_debut=datetime.date(ANNEE, 1, 1),
            date_fin=datetime.date(ANNEE + 1, 12, 31),
            tranches=[(ANNEE, E("4000")), (ANNEE + 1, E("3000"))],
        ),
    )


@pytest.fixture
def monde(distribution) -> MondeConventions:
    fonds = financer_loire(distribution)
    campagne_clore(acteur=distribution.instructeur_42, campagne=distribution.campagne)  # one open campaign at once
    campagne = campagne_ouverte(fonds, annee=ANNEE)
    declaration = agreer_declaration(fonds, campagne, distribution.collectif_a)
    assert declaration.etat == EtatDeclaration.AGREEE
    financeur = UserFactory(email="financeur@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=fonds.financeurs["fondation"],
        email=financeur.email,
        utilisateur=financeur,
        invite_par=distribution.national,
        accepte_le=timezone.now(),
    )
    return MondeConventions(
        distribution=distribution,
        fonds=fonds,
        convention=Convention.objects.get(declaration=declaration),
        projet=projet(fonds),
        financeur=financeur,
        employeur=compte_employeur(distribution.collectif_a.institutions_origine.first(), distribution.referent_a),
    )


def signer(m: MondeConventions, convention: Convention | None = None) -> None:
    convention_signer(
        acteur=m.instructeur_42,
        convention=convention or m.convention,
        signee_le=AUJOURD_HUI(),
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Le président du Département",
    )


def payer(m: MondeConventions, convention: Convention | None = None) -> None:
    convention = convention or m.convention
    tranche = m.tranche(convention, 1)
    versement_enregistrer(
        acteur=m.instructeur_42,
        tranche=tranche,
        date_versement=AUJOURD_HUI(),
        montant=tranche.montant,
        reference_bancaire="VIR-0001",
    )


def signer_et_payer_le_projet(m: MondeConventions) -> None:
    signer(m, m.projet)
    payer(m, m.projet)


def emettre_documents(m: MondeConventions, convention: Convention | None = None) -> list[Document]:
    """Run the real jobs the signature and the payments queue after commit (never run inside a test's transaction):
    the Convention triannuelle de financement of a signed convention, attached to the Convention, and the
    Attestation de versement of each payment, attached to its Versement (stub PDF, tests/conftest.py). Returns
    the convention's documents, oldest first."""
    convention = convention or m.convention
    tasks.emettre_convention_financement.call(convention.pk)
    for versement in Versement.objects.filter(tranche__convention=convention).order_by("pk"):
        tasks.emettre_attestation_versement.call(versement.pk)
    return list(documents_de_la_convention(convention))


def signer_payer_et_emettre(m: MondeConventions) -> None:
    """Collectif A's convention signed, tranche 1 paid, both documents issued by their jobs."""
    signer(m)
    payer(m)
    emettre_documents(m)


# --- The permission matrix -----------------------------------------------------------------------------------------


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str = 403,
    referent_b: int | str = 403,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    financeur: int | str = 403,
    employeur: int | str = 403,
) -> dict[str, int | str]:
    """One row: by default anonymous visitors log in first, référents, the funder and the employer of collectif A's
    originating institution are refused (these are staff pages), and the instructeur of another département does not
    see the Loire's conventions (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "financeur": financeur,
        "employeur": employeur,
    }


def _url(nom: str, *args: Callable[[MondeConventions], Any]) -> Callable[[MondeConventions], str]:
    return lambda m: reverse(f"fonds:{nom}", args=[a(m) for a in args])


def _pk(m: MondeConventions) -> int:
    return m.convention.pk


def _page(m: MondeConventions) -> str:
    return reverse("fonds:convention", args=[m.convention.pk])


def _signature(m: MondeConventions) -> dict[str, Any]:
    return {
        "signature-signee_le": AUJOURD_HUI().isoformat(),
        "signature-signataire_beneficiaire": "Odile Marchand, référente",
        "signature-signataire_departement": "Le président du Département",
    }


def _versement(m: MondeConventions) -> dict[str, Any]:
    tranche = m.tranche(m.convention, 1)
    return {
        f"tranche-{tranche.pk}-date_versement": AUJOURD_HUI().isoformat(),
        f"tranche-{tranche.pk}-montant": str(tranche.montant),
        f"tranche-{tranche.pk}-reference_bancaire": "VIR-2028-0001",
    }


def _document(m: MondeConventions) -> str:
    document = documents_de(m.convention, TypeDocument.CONVENTION_FINANCEMENT).get()
    return reverse("fonds:convention_document", args=[m.convention.pk, document.numero])


def _attestation(m: MondeConventions) -> str:
    versement = Versement.objects.get(tranche__convention=m.convention)
    document = documents_de(versement, TypeDocument.ATTESTATION_VERSEMENT).get()
    return reverse("fonds:convention_document", args=[m.convention.pk, document.numero])


INSTRUCTEUR = frozenset({"instructeur_42"})

CAS = [
    Cas(
        "liste",
        _url("conventions"),
        attendu(instructeur_42=200, instructeur_autre=200, national=200),
        contenu={
            "instructeur_42": ("Collectif A de Montreynaud", "Université Jean Monnet"),
            "national": ("Collectif A de Montreynaud", "Université Jean Monnet"),
            "instructeur_autre": ("Aucune convention",),
        },
        absent={"instructeur_autre": ("Collectif A de Montreynaud",)},
    ),
    Cas(
        "convention",
        _url("convention", _pk),
        attendu(instructeur_42=200, national=200),
        contenu={
            "instructeur_42": ("Collectif A de Montreynaud", "Enregistrer la signature", "Annuler la convention"),
            "national": ("Collectif A de Montreynaud", "Consultation"),
        },
        absent={"national": ("Enregistrer la signature", "Annuler la convention")},
    ),
    Cas(
        "signer",
        _url("convention_signer", _pk),
        attendu(instructeur_42=302, national=403),
        methode="post",
        donnees=_signature,
        suite=lambda m: _page(m) + "#tranches",
        agissent=INSTRUCTEUR,
        fait=lambda m, r: Convention.objects.get(pk=m.convention.pk).signee_le is not None,
    ),
    Cas(
        "payer",
        lambda m: reverse("fonds:versement_enregistrer", args=[m.convention.pk, m.tranche(m.convention, 1).pk]),
        attendu(instructeur_42=302, national=403),
        methode="post",
        donnees=_versement,
        avant=signer,
        suite=lambda m: _page(m) + f"#tranche-{m.tranche(m.convention, 1).pk}",
        agissent=INSTRUCTEUR,
        fait=lambda m, r: Versement.objects.filter(tranche__convention=m.convention).exists(),
    ),
    Cas(
        "liberer",
        lambda m: reverse("fonds:tranche_liberer", args=[m.projet.pk, m.tranche(m.projet, 2).pk]),
        attendu(instructeur_42=302, national=403),
        methode="post",
        avant=signer_et_payer_le_projet,
        suite=lambda m: reverse("fonds:convention", args=[m.projet.pk]) + f"#tranche-{m.tranche(m.projet, 2).pk}",
        agissent=INSTRUCTEUR,
        fait=lambda m, r: m.tranche(m.projet, 2).etat == EtatTranche.EXIGIBLE,
    ),
    Cas(
        "annuler_page",
        _url("convention_annuler", _pk),
        attendu(instructeur_42=200, national=403),
        contenu=("Motifs de l&#x27;annulation", "une page de confirmation suit"),
    ),
    Cas(
        "annuler_motifs",
        _url("convention_annuler", _pk),
        attendu(instructeur_42=200, national=403),
        methode="post",
        donnees={"motifs": "Le collectif s'est dissous."},
        contenu=("Confirmez-vous l'annulation ?", "Le collectif s&#x27;est dissous."),
        agissent=frozenset(),
        fait=lambda m, r: Convention.objects.get(pk=m.convention.pk).etat == EtatConvention.ANNULEE,
    ),
    Cas(
        "annuler_confirme",
        _url("convention_annuler", _pk),
        attendu(instructeur_42=302, national=403),
        methode="post",
        donnees={"motifs": "Le collectif s'est dissous.", "confirmation": "oui"},
        suite=_page,
        agissent=INSTRUCTEUR,
        fait=lambda m, r: Convention.objects.get(pk=m.convention.pk).etat == EtatConvention.ANNULEE,
    ),
    Cas(
        "convention_et_ses_documents",
        _url("convention", _pk),
        attendu(instructeur_42=200, national=200),
        avant=signer_payer_et_emettre,
        contenu=(
            "Convention triannuelle de financement — Collectif A de Montreynaud — CTF-42-2028-",
            "Attestation de versement — tranche 1 — Collectif A de Montreynaud — AVE-42-2028-",
        ),
    ),
    Cas(
        "document",
        _document,
        # Read by whoever reads the convention, référents included (linked from their follow-up page); the employer
        # reads the Convention de mise à disposition only (R9), never the financing convention.
        attendu(instructeur_42=200, national=200, referent_a=200, referent_b=404, financeur=404, employeur=404),
        avant=signer_payer_et_emettre,
        type_contenu=PDF,
    ),
    Cas(
        "attestation",
        _attestation,
        attendu(instructeur_42=200, national=200, referent_a=200, referent_b=404, financeur=404, employeur=404),
        avant=signer_payer_et_emettre,
        type_contenu=PDF,
    ),
    Cas(
        "projet_page",
        _url("projet_nouveau"),
        attendu(instructeur_42=200, instructeur_autre=200, national=200),
        contenu=("Enregistrer un projet d", "Organisme bénéficiaire"),
    ),
    Cas(
        "projet_enregistrer",
        _url("projet_nouveau"),
        # Valid for the Loire's instructeurs and national staff; for the Rhône's instructeur the Loire is not
        # a choice: the form comes back with the error next to the field (422), nothing recorded.
        attendu(instructeur_42=302, instructeur_autre=422, national=302),
        methode="post",
        donnees=lambda m: {
            "fonds": m.fonds.fonds.pk,
            "departement": "42",
            "nature_beneficiaire": NatureBeneficiaire.FORMATION_ACTION,
            "beneficiaire": "IRTS Auvergne-Rhône-Alpes",
            "objet": "Formation-action in situ des équipes du Chambon",
            "date_debut": f"{ANNEE}-01-01",
            "date_fin": f"{ANNEE}-12-31",
            "annee_1": ANNEE,
            "montant_1": "5000",
        },
        contenu={"instructeur_autre": ("Département : Sélectionnez un choix valide",)},
        suite=lambda m: reverse(
            "fonds:convention", args=[Convention.objects.get(beneficiaire="IRTS Auvergne-Rhône-Alpes").pk]
        ),
        agissent=frozenset({"instructeur_42", "national"}),
        fait=lambda m, r: Convention.objects.filter(beneficiaire="IRTS Auvergne-Rhône-Alpes").exists(),
    ),
]


def _params() -> list[Any]:
    noms = [c.nom for c in CAS]
    assert len(noms) == len(set(noms))
    for c in CAS:
        assert set(c.attendu) == set(ROLES_FONDS), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_FONDS]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from fonds import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "fonds.views.conventions"}
    couverts = {
        "conventions": "liste",
        "convention": "convention",
        "convention_signer": "signer",
        "versement_enregistrer": "payer",
        "tranche_liberer": "liberer",
        "convention_annuler": "annuler_confirme",
        "convention_document": "document",
        "projet_nouveau": "projet_enregistrer",
    }
    assert noms == set(couverts)
    assert set(couverts.values()) <= {c.nom for c in CAS}


# --- Flows through the pages ---------------------------------------------------------------------------------------


def _connecte(client, user):
    client.force_login(user)
    return client


def test_un_document_ne_se_telecharge_que_par_sa_convention(monde, client):
    """A convention's documents are served under its own URL only: under another convention's, 404."""
    signer_payer_et_emettre(monde)
    client.force_login(monde.instructeur_42)
    for document in documents_de_la_convention(monde.convention):
        assert (
            client.get(reverse("fonds:convention_document", args=[monde.convention.pk, document.numero])).status_code
            == 200
        )
        assert (
            client.get(reverse("fonds:convention_document", args=[monde.projet.pk, document.numero])).status_code == 404
        )


def test_signer_puis_payer_puis_double_paiement_refuse(monde, client):
    client = _connecte(client, monde.instructeur_42)
    page = reverse("fonds:convention", args=[monde.convention.pk])

    reponse = client.post(reverse("fonds:convention_signer", args=[monde.convention.pk]), _signature(monde))
    assert reponse.status_code == 302
    premiere = monde.tranche(monde.convention, 1)
    assert premiere.etat == EtatTranche.EXIGIBLE

    contenu = Page(client.get(page))
    # The payment form is pre-filled with the tranche's amount.
    assert contenu.valeur(f"tranche-{premiere.pk}-montant") == "10000.00"
    texte = Page.texte(contenu.un("#titre-tranches").parent)
    assert "La tranche 2 n'est pas encore versée" in texte

    donnees = _versement(monde)
    reponse = client.post(reverse("fonds:versement_enregistrer", args=[monde.convention.pk, premiere.pk]), donnees)
    assert reponse.status_code == 302
    assert monde.tranche(monde.convention, 1).etat == EtatTranche.VERSEE

    reponse = client.post(
        reverse("fonds:versement_enregistrer", args=[monde.convention.pk, premiere.pk]), donnees, follow=True
    )
    assert Versement.objects.filter(tranche=premiere).count() == 1
    assert "jamais payée deux fois" in reponse.content.decode()

    contenu = Page(client.get(page))
    texte = Page.texte(contenu.un("#titre-tranches").parent)
    assert "VIR-2028-0001" in texte
    # A collectif's tranche 2 waits for the yearly check-in; nothing to cancel once paid.
    assert f"attend la validation du bilan annuel {ANNEE}" in texte
    assert not contenu.tous(f'a[href="{reverse("fonds:convention_annuler", args=[monde.convention.pk])}"]')
    journal = Page.texte(contenu.un('section[aria-labelledby="titre-journal"]'))
    assert "Tranche 1 (2028) : exigible" in journal and "Tranche 1 (2028) : versée" in journal
    # Cancelling after a payment is refused, even by a forged request.
    reponse = client.post(
        reverse("fonds:convention_annuler", args=[monde.convention.pk]),
        {"motifs": "Trop tard", "confirmation": "oui"},
        follow=True,
    )
    assert "Une convention dont une tranche est versée ne peut plus être annulée." in reponse.content.decode()
    assert Convention.objects.get(pk=monde.convention.pk).etat == EtatConvention.ACTIVE


def test_le_montant_refuse_s_affiche_a_cote_du_champ_et_la_saisie_est_gardee(monde, client):
    signer(monde)
    premiere = monde.tranche(monde.convention, 1)
    donnees = {**_versement(monde), f"tranche-{premiere.pk}-montant": "9999.00"}

    reponse = _connecte(client, monde.instructeur_42).post(
        reverse("fonds:versement_enregistrer", args=[monde.convention.pk, premiere.pk]), donnees
    )

    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Une tranche se verse en une fois, de son montant : 10 000,00 €." in page.erreur_du_champ(
        f"tranche-{premiere.pk}-montant"
    )
    assert page.valeur(f"tranche-{premiere.pk}-montant") == "9999.00"
    assert page.valeur(f"tranche-{premiere.pk}-reference_bancaire") == "VIR-2028-0001"
    assert not Versement.objects.exists()


def test_signature_dans_le_futur_refusee_a_cote_du_champ(monde, client):
    futur = (AUJOURD_HUI() + datetime.timedelta(days=3)).isoformat()
    donnees = {**_signature(monde), "signature-signee_le": futur}

    reponse = _connecte(client, monde.instructeur_42).post(
        reverse("fonds:convention_signer", args=[monde.convention.pk]), donnees
    )

    assert reponse.status_code == 422
    page = Page(reponse)
    assert "La date de signature ne peut pas être dans le futur." in page.erreur_du_champ("signature-signee_le")
    assert page.valeur("signature-signee_le") == futur
    assert page.valeur("signature-signataire_departement") == "Le président du Département"
    assert Convention.objects.get(pk=monde.convention.pk).signee_le is None


def test_annulation_en_deux_temps_rend_la_reservation(monde, client):
    client = _connecte(client, monde.instructeur_42)
    url = reverse("fonds:convention_annuler", args=[monde.convention.pk])

    vide = client.post(url, {"motifs": "  "})
    assert vide.status_code == 422
    assert "Ce champ est obligatoire." in Page(vide).erreur_du_champ("motifs")

    confirmation = Page(client.post(url, {"motifs": "Le collectif s'est dissous."}))
    assert confirmation.valeur("motifs") == "Le collectif s'est dissous."
    assert confirmation.valeur("confirmation") == "oui"
    assert Convention.objects.get(pk=monde.convention.pk).etat == EtatConvention.ACTIVE

    reponse = client.post(url, {"motifs": "Le collectif s'est dissous.", "confirmation": "oui"}, follow=True)

    assert Convention.objects.get(pk=monde.convention.pk).etat == EtatConvention.ANNULEE
    assert reservation_restante(monde.convention.campagne) == {a: E("60000") for a in range(ANNEE, ANNEE + 3)}
    texte = reponse.content.decode()
    assert "La convention est annulée" in texte and "Le collectif s&#x27;est dissous." in texte
    page = Page(reponse)
    assert [Page.texte(c) for c in page.tous("#tranches tbody td:nth-child(4)")] == ["Annulée"] * 3


def test_liberer_une_tranche_d_un_projet_apres_le_versement_de_la_precedente(monde, client):
    client = _connecte(client, monde.instructeur_42)
    page = reverse("fonds:convention", args=[monde.projet.pk])
    signer(monde, monde.projet)
    deuxieme = monde.tranche(monde.projet, 2)
    assert "La tranche 1 n&#x27;est pas encore versée" in client.get(page).content.decode()
    # Released too early: refused with the reason, nothing changes.
    reponse = client.post(reverse("fonds:tranche_liberer", args=[monde.projet.pk, deuxieme.pk]), follow=True)
    assert "La tranche 1 n&#x27;est pas encore versée." in reponse.content.decode()
    assert monde.tranche(monde.projet, 2).etat == EtatTranche.PREVUE

    payer(monde, monde.projet)
    assert "Rendre la tranche 2 (2029) exigible" in client.get(page).content.decode()
    client.post(reverse("fonds:tranche_liberer", args=[monde.projet.pk, deuxieme.pk]))

    assert monde.tranche(monde.projet, 2).etat == EtatTranche.EXIGIBLE


def test_projet_refuse_par_l_enveloppe_message_a_cote_de_la_tranche_saisie_gardee(monde, client):
    donnees = {
        "fonds": monde.fonds.fonds.pk,
        "departement": "42",
        "nature_beneficiaire": NatureBeneficiaire.EXPERIMENTATION,
        "beneficiaire": "Association Hors Normes",
        "siret_beneficiaire": "",
        "rna_beneficiaire": "W423001234",
        "objet": "Expérimentation d'un accueil de nuit",
        "date_debut": f"{ANNEE}-01-01",
        "date_fin": f"{ANNEE + 1}-12-31",
        "annee_1": ANNEE,
        "montant_1": "1000",
        "annee_2": ANNEE + 1,
        "montant_2": "900000",
    }

    reponse = _connecte(client, monde.instructeur_42).post(reverse("fonds:projet_nouveau"), donnees)

    assert reponse.status_code == 422
    page = Page(reponse)
    assert f"L'enveloppe {ANNEE + 1} de Loire (42)" in page.erreur_du_champ("montant_2")
    assert page.valeur("montant_2") == "900000"
    assert page.valeur("rna_beneficiaire") == "W423001234"
    assert page.valeur("nature_beneficiaire") == NatureBeneficiaire.EXPERIMENTATION
    assert not Convention.objects.filter(beneficiaire="Association Hors Normes").exists()


def test_projet_tranche_incomplete(monde, client):
    donnees = {
        "fonds": monde.fonds.fonds.pk,
        "departement": "42",
        "nature_beneficiaire": NatureBeneficiaire.EXPERIMENTATION,
        "beneficiaire": "Association Hors Normes",
        "objet": "Expérimentation",
        "date_debut": f"{ANNEE}-01-01",
        "date_fin": f"{ANNEE}-12-31",
        "annee_1": ANNEE,
        "montant_1": "1000",
        "annee_2": ANNEE + 1,
    }
    reponse = _connecte(client, monde.instructeur_42).post(reverse("fonds:projet_nouveau"), donnees)

    assert reponse.status_code == 422
    assert "Indiquez le montant de cette tranche." in Page(reponse).erreur_du_champ("montant_2")


def test_liste_filtree_par_etat_et_annee(monde, client):
    client = _connecte(client, monde.national)
    autre = projet(monde.fonds, "Projet de l'année suivante")
    Convention.objects.filter(pk=autre.pk).update(date_debut=datetime.date(ANNEE + 1, 1, 1))
    client_instructeur = client
    client_instructeur.force_login(monde.instructeur_42)
    client_instructeur.post(
        reverse("fonds:convention_annuler", args=[monde.projet.pk]), {"motifs": "Abandon", "confirmation": "oui"}
    )
    client.force_login(monde.national)
    url = reverse("fonds:conventions")

    def beneficiaires(**filtres: Any) -> list[str]:
        page = Page(client.get(url, filtres))
        return [Page.texte(c.query("a")) for c in page.tous("tbody th")]

    assert len(beneficiaires()) == 3
    assert beneficiaires(etat="annulee") == [monde.projet.reference]
    assert beneficiaires(annee=ANNEE + 1) == [f"FDS-42-{ANNEE + 1}-{autre.pk:05d}"]
    assert beneficiaires(etat="active", annee=ANNEE) == [monde.convention.reference]
    # An unknown filter value is ignored with its error next to the field, not a server error.
    reponse = client.get(url, {"etat": "inconnu"})
    assert reponse.status_code == 200


# --- Query counts --------------------------------------------------------------------------------------------------

TAILLES = [3, 40]
# Six queries whatever the number of rows: session, user, the user's roles (the instructeur row, also read by the
# header), the years offered by the filter, the page of conventions with its total (the instructeur's départements
# are a join in it), and their tranches (prefetched).
REQUETES_LISTE = {"instructeur_42": 6, "national": 6}


@pytest.mark.parametrize("role", list(REQUETES_LISTE))
@pytest.mark.parametrize("nombre", TAILLES)
def test_requetes_de_la_liste(nombre, role, distribution, client, django_assert_num_queries):
    fonds = financer_loire(distribution, E("400000"))
    for rang in range(nombre):
        projet(fonds, f"Bénéficiaire numéro {rang:02d}")
    client.force_login(distribution.utilisateur(role))
    url = reverse("fonds:conventions")
    client.get(url)

    with django_assert_num_queries(REQUETES_LISTE[role]):
        reponse = client.get(url)

    assert reponse.status_code == 200
    assert len(Page(reponse).tous("tbody tr")) == min(nombre, 50)


# --- The collectif's follow-up page --------------------------------------------------------------------------------


def _suivi(m: MondeConventions) -> str:
    return reverse("instances:declaration_detail", args=[m.convention.declaration_id])


def test_la_page_de_suivi_montre_la_convention_au_referent(monde, client):
    signer(monde)
    payer(monde)
    convention_pdf, attestation = emettre_documents(monde)
    assert (convention_pdf.type, convention_pdf.objet) == (TypeDocument.CONVENTION_FINANCEMENT, monde.convention)
    assert attestation.type == TypeDocument.ATTESTATION_VERSEMENT
    assert attestation.objet == Versement.objects.get(tranche__convention=monde.convention)
    client.force_login(monde.referent_a)

    page = Page(client.get(_suivi(monde)))

    section = page.un("#convention")
    texte = Page.texte(section)
    assert monde.convention.reference in texte
    assert f"signée le {formats.date_format(AUJOURD_HUI(), 'j F Y')}" in texte
    assert [Page.texte(c) for c in page.tous("#convention tbody td:nth-child(4)")] == ["Versée", "Prévue", "Prévue"]
    assert f"10 000,00 € versés le {formats.date_format(AUJOURD_HUI(), 'j F Y')}" in texte
    liens = page.tous("#convention li a")
    assert [Page.attribut(a, "href") for a in liens] == [
        reverse("fonds:convention_document", args=[monde.convention.pk, d.numero])
        for d in (convention_pdf, attestation)
    ]
    assert Page.texte(liens[0]).startswith(
        f"Télécharger convention triannuelle de financement — collectif a de montreynaud {convention_pdf.numero}"
    )
    assert Page.texte(liens[1]).startswith(
        f"Télécharger attestation de versement — tranche 1 — collectif a de montreynaud {attestation.numero}"
    )
    for lien in liens:
        reponse = client.get(Page.attribut(lien, "href"))
        assert reponse.status_code == 200 and reponse["Content-Type"] == PDF
    # The référent of another collectif sees neither the page nor the documents.
    client.force_login(monde.referent_b)
    assert client.get(_suivi(monde)).status_code == 404
    assert all(client.get(Page.attribut(lien, "href")).status_code == 404 for lien in liens)


def test_la_convention_n_est_pas_montree_aux_membres_de_l_instance(monde, client):
    """The instance's members see the agreed declaration (they decided it), not its convention (SPEC §2)."""
    membre = UserFactory(email="membre.instance@exemple.fr")
    premier = monde.fonds.membres[0]
    premier.user = membre
    premier.save(update_fields=["user"])
    client.force_login(membre)

    reponse = client.get(_suivi(monde))

    assert reponse.status_code == 200
    assert not Page(reponse).tous("#convention")


# Per role, the same count before the signature (no payment, no document) and after the signature and a payment
# with their two documents: the convention comes with the declaration (a join), then its tranches with their
# payments, then its documents (+2); the instructeur's département is checked once more for reading the convention
# (+1). The plain timeline reads the requests for more and the convention's check-ins (+2), and the référents get
# « Besoin d'aide ? » (the département's instance; its instructeurs when it gave no contact: +1 or +2).
REQUETES_SUIVI = {"referent_a": 20, "instructeur_42": 20, "national": 16}


@pytest.mark.parametrize("role", list(REQUETES_SUIVI))
@pytest.mark.parametrize("etat", ["a_signer", "versee"])
def test_requetes_de_la_page_de_suivi(etat, role, monde, client, django_assert_num_queries):
    if etat == "versee":
        signer(monde)
        payer(monde)
        assert len(emettre_documents(monde)) == 2  # the convention and the attestation of tranche 1
    client.force_login(monde.utilisateur(role))
    client.get(_suivi(monde))

    with django_assert_num_queries(REQUETES_SUIVI[role]):
        reponse = client.get(_suivi(monde))

    assert reponse.status_code == 200
    assert len(Page(reponse).tous("#convention tbody tr")) == 3
    assert len(Page(reponse).tous("#convention li a")) == (2 if etat == "versee" else 0)
