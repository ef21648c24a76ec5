"""The yearly check-in's pages (R11): every URL, GET and POST, for every role (302 to login, 404 when hidden, 403
when visible but not allowed, 200/302/422 when allowed), the flows through the pages (draft, filing, proxy entry
with consent, validation releasing tranche 2, return « à compléter »), and the query count of the check-in page
pinned at two sizes.

The world: collectif A's convention agreed, signed and tranche 1 paid (tests/fonds/test_vues_conventions.py), an
accompagnateur assigned to collectif A, a funder's login, and the employer's login of collectif A's originating
institution (it answers secondments, R9, and reads no check-in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.urls import reverse
from django.utils import timezone

from campagnes.services import campagne_clore
from collectifs.enums import ModeConsentement
from collectifs.models import Indicateur
from fonds.enums import EtatBilan, EtatTranche, NiveauParticipation
from fonds.forms.bilans import POURQUOI_AGREGES
from fonds.models import AccesFinanceur, BilanAnnuel, Convention, Tranche
from fonds.services import DonneesBilan, bilan_deposer, convention_signer, versement_enregistrer
from instances.services import accompagnateur_affecter
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.fonds.parcours import campagne_ouverte
from tests.fonds.test_vues_conventions import ANNEE, agreer_declaration, compte_employeur, financer_loire
from tests.instances.factories_seances import AccompagnateurFactory
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, Cas, Page, verifier

pytestmark = pytest.mark.django_db

ROLES_BILANS = [*ROLES, "financeur", "accompagnateur", "employeur"]


@dataclass
class MondeBilans(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("financeur", "accompagnateur", "employeur")

    convention: Convention
    indicateurs: list[Indicateur]
    financeur: Any
    accompagnateur: Any
    employeur: Any

    @property
    def bilan(self) -> BilanAnnuel:
        return BilanAnnuel.objects.get(convention=self.convention, rang=1)

    def tranche(self, rang: int) -> Tranche:
        return Tranche.objects.get(convention=self.convention, rang=rang)


def construire(distribution: Any, indicateurs: int = 2) -> MondeBilans:
    fonds = financer_loire(distribution)
    campagne_clore(acteur=distribution.instructeur_42, campagne=distribution.campagne)
    campagne = campagne_ouverte(fonds, annee=ANNEE)
    declaration = agreer_declaration(fonds, campagne, distribution.collectif_a)
    liste = [
        Indicateur.objects.create(declaration=declaration, libelle=f"Indicateur {rang}", ordre=rang)
        for rang in range(indicateurs)
    ]
    convention = Convention.objects.get(declaration=declaration)
    aujourd_hui = timezone.localdate()
    convention_signer(
        acteur=distribution.instructeur_42,
        convention=convention,
        signee_le=aujourd_hui,
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Le président du Département",
    )
    premiere = convention.tranches.get(rang=1)
    versement_enregistrer(
        acteur=distribution.instructeur_42,
        tranche=premiere,
        date_versement=aujourd_hui,
        montant=premiere.montant,
        reference_bancaire="VIR-0001",
    )
    financeur = UserFactory(email="financeur@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=fonds.financeurs["fondation"],
        email=financeur.email,
        utilisateur=financeur,
        invite_par=distribution.national,
        accepte_le=timezone.now(),
    )
    accompagnateur = UserFactory(email="accompagnatrice@exemple.fr")
    accompagnateur_affecter(
        acteur=distribution.instructeur_42,
        collectif=distribution.collectif_a,
        accompagnateur=AccompagnateurFactory(user=accompagnateur, email=accompagnateur.email),
    )
    return MondeBilans(
        distribution=distribution,
        convention=convention,
        indicateurs=liste,
        financeur=financeur,
        accompagnateur=accompagnateur,
        employeur=compte_employeur(distribution.collectif_a.institutions_origine.first(), distribution.referent_a),
    )


@pytest.fixture
def monde(distribution) -> MondeBilans:
    return construire(distribution)


def _saisie(m: MondeBilans, action: str = "enregistrer", **extra: str) -> dict[str, str]:
    donnees = {
        "action": action,
        "recit": "Nous avons ouvert la cuisine partagée.",
        "niveau_participation": NiveauParticipation.CONSULTATION,
        "difficultes": "",
        "nombre_rencontres": "12",
        "nombre_participants": "40",
        "nombre_habitants": "30",
        **{f"indicateur_{i.pk}": "Ça avance." for i in m.indicateurs},
        **extra,
    }
    return donnees


def _consentement(m: MondeBilans, action: str = "enregistrer") -> dict[str, str]:
    return _saisie(
        m,
        action,
        consentement_pour="Le collectif, réunion du 3 mars",
        consentement_mode=ModeConsentement.PAPIER,
        consentement_le=timezone.localdate().isoformat(),
    )


def deposer(m: MondeBilans) -> None:
    """Collectif A's référent files a complete check-in (the real service)."""
    bilan_deposer(
        acteur=m.referent_a,
        bilan=m.bilan,
        donnees=DonneesBilan(
            recit="Une année de rencontres.",
            niveau_participation=NiveauParticipation.CO_CONSTRUCTION,
            valeurs={i.pk: ("Observé.", None) for i in m.indicateurs},
        ),
    )


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str,
    referent_b: int | str = 404,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    financeur: int | str = 404,
    accompagnateur: int | str,
    employeur: int | str = 404,
) -> dict[str, int | str]:
    """One row: anonymous visitors log in first; the other collectif's référent, another département's instructeur,
    the funder and the employer of collectif A's originating institution do not see the check-in (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "financeur": financeur,
        "accompagnateur": accompagnateur,
        "employeur": employeur,
    }


def _page(m: MondeBilans) -> str:
    return reverse("fonds:bilan", args=[m.bilan.pk])


INSTRUCTEUR = frozenset({"instructeur_42"})

CAS = [
    Cas(
        "bilans",
        lambda m: reverse("fonds:bilans_convention", args=[m.convention.pk]),
        attendu(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        contenu=("Bilans annuels de la convention", "Ouvrir le bilan de l'année 1", "Attendu"),
    ),
    Cas(
        "bilan",
        _page,
        attendu(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        contenu={
            "referent_a": ("Enregistrer le brouillon", "Déposer le bilan", "jamais de nom ni de liste"),
            "accompagnateur": ("Saisie pour le compte du collectif", "Enregistrer le brouillon"),
            "instructeur_42": ("Contenu du bilan", "Voir la convention"),
            "national": ("Contenu du bilan",),
        },
        absent={
            "referent_a": ("Saisie pour le compte du collectif", "Valider le bilan"),
            "instructeur_42": ("Enregistrer le brouillon", "Valider le bilan"),
            "national": ("Enregistrer le brouillon", "Valider le bilan"),
        },
    ),
    Cas(
        "enregistrer",
        _page,
        attendu(referent_a=302, instructeur_42=403, national=403, accompagnateur=422),
        methode="post",
        donnees=_saisie,
        suite=_page,
        contenu={"accompagnateur": ("Vous saisissez pour le compte du collectif",)},
        agissent=frozenset({"referent_a"}),
        fait=lambda m, r: m.bilan.enregistre_le is not None,
    ),
    Cas(
        "enregistrer_pour_le_compte",
        _page,
        attendu(referent_a=302, instructeur_42=403, national=403, accompagnateur=302),
        methode="post",
        donnees=_consentement,
        suite=_page,
        agissent=frozenset({"accompagnateur"}),
        fait=lambda m, r: m.bilan.consentement_id is not None,
    ),
    Cas(
        "deposer",
        _page,
        attendu(referent_a=302, instructeur_42=403, national=403, accompagnateur=302),
        methode="post",
        donnees=lambda m: _consentement(m, "deposer"),
        suite=_page,
        agissent=frozenset({"referent_a", "accompagnateur"}),
        fait=lambda m, r: m.bilan.etat == EtatBilan.DEPOSE,
    ),
    Cas(
        "valider",
        lambda m: reverse("fonds:bilan_valider", args=[m.bilan.pk]),
        attendu(referent_a=403, instructeur_42=302, national=403, accompagnateur=403),
        methode="post",
        avant=deposer,
        suite=_page,
        agissent=INSTRUCTEUR,
        fait=lambda m, r: m.tranche(2).etat == EtatTranche.EXIGIBLE,
    ),
    Cas(
        "renvoyer",
        lambda m: reverse("fonds:bilan_retourner", args=[m.bilan.pk]),
        attendu(referent_a=403, instructeur_42=302, national=403, accompagnateur=403),
        methode="post",
        donnees={"retour-message": "Ajoutez les difficultés."},
        avant=deposer,
        suite=_page,
        agissent=INSTRUCTEUR,
        fait=lambda m, r: m.bilan.etat == EtatBilan.A_COMPLETER,
    ),
    Cas(
        "renvoyer_sans_message",
        lambda m: reverse("fonds:bilan_retourner", args=[m.bilan.pk]),
        attendu(referent_a=403, instructeur_42=422, national=403, accompagnateur=403),
        methode="post",
        donnees={"retour-message": ""},
        avant=deposer,
        contenu={"instructeur_42": ("Ce qu&#x27;il faut compléter",)},
        agissent=frozenset(),
        fait=lambda m, r: m.bilan.etat == EtatBilan.A_COMPLETER,
    ),
]


def _params() -> list[Any]:
    for c in CAS:
        assert set(c.attendu) == set(ROLES_BILANS), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_BILANS]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from fonds import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "fonds.views.bilans"}
    couverts = {"bilans_convention", "bilan", "bilan_valider", "bilan_retourner"}
    assert noms == couverts


# --- Flows through the pages ---------------------------------------------------------------------------------------


def test_depot_incomplet_garde_la_saisie_et_nomme_les_manques(monde, client):
    client.force_login(monde.referent_a)
    donnees = _saisie(monde, "deposer", recit="", nombre_rencontres="7")
    reponse = client.post(_page(monde), donnees)
    assert reponse.status_code == 422
    page = reponse.content.decode()
    assert "Racontez en quelques lignes" in page
    assert 'value="7"' in page  # the input is kept
    assert monde.bilan.etat == EtatBilan.ATTENDU
    assert monde.bilan.enregistre_le is None  # nothing saved: the filing failed as a whole


def test_saisie_pour_le_compte_affiche_saisi_par_pour_le_compte_de(monde, client):
    client.force_login(monde.accompagnateur)
    assert client.post(_page(monde), _consentement(monde)).status_code == 302
    client.force_login(monde.referent_a)
    page = client.get(_page(monde)).content.decode()
    assert f"saisi par {monde.accompagnateur} pour le compte de Le collectif, réunion du 3 mars" in page
    assert "formulaire papier signé" in page


def test_validation_depuis_la_page_rend_la_tranche_2_exigible(monde, client):
    deposer(monde)
    client.force_login(monde.instructeur_42)
    convention = client.get(reverse("fonds:convention", args=[monde.convention.pk])).content.decode()
    assert reverse("fonds:bilans_convention", args=[monde.convention.pk]) in convention
    page = client.get(_page(monde)).content.decode()
    assert "Valider le bilan de l'année 1" in page
    reponse = client.post(reverse("fonds:bilan_valider", args=[monde.bilan.pk]), follow=True)
    assert "Bilan de l&#x27;année 1 validé" in reponse.content.decode()
    assert monde.tranche(2).etat == EtatTranche.EXIGIBLE


def test_le_collectif_trouve_ses_bilans_depuis_sa_page_de_suivi(monde, client):
    client.force_login(monde.referent_a)
    suivi = client.get(reverse("instances:declaration_detail", args=[monde.convention.declaration_id]))
    assert reverse("fonds:bilans_convention", args=[monde.convention.pk]) in suivi.content.decode()


def test_a_completer_le_message_est_montre_au_collectif(monde, client):
    deposer(monde)
    client.force_login(monde.instructeur_42)
    client.post(reverse("fonds:bilan_retourner", args=[monde.bilan.pk]), {"retour-message": "Précisez la salle."})
    client.force_login(monde.referent_a)
    page = Page(client.get(_page(monde)))
    assert "Précisez la salle." in Page.texte(page.un(".fr-alert--warning"))
    assert Page.texte(page.un("button[value=deposer]")) == "Déposer le bilan"


def test_le_formulaire_dit_pourquoi_les_chiffres_sont_agreges(monde, client):
    client.force_login(monde.referent_a)
    page = client.get(_page(monde)).content.decode()
    assert POURQUOI_AGREGES.replace("'", "&#x27;") in page


# --- Query counts --------------------------------------------------------------------------------------------------


# Session, user, the header's role checks, the check-in with its convention, collectif and actors (one query), the
# permission checks (référent, accompagnateur, instructeur), the indicators and their values (two queries, whatever
# their number), messages, and « Besoin d'aide ? » (the référent check, the département's instance, then its
# instructeurs when the instance gave no contact): the same count with one indicator or five.
REQUETES_BILAN = 14


@pytest.mark.parametrize("nombre", [1, 5])
def test_requetes_de_la_page_du_bilan(nombre, distribution, client, django_assert_num_queries):
    monde = construire(distribution, indicateurs=nombre)
    client.force_login(monde.referent_a)
    url = _page(monde)
    client.get(url)
    with django_assert_num_queries(REQUETES_BILAN):
        reponse = client.get(url)
    assert reponse.status_code == 200
