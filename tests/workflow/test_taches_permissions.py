"""Allowed, forbidden and not-found for every URL of the task pages, for the nine roles (CONVENTIONS §3.7, §5).

Hidden objects give 404 (scoped selectors), visible ones the wrong role may not act on give 403; only the
instructeurs of the département act, and an action that is refused changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.models import Accompagnateur, AffectationAccompagnateur
from tests.collectifs.factories import DeclarationFactory
from tests.vues import CONNEXION, Page, url_connexion
from tests.workflow.scenario import ROLES, construire_scene, tache_instruction

HTML = "text/html; charset=utf-8"
XML = "application/xml"


@pytest.fixture
def scene(distribution, django_capture_on_commit_callbacks):
    return construire_scene(distribution, django_capture_on_commit_callbacks)


def roles(**statuts: int | str) -> dict[str, int | str]:
    assert set(statuts) == set(ROLES), "every role must be listed"
    return statuts


# Who sees collectif A's filed declaration: its référents, the Loire's instructeurs, national staff and the
# collectif's accompagnateur; not the Loire's instance members while it is on no séance's agenda (SPEC §2).
# Only the Loire's instructeurs instruct it.
VOIR = roles(
    anonyme=CONNEXION,
    referent_a=200,
    referent_b=404,
    instructeur_42=200,
    instructeur_autre=404,
    national=200,
    membre_instance=404,
    president=404,
    accompagnateur=200,
)


def instruire(succes: int) -> dict[str, int | str]:
    return roles(
        anonyme=CONNEXION,
        referent_a=403,
        referent_b=404,
        instructeur_42=succes,
        instructeur_autre=404,
        national=403,
        membre_instance=404,
        president=404,
        accompagnateur=403,
    )


def _etat(s: Any) -> str:
    return Declaration.objects.get(pk=s.declaration.pk).etat


def _autre_accompagnateur(s: Any) -> Accompagnateur:
    return Accompagnateur.objects.get_or_create(departement_id="42", prenom="Paul", nom="Relais")[0]


@dataclass(frozen=True)
class Cas:
    nom: str
    url: Callable[[Any], str]
    attendu: dict[str, int | str]
    methode: str = "get"
    donnees: Callable[[Any], dict[str, Any]] = lambda s: {}
    contenu: dict[str, tuple[str, ...]] = field(default_factory=dict)
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    type_contenu: str = HTML
    fait: Callable[[Any], bool] | None = None  # the write happened (instructeur_42 only)


def _url(nom: str) -> Callable[[Any], str]:
    return lambda s: reverse(f"workflow:{nom}", args=[s.declaration.pk])


CAS = [
    Cas(
        "taches",
        lambda s: reverse("workflow:taches"),
        roles(
            anonyme=CONNEXION,
            referent_a=403,
            referent_b=403,
            instructeur_42=200,
            instructeur_autre=200,
            national=403,
            membre_instance=403,
            president=403,
            accompagnateur=403,
        ),
        contenu={
            "instructeur_42": ("Collectif A de Montreynaud", "À prendre en charge (1)"),
            "instructeur_autre": ("Aucune déclaration n'attend d'instruction dans vos départements.",),
        },
        absent={"instructeur_autre": ("Collectif A de Montreynaud",)},
    ),
    Cas(
        "tache",
        _url("tache"),
        instruire(200),
        contenu={
            "instructeur_42": ("Instruction de la déclaration de Collectif A de Montreynaud", "Prendre en charge")
        },
    ),
    Cas(
        "processus_declaration",
        _url("processus_declaration"),
        VOIR,
        contenu=dict.fromkeys(
            [r for r, s in VOIR.items() if s == 200],
            ("Instruire la recevabilité", "<svg", "Télécharger le modèle BPMN du processus"),
        ),
    ),
    Cas("processus_bpmn", _url("processus_bpmn"), VOIR, type_contenu=XML),
    Cas(
        "prendre_en_charge",
        _url("prendre_en_charge"),
        instruire(302),
        methode="post",
        fait=lambda s: (
            tache_instruction(s.declaration).owner_id == s.instructeur_42.pk
            and _etat(s) == EtatDeclaration.EN_INSTRUCTION
        ),
    ),
    Cas(
        "demander_complements",
        _url("demander_complements"),
        instruire(302),
        methode="post",
        donnees=lambda s: {"complements-message": "Ajoutez la délibération de la mairie.", "complements-echeance": ""},
        fait=lambda s: _etat(s) == EtatDeclaration.A_COMPLETER,
    ),
    Cas(
        "declarer_recevable",
        _url("declarer_recevable"),
        instruire(302),
        methode="post",
        fait=lambda s: _etat(s) == EtatDeclaration.RECEVABLE,
    ),
    Cas(
        "classer_sans_suite",
        _url("classer_sans_suite"),
        # No demande has expired: the service refuses, the page says why.
        instruire(422),
        methode="post",
        donnees=lambda s: {"sans_suite-motifs": "Sans réponse."},
        contenu={"instructeur_42": ("Seule une déclaration en attente de compléments peut être classée sans suite.",)},
        fait=lambda s: _etat(s) == EtatDeclaration.CLASSEE_SANS_SUITE,
    ),
    Cas(
        "affecter_accompagnateur",
        _url("affecter_accompagnateur"),
        instruire(302),
        methode="post",
        donnees=lambda s: {"accompagnement-accompagnateur": _autre_accompagnateur(s).pk},
        fait=lambda s: (
            AffectationAccompagnateur.objects.get(collectif=s.collectif_a, fin__isnull=True).accompagnateur
            == _autre_accompagnateur(s)
        ),
    ),
]


@pytest.mark.parametrize(("cas", "role"), [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES])
def test_matrice(scene, client, django_capture_on_commit_callbacks, cas, role):
    utilisateur = scene.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    url = cas.url(scene)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = getattr(client, cas.methode)(url, cas.donnees(scene))
    attendu = cas.attendu[role]
    if attendu == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == attendu, (role, reponse.status_code)
    if reponse.status_code in (200, 422):
        assert reponse["Content-Type"] == cas.type_contenu
        page = reponse.content.decode()
        if cas.type_contenu == XML:
            assert "Instruire la recevabilité" in page and "bpmn:definitions" in page
        for texte in cas.contenu.get(role, ()):
            assert texte in page, (role, texte)
        for texte in cas.absent.get(role, ()):
            assert texte not in page, (role, texte)
    if reponse.status_code == 302 and attendu != CONNEXION:
        assert reponse["Location"] == reverse("workflow:tache", args=[scene.declaration.pk])
    if cas.fait is not None:
        assert cas.fait(scene) is (role == "instructeur_42" and attendu == 302), (role, "effect")


@pytest.mark.parametrize(
    "nom",
    [
        "prendre_en_charge",
        "demander_complements",
        "declarer_recevable",
        "classer_sans_suite",
        "affecter_accompagnateur",
    ],
)
def test_les_actions_se_font_en_post_uniquement(scene, client, nom):
    client.force_login(scene.instructeur_42)
    assert client.get(reverse(f"workflow:{nom}", args=[scene.declaration.pk])).status_code == 405
    assert _etat(scene) == EtatDeclaration.DEPOSEE


@pytest.mark.parametrize("nom", ["prendre_en_charge", "declarer_recevable"])
def test_les_actions_exigent_le_jeton_csrf(scene, nom):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.instructeur_42)
    assert client.post(reverse(f"workflow:{nom}", args=[scene.declaration.pk])).status_code == 403
    assert _etat(scene) == EtatDeclaration.DEPOSEE
    assert tache_instruction(scene.declaration).owner_id is None


def test_un_brouillon_est_introuvable_pour_l_instruction(scene, client):
    brouillon = DeclarationFactory(collectif=scene.collectif_b, prete=True)
    client.force_login(scene.instructeur_42)
    for nom in ("tache", "processus_declaration", "processus_bpmn"):
        assert client.get(reverse(f"workflow:{nom}", args=[brouillon.pk])).status_code == 404
    # Its own référent sees where it stands: a draft, no process yet, and nothing to instruct.
    client.force_login(scene.referent_b)
    reponse = client.get(reverse("workflow:processus_declaration", args=[brouillon.pk]))
    assert reponse.status_code == 200
    page = Page(reponse)
    assert Page.texte(page.un("h1")) == "Où en est la déclaration de Collectif B de Firminy"
    assert Page.texte(page.un(".fr-badge")) == "Brouillon"
    assert "Aucun processus n'a encore été ouvert pour cette déclaration" in Page.texte(page.un(".fr-alert"))
    assert Page.texte(page.un("#etapes-en-cours")) == "Aucune."
    assert page.tous("#tableau-etapes") == []
    assert "Instruire" not in [Page.texte(a) for a in page.tous("a.fr-btn")]
    assert "Collectif A de Montreynaud" not in reponse.content.decode()
