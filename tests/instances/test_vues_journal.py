"""The pages of the research-action journal and of the proxy entries (R10, R20): every URL, GET and POST, for
every role (302 to login, 404 when hidden, 403 when visible but not allowed, 200/302 when allowed), the proxy
entry refused without consent with the error next to the field and the input kept, « saisi par … pour le compte
de … » on the member list and on the journal, and the query counts pinned at two sizes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from collectifs.enums import College, ModeConsentement
from collectifs.models import Consentement, Membre
from collectifs.services import DonneesMembre, membre_ajouter
from collectifs.services.collectif import SAISIE_SANS_ACCORD
from instances.models import EntreeJournal
from instances.services import accompagnateur_affecter
from tests.collectifs.factories import CollectifFactory
from tests.instances.monde_journal import ROLES_JOURNAL, TEXTE_ENTREE, accord, construire_monde_journal
from tests.vues import CONNEXION, Page, url_connexion

pytestmark = pytest.mark.django_db


def hier() -> datetime.date:
    """Yesterday, read when the test runs (a constant read at import goes stale when the run crosses midnight)."""
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def monde(distribution):
    return construire_monde_journal(distribution)


def statuts(**autres: int | str) -> dict[str, int | str]:
    """Every role of the matrix: the anonymous visitor goes to the login page, the rest is 404 unless given."""
    resultat: dict[str, int | str] = dict.fromkeys(ROLES_JOURNAL, 404)
    resultat["anonyme"] = CONNEXION
    resultat.update(autres)
    return resultat


def nouveau_membre(**extra: Any) -> dict[str, Any]:
    donnees = {
        "college": College.HABITANT,
        "prenom": "Josette",
        "nom": "Granger",
        "consentement": "on",
        "accord_mode": ModeConsentement.ORAL,
        "accord_recueilli_le": hier().isoformat(),
    }
    donnees.update(extra)
    return donnees


@dataclass(frozen=True)
class Cas:
    nom: str
    url: Callable[[Any], str]
    attendu: dict[str, int | str]
    methode: str = "get"
    donnees: dict[str, Any] = field(default_factory=dict)
    contenu: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    suite: Callable[[Any], str] | None = None
    fait: Callable[[Any], bool] | None = None  # true after the request exactly for the roles that get a 302


JOURNAL_A = lambda m: reverse("instances:journal", args=[m.collectif_a.pk])  # noqa: E731
MEMBRES_A = lambda m: reverse("collectifs:membres_pour_autrui", args=[m.collectif_a.pk])  # noqa: E731

CAS = [
    Cas(
        "journal",
        JOURNAL_A,
        statuts(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        contenu=("Journal de recherche-action de {m.collectif_a.nom}", TEXTE_ENTREE, "Accompagnement par Alex Bernard"),
    ),
    Cas(
        "journal-ecrire",
        JOURNAL_A,
        statuts(referent_a=403, instructeur_42=403, national=403, accompagnateur=302),
        methode="post",
        donnees={"date": hier().isoformat(), "texte": "Deuxième atelier : 14 habitant·es présent·es."},
        suite=JOURNAL_A,
        fait=lambda m: EntreeJournal.objects.filter(texte__startswith="Deuxième atelier").exists(),
    ),
    Cas(
        "membres",
        MEMBRES_A,
        statuts(referent_a=200, accompagnateur=200, instructeur_42=403, national=403),
        contenu=("Membres de {m.collectif_a.nom}", "Ajouter un membre pour son compte"),
    ),
    Cas(
        "membres-ajouter",
        MEMBRES_A,
        statuts(referent_a=302, accompagnateur=302, instructeur_42=403, national=403),
        methode="post",
        donnees=nouveau_membre(),
        suite=MEMBRES_A,
        fait=lambda m: Membre.objects.filter(nom="Granger", consentement_saisie__isnull=False).exists(),
    ),
    Cas(
        "membre-modifier",
        lambda m: reverse("collectifs:membre_pour_autrui", args=[m.collectif_a.pk, m.membre.pk]),
        statuts(referent_a=200, accompagnateur=200, instructeur_42=403, national=403),
        contenu=("Modifier la fiche de Odile Marchand",),
    ),
    Cas(
        "membre-modifier-enregistrer",
        lambda m: reverse("collectifs:membre_pour_autrui", args=[m.collectif_a.pk, m.membre.pk]),
        statuts(referent_a=302, accompagnateur=302, instructeur_42=403, national=403),
        methode="post",
        donnees=nouveau_membre(
            college=College.ELU_RESPONSABLE, prenom="Odile", nom="Marchand", fonction="Adjointe aux solidarités"
        ),
        suite=MEMBRES_A,
        fait=lambda m: Membre.objects.filter(nom="Marchand", fonction="Adjointe aux solidarités").exists(),
    ),
]


@pytest.mark.parametrize(("cas", "role"), [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_JOURNAL])
def test_matrice(cas, role, monde, client):
    monde.membre = Membre.objects.create(
        collectif=monde.collectif_a,
        college=College.ELU_RESPONSABLE,
        prenom="Odile",
        nom="Marchand",
        cle="marchand|odile",
        consentement=True,
    )
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    url = cas.url(monde)
    reponse = getattr(client, cas.methode)(url, cas.donnees)
    attendu = cas.attendu[role]
    if attendu == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == attendu, (role, reponse.status_code)
    if reponse.status_code == 200:
        page = reponse.content.decode()
        for texte in cas.contenu:
            assert texte.format(m=monde) in page
    if attendu == 302:
        assert reponse["Location"] == cas.suite(monde)
    if cas.fait is not None:
        assert cas.fait(monde) is (attendu == 302), (role, "effect")


def test_le_journal_montre_les_saisies_pour_autrui(monde, client):
    membre_ajouter(
        acteur=monde.accompagnateur,
        collectif=monde.collectif_a,
        donnees=DonneesMembre(college=College.HABITANT, prenom="Josette", nom="Granger", consentement=True),
        pour_autrui=accord(mode=ModeConsentement.PAPIER),
    )
    client.force_login(monde.instructeur_42)
    page = Page(client.get(JOURNAL_A(monde)))
    lignes = [Page.texte(tr) for tr in page.tous("#titre-saisies ~ .fr-table tbody tr")]
    saisi_le = timezone.localtime(Consentement.objects.get().saisi_le)
    assert lignes == [
        f"Saisi par {monde.accompagnateur} pour le compte de Josette Granger "
        f"Formulaire papier signé, le {hier():%d/%m/%Y} {saisi_le:%d/%m/%Y à %H:%M}"
    ]
    assert not page.tous('[name="texte"]')  # the instructeur reads, does not write
    client.force_login(monde.referent_a)
    page = Page(client.get(MEMBRES_A(monde)))
    assert f"Saisi par {monde.accompagnateur} pour le compte de Josette Granger — accord formulaire papier signé" in (
        Page.texte(page.un("tbody tr"))
    )


def test_sans_accord_l_accompagnateur_est_refuse_et_sa_saisie_gardee(monde, client):
    client.force_login(monde.accompagnateur)
    reponse = client.post(MEMBRES_A(monde), nouveau_membre(accord_mode="", accord_recueilli_le=""))
    assert reponse.status_code == 200
    page = Page(reponse)
    assert SAISIE_SANS_ACCORD in page.erreur_du_champ("accord_mode")
    assert page.valeur("nom") == "Granger"
    assert not Membre.objects.filter(nom="Granger").exists()


def test_un_accord_incomplet_est_signale_a_cote_du_champ(monde, client):
    client.force_login(monde.referent_a)
    reponse = client.post(MEMBRES_A(monde), nouveau_membre(accord_recueilli_le=""))
    page = Page(reponse)
    assert "Indiquez la date à laquelle l'accord a été recueilli." in page.erreur_du_champ("accord_recueilli_le")
    reponse = client.post(MEMBRES_A(monde), nouveau_membre(accord_mode=ModeConsentement.AUTRE))
    assert "Précisez comment la personne a donné son accord." in Page(reponse).erreur_du_champ("accord_precision")
    assert not Membre.objects.filter(nom="Granger").exists()


def test_l_entree_invalide_garde_la_saisie(monde, client):
    client.force_login(monde.accompagnateur)
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = client.post(JOURNAL_A(monde), {"date": demain.isoformat(), "texte": "Atelier prévu."})
    page = Page(reponse)
    assert "La date ne peut pas être dans le futur." in page.erreur_du_champ("date")
    assert page.valeur("texte") == "Atelier prévu."


# session, user, the collectif (visibility union) and its référents, the write check (accompagnateur?), the
# accompagnement, the entries, the proxy entries, and the header's roles (instructeur? instance member?); the
# accompagnateur then needs no second check for the link to the proxy entries, the others do (accompagnateur?).
@pytest.mark.parametrize("role", ["accompagnateur", "instructeur_42", "referent_a"])
@pytest.mark.parametrize("nombre", [2, 25])
def test_requetes_du_journal(nombre, role, monde, client, django_assert_max_num_queries, django_assert_num_queries):
    EntreeJournal.objects.bulk_create(
        EntreeJournal(
            collectif=monde.collectif_a,
            accompagnateur=monde.accompagnatrice,
            auteur=monde.accompagnateur,
            date=hier(),
            texte=f"Entrée {rang}",
        )
        for rang in range(nombre)
    )
    for rang in range(nombre):
        membre_ajouter(
            acteur=monde.accompagnateur,
            collectif=monde.collectif_a,
            donnees=DonneesMembre(college=College.HABITANT, prenom=f"Hab{rang}", nom="Diallo", consentement=True),
            pour_autrui=accord(),
        )
    client.force_login(monde.utilisateur(role))
    with django_assert_num_queries(REQUETES_JOURNAL[role]):
        reponse = client.get(JOURNAL_A(monde))
    assert reponse.content.decode().count("pour le compte de Hab") == nombre


@pytest.mark.parametrize("role", ["accompagnateur", "referent_a"])
@pytest.mark.parametrize("nombre", [2, 25])
def test_requetes_des_membres(nombre, role, monde, client, django_assert_num_queries):
    for rang in range(nombre):
        membre_ajouter(
            acteur=monde.accompagnateur,
            collectif=monde.collectif_a,
            donnees=DonneesMembre(college=College.HABITANT, prenom=f"Hab{rang}", nom="Diallo", consentement=True),
            pour_autrui=accord(),
        )
    client.force_login(monde.utilisateur(role))
    with django_assert_num_queries(REQUETES_MEMBRES[role]):
        reponse = client.get(MEMBRES_A(monde))
    assert reponse.content.decode().count("pour le compte de Hab") == nombre


REQUETES_JOURNAL = {"accompagnateur": 10, "instructeur_42": 10, "referent_a": 10}
# session, user, the collectif (visibility union) and its référents, the proxy-entry check (accompagnateur? for
# the accompagnateur only: a référent is known from the prefetch), the members with their consent and its author,
# and the header's roles (instructeur? instance member?).
REQUETES_MEMBRES = {"accompagnateur": 8, "referent_a": 7}


# session, user, the role detection (config.tableaux: the référent's collectifs, the départements instructed, the
# instance memberships, the accompagnements with their counts in one query whatever their number, the employer, the
# funder), the header's « instructeur ? », and the check-ins expected from the collectifs followed (one query).
REQUETES_TABLEAU_ACCOMPAGNATEUR = 10


@pytest.mark.parametrize("nombre", [1, 12])
def test_tableau_de_bord_de_l_accompagnateur(nombre, monde, client, django_assert_num_queries):
    """R10: the accompagnateur's dashboard lists the collectifs they follow, with the journal to keep and the
    proxy entries, in a constant number of queries."""
    for rang in range(nombre - 1):
        collectif = CollectifFactory(nom=f"Collectif suivi n°{rang:02d}")
        accompagnateur_affecter_ici(monde, collectif)
    client.force_login(monde.accompagnateur)
    with django_assert_num_queries(REQUETES_TABLEAU_ACCOMPAGNATEUR):
        reponse = client.get(reverse("tableau_de_bord"))
    page = Page(reponse)
    lignes = [Page.texte(tr) for tr in page.tous("#titre-accompagnement ~ .fr-table tbody tr")]
    assert len(lignes) == nombre
    ligne_a = next(ligne for ligne in lignes if ligne.startswith(monde.collectif_a.nom))
    assert "1 entrée, la dernière le" in ligne_a
    assert "Journal de " + monde.collectif_a.nom in ligne_a
    assert reverse("instances:journal", args=[monde.collectif_a.pk]) in reponse.content.decode()


def accompagnateur_affecter_ici(monde: Any, collectif: Any) -> None:
    accompagnateur_affecter(acteur=monde.instructeur_42, collectif=collectif, accompagnateur=monde.accompagnatrice)
