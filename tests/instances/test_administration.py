"""The instance administered without /admin/ (issue 11): creating the instance and changing its settings, its
members (add at a rank, edit, end a membership, never while presiding), the presidency rotation reordered
without tripping the unique rank, the presidency passed on only after a confirmation page (R6), the registry of
accompagnateur·rices (never emptied under a collectif it follows, R10); the permission matrix of every page,
French messages next to their fields, and pinned query counts at two sizes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from instances import urls as instances_urls
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance
from instances.selectors import presidence_en_cours, presidence_suivante_proposee
from instances.services_administration import (
    accompagnateur_ajouter,
    invitation_creer,
    membre_ajouter,
    membre_mettre_fin,
    membres_reordonner,
)
from journal.models import TransitionLog
from territoires.models import Departement
from tests.instances.factories_seances import AccompagnateurFactory, MembreInstanceFactory
from tests.instances.monde_administration import (
    ROLES_ADMINISTRATION,
    MondeAdministration,
    construire_monde_administration,
)
from tests.vues import CONNEXION, Cas, Page, verifier

pytestmark = pytest.mark.django_db

M, R = MondeAdministration, ROLES_ADMINISTRATION


@pytest.fixture
def monde(distribution) -> MondeAdministration:
    return construire_monde_administration(distribution)


def _roles(**statuts: int | str) -> dict[str, int | str]:
    """Every role's status: anonymous visitors log in, the rest get `defaut` unless named."""
    defaut = statuts.pop("defaut")
    return {r: CONNEXION if r == "anonyme" else statuts.get(r, defaut) for r in R}


# A page of the Loire's instance: hidden (404) from who does not see the instance, refused (403) to its members.
INSTANCE_GET = _roles(defaut=404, instructeur_42=200, national=200, membre=403, president=403)
INSTANCE_POST = _roles(defaut=404, instructeur_42=302, national=302, membre=403, president=403)
# A page keyed by the département: refused (403) to whoever does not administer it.
DEPARTEMENT_GET = _roles(defaut=403, instructeur_42=200, national=200)
# A registry entry: hidden (404) outside the départements one administers.
FICHE_POST = _roles(defaut=404, instructeur_42=302, national=302)
ADMINISTRATEURS = frozenset({"instructeur_42", "national"})
POST_SEULEMENT = {r: CONNEXION if r == "anonyme" else 405 for r in R}


def _instance(nom: str, *args: Any) -> Any:
    return lambda m: reverse(f"instances:{nom}", args=[m.instance.pk, *[a(m) for a in args]])


def _membre(prenom: str) -> Any:
    return lambda m: m.membres[prenom].pk


def _fiche(nom: str, qui: str = "tom") -> Any:
    return lambda m: reverse(f"instances:{nom}", args=[getattr(m, qui).pk])


def _recharger(objet: Any) -> Any:
    return type(objet).objects.get(pk=objet.pk)


PARAMETRES = {
    "nom": "Instance de la Loire",
    "quorum_pourcentage": "33",
    "duree_mandat_mois": "18",
    "contact_email": "Secretariat@Loire.exemple.fr",
    "contact_telephone": "04 77 00 00 00",
    "contact_horaires": "du lundi au vendredi, 9 h – 12 h",
}

CAS = [
    Cas(
        "instance_nouvelle",
        lambda m: reverse("instances:instance_nouvelle"),
        _roles(defaut=403, instructeur_42=200, instructeur_autre=200, national=200),
        contenu={
            "instructeur_42": ("Tous vos départements ont déjà leur instance",),
            "instructeur_autre": ("Créer l&#x27;instance", ">Rhône (69)</option>"),
            "national": ("Créer l&#x27;instance", ">Rhône (69)</option>"),
        },
        absent={"instructeur_autre": (">Loire (42)</option>",), "national": (">Loire (42)</option>",)},
    ),
    Cas(
        "instance_nouvelle-post",
        lambda m: reverse("instances:instance_nouvelle"),
        _roles(defaut=403, instructeur_42=422, instructeur_autre=302, national=302),
        methode="post",
        donnees={**PARAMETRES, "departement": "69", "nom": "Instance du Rhône"},
        contenu={"instructeur_42": ("Tous vos départements ont déjà leur instance",)},
        suite=lambda m: reverse("instances:membres", args=[InstanceDepartementale.objects.get(departement="69").pk]),
        agissent=frozenset({"instructeur_autre", "national"}),
        fait=lambda m, r: InstanceDepartementale.objects.filter(departement="69", nom="Instance du Rhône").exists(),
    ),
    Cas(
        "instance_modifier",
        _instance("instance_modifier"),
        INSTANCE_GET,
        contenu=dict.fromkeys(ADMINISTRATEURS, ("Paramètres de Instance départementale de la Loire", 'value="50"')),
    ),
    Cas(
        "instance_modifier-post",
        _instance("instance_modifier"),
        INSTANCE_POST,
        methode="post",
        donnees=PARAMETRES,
        suite=lambda m: reverse("instances:instance", args=[m.instance.pk]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: _recharger(m.instance).duree_mandat_mois == 18,
    ),
    Cas(
        "membres",
        _instance("membres"),
        INSTANCE_GET,
        contenu=dict.fromkeys(
            ADMINISTRATEURS,
            ("Hélène Roux", "Présidence en cours", "Nadia Haddad", "Aucun compte", "jean.morel@exemple.fr"),
        ),
    ),
    Cas(
        "membre_nouveau-post",
        _instance("membre_nouveau"),
        INSTANCE_POST,
        methode="post",
        donnees={
            "prenom": "Lucie",
            "nom": "Faure",
            "institution": "MSA",
            "college": CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
            "votant": "on",
            "rang_rotation": "2",
        },
        suite=_instance("membres"),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: MembreInstance.objects.filter(nom="Faure", rang_rotation=2).exists(),
    ),
    Cas(
        "membre_modifier-post",
        _instance("membre_modifier", _membre("Jean")),
        INSTANCE_POST,
        methode="post",
        donnees={
            "prenom": "Jean",
            "nom": "Morel",
            "institution": "CAF de la Loire (direction)",
            "college": CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        },
        suite=_instance("membres"),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: not _recharger(m.membres["Jean"]).votant,
    ),
    Cas(
        "membre_fin",
        _instance("membre_fin", _membre("Jean")),
        INSTANCE_GET,
        contenu=dict.fromkeys(ADMINISTRATEURS, ("Mettre fin au mandat de Jean Morel", "Date de fin du mandat")),
    ),
    Cas(
        "membre_fin-post",
        _instance("membre_fin", _membre("Jean")),
        INSTANCE_POST,
        methode="post",
        donnees=lambda m: {"fin": timezone.localdate().isoformat()},
        suite=_instance("membres"),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: not _recharger(m.membres["Jean"]).actif,
    ),
    Cas(
        "membre_inviter-post",
        _instance("membre_inviter", _membre("Nadia")),
        INSTANCE_POST,
        methode="post",
        donnees={"email": "nadia.haddad@ccas.exemple.fr"},
        suite=_instance("membres"),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: m.membres["Nadia"].invitations.exists(),
    ),
    Cas(
        "membres_ordre",
        _instance("membres_ordre"),
        INSTANCE_GET,
        contenu=dict.fromkeys(ADMINISTRATEURS, ("Ordre de rotation de la présidence", "Paul Girard")),
    ),
    Cas(
        "membres_ordre-post",
        _instance("membres_ordre"),
        INSTANCE_POST,
        methode="post",
        donnees=lambda m: {
            f"rang_{m.membres[p].pk}": str(5 - i) for i, p in enumerate(["Hélène", "Jean", "Nadia", "Paul"], 1)
        },
        suite=_instance("membres"),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: _recharger(m.membres["Paul"]).rang_rotation == 1,
    ),
    Cas(
        "presidence_confirmer",
        _instance("presidence_confirmer"),
        _roles(defaut=404, instructeur_42=200, national=403, membre=403, president=403),
        contenu={"instructeur_42": ("<strong>Jean Morel</strong>", "Confirmer : Jean Morel préside")},
    ),
    Cas(
        "accompagnateurs",
        lambda m: reverse("instances:accompagnateurs", args=["42"]),
        DEPARTEMENT_GET,
        contenu=dict.fromkeys(ADMINISTRATEURS, ("Alex", "Collectif A de Montreynaud", "Tom", "Pas de compte")),
    ),
    Cas(
        "accompagnateur_nouveau-post",
        lambda m: reverse("instances:accompagnateur_nouveau", args=["42"]),
        _roles(defaut=403, instructeur_42=302, national=302),
        methode="post",
        donnees={"prenom": "Inès", "nom": "Morin", "structure": "Coop", "email": "ines@coop.exemple.fr"},
        suite=lambda m: reverse("instances:accompagnateurs", args=["42"]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: Accompagnateur.objects.filter(nom="Morin", departement="42").exists(),
    ),
    Cas(
        "accompagnateur_modifier-post",
        _fiche("accompagnateur_modifier"),
        FICHE_POST,
        methode="post",
        donnees={"prenom": "Tom", "nom": "Perrin", "structure": "Nouvelle structure", "email": "tom@exemple.fr"},
        suite=lambda m: reverse("instances:accompagnateurs", args=["42"]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: _recharger(m.tom).structure == "Nouvelle structure",
    ),
    Cas(
        "accompagnateur_retirer",
        _fiche("accompagnateur_retirer"),
        _roles(defaut=404, instructeur_42=200, national=200),
        contenu=dict.fromkeys(ADMINISTRATEURS, ("Retirer Tom Perrin du registre",)),
    ),
    Cas(
        "accompagnateur_retirer-post",
        _fiche("accompagnateur_retirer"),
        FICHE_POST,
        methode="post",
        suite=lambda m: reverse("instances:accompagnateurs", args=["42"]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: not _recharger(m.tom).actif,
    ),
    Cas(
        "accompagnateur_remettre",
        _fiche("accompagnateur_remettre"),
        FICHE_POST,
        methode="post",
        avant=lambda m: Accompagnateur.objects.filter(pk=m.tom.pk).update(actif=False),
        suite=lambda m: reverse("instances:accompagnateurs", args=["42"]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: _recharger(m.tom).actif,
    ),
    Cas("accompagnateur_remettre-get", _fiche("accompagnateur_remettre"), POST_SEULEMENT),
    Cas(
        "accompagnateur_inviter-post",
        _fiche("accompagnateur_inviter"),
        FICHE_POST,
        methode="post",
        donnees={"email": "tom.perrin@exemple.fr"},
        suite=lambda m: reverse("instances:accompagnateurs", args=["42"]),
        agissent=ADMINISTRATEURS,
        fait=lambda m, r: m.tom.invitations.exists(),
    ),
]


def matrice(cas: list[Cas]) -> list[Any]:
    assert len({c.nom for c in cas}) == len(cas)
    for c in cas:
        assert set(c.attendu) == set(R), c.nom
        for role, statut in c.attendu.items():
            if statut in (200, 422):
                assert c.textes(c.contenu, role), f"{c.nom}: say what {role} must see"
            if statut == 302:
                assert c.suite is not None, c.nom
        assert (c.agissent is None) == (c.fait is None), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in cas for r in R]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_d_administration_de_l_instance_est_dans_une_matrice():
    """This file covers the instance and registry pages; test_invitations.py covers the team and invitations."""
    noms = {p.name for p in instances_urls.urlpatterns if p.callback.__module__ == "instances.views.administration"}
    ici = {c.nom.split("-")[0] for c in CAS} - {"presidence_confirmer"}  # instances.views.instances
    equipe = {"equipes", "equipe", "instructeur_retirer", "invitation_annuler", "invitation_personnel"}
    assert noms == ici | equipe


# --- The instance -------------------------------------------------------------------------------------------------


def test_creation_instance_parametres_et_contact(monde, client):
    client.force_login(monde.instructeur_autre)
    reponse = client.post(reverse("instances:instance_nouvelle"), {**PARAMETRES, "departement": "69"})
    instance = InstanceDepartementale.objects.get(departement="69")
    assert reponse["Location"] == reverse("instances:membres", args=[instance.pk])
    assert str(instance.quorum_fraction) == "0.33" and instance.duree_mandat_mois == 18
    assert instance.contact_email == "secretariat@loire.exemple.fr"
    assert instance.contact_horaires == "du lundi au vendredi, 9 h – 12 h"


def test_creation_instance_erreurs_a_cote_des_champs(monde, client):
    client.force_login(monde.national)
    reponse = client.post(
        reverse("instances:instance_nouvelle"),
        {**PARAMETRES, "departement": "69", "quorum_pourcentage": "120", "duree_mandat_mois": "0"},
    )
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "inférieure ou égale à 99" in page.erreur_du_champ("quorum_pourcentage")
    assert "supérieure ou égale à 1" in page.erreur_du_champ("duree_mandat_mois")
    assert page.valeur("nom") == "Instance de la Loire"  # nothing lost


def test_instructeur_sans_instance_est_invite_a_la_creer(monde, client):
    """An instructeur of a département without an instance is told what to do, with the link to do it."""
    client.force_login(monde.instructeur_autre)
    page = client.get(reverse("instances:instances")).content.decode()
    assert "Aucune instance départementale" in page
    assert f'href="{reverse("instances:instance_nouvelle")}?departement=69"' in page
    assert "Créer l'instance du département : Rhône (69)" in page


def test_page_de_l_instance_mene_a_l_administration(monde, client):
    client.force_login(monde.instructeur_42)
    page = client.get(reverse("instances:instance", args=[monde.instance.pk])).content.decode()
    for nom, args in [
        ("membres", [monde.instance.pk]),
        ("instance_modifier", [monde.instance.pk]),
        ("equipe", ["42"]),
        ("accompagnateurs", ["42"]),
        ("presidence_confirmer", [monde.instance.pk]),
    ]:
        assert f'href="{reverse(f"instances:{nom}", args=args)}"' in page, nom
    client.force_login(monde.membre)
    page = client.get(reverse("instances:instance", args=[monde.instance.pk])).content.decode()
    assert reverse("instances:membres", args=[monde.instance.pk]) not in page
    assert "Gérer les membres" not in page


# --- The presidency is passed on after a confirmation (R6) --------------------------------------------------------


def test_presidence_confirmation_puis_passage(monde, client):
    client.force_login(monde.instructeur_42)
    instance_page = client.get(reverse("instances:instance", args=[monde.instance.pk])).content.decode()
    # The instance page no longer posts in one click: it links to the confirmation page.
    assert f'action="{reverse("instances:presidence_tourner", args=[monde.instance.pk])}"' not in instance_page
    reponse = client.get(reverse("instances:presidence_confirmer", args=[monde.instance.pk]))
    page = reponse.content.decode()
    fin = timezone.localdate().replace(year=timezone.localdate().year + 1)
    assert "Le mandat de Hélène Roux (Département de la Loire)" in page
    assert "<strong>Jean Morel</strong> (CAF de la Loire) préside l'instance à partir d'aujourd'hui" in page
    assert f"jusqu'au <strong>{fin.day}" in page
    assert f'action="{reverse("instances:presidence_tourner", args=[monde.instance.pk])}"' in page
    assert presidence_en_cours(monde.instance).membre.prenom == "Hélène"  # nothing happened on GET
    client.post(reverse("instances:presidence_tourner", args=[monde.instance.pk]))
    presidence = presidence_en_cours(monde.instance)
    assert presidence.membre.prenom == "Jean" and presidence.fin_prevue == fin


# --- Members --------------------------------------------------------------------------------------------------------


def _rangs(instance: InstanceDepartementale) -> list[tuple[str, int]]:
    return list(instance.membres.order_by("rang_rotation").values_list("prenom", "rang_rotation"))


def test_ajout_au_rang_2_decale_les_suivants(monde):
    membre_ajouter(
        acteur=monde.instructeur_42,
        instance=monde.instance,
        prenom="Lucie",
        nom="Faure",
        institution="MSA",
        college=CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        votant=True,
        rang_rotation=2,
    )
    assert _rangs(monde.instance) == [("Hélène", 1), ("Lucie", 2), ("Jean", 3), ("Nadia", 4), ("Paul", 5)]
    # Without a rank: last.
    membre_ajouter(
        acteur=monde.national,
        instance=monde.instance,
        prenom="Rémi",
        nom="Chabert",
        institution="État",
        college=CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        votant=False,
    )
    assert _rangs(monde.instance)[-1] == ("Rémi", 6)


def test_ajout_rang_hors_limites(monde, client):
    client.force_login(monde.instructeur_42)
    reponse = client.post(
        reverse("instances:membre_nouveau", args=[monde.instance.pk]),
        {
            "prenom": "Lucie",
            "nom": "Faure",
            "institution": "MSA",
            "college": CollegeInstance.ELUS,
            "rang_rotation": "9",
        },
    )
    assert reponse.status_code == 422
    assert "Choisissez un rang entre 1 et 5" in Page(reponse).erreur_du_champ("rang_rotation")
    assert not MembreInstance.objects.filter(nom="Faure").exists()


def test_reordonner_inverse_sans_heurter_le_rang_unique(monde):
    """Reversing the order swaps every rank at once: the two-step renumbering never trips the unique constraint."""
    ordre = [monde.membres[p] for p in ["Paul", "Nadia", "Jean", "Hélène"]]
    membres_reordonner(acteur=monde.instructeur_42, instance=monde.instance, ordre=ordre)
    assert _rangs(monde.instance) == [("Paul", 1), ("Nadia", 2), ("Jean", 3), ("Hélène", 4)]
    # The next president follows the new order: after Hélène (now last) comes the first, Paul.
    assert presidence_suivante_proposee(monde.instance).prenom == "Paul"


def test_reordonner_exige_chaque_membre_une_fois(monde):
    with pytest.raises(ValidationError, match="chaque membre de l'instance une fois et une seule"):
        membres_reordonner(
            acteur=monde.instructeur_42,
            instance=monde.instance,
            ordre=[monde.membres[p] for p in ["Paul", "Paul", "Jean", "Hélène"]],
        )
    assert _rangs(monde.instance)[0] == ("Hélène", 1)


def test_ordre_deux_fois_le_meme_rang_erreur_a_cote_du_champ(monde, client):
    client.force_login(monde.instructeur_42)
    m = monde.membres
    reponse = client.post(
        reverse("instances:membres_ordre", args=[monde.instance.pk]),
        {
            f"rang_{m['Hélène'].pk}": "1",
            f"rang_{m['Jean'].pk}": "1",
            f"rang_{m['Nadia'].pk}": "3",
            f"rang_{m['Paul'].pk}": "4",
        },
    )
    assert reponse.status_code == 422
    assert "Le rang 1 est déjà donné à Hélène Roux" in Page(reponse).erreur_du_champ(f"rang_{m['Jean'].pk}")
    assert Page(reponse).valeur(f"rang_{m['Nadia'].pk}") == "3"


def test_la_presidente_ne_peut_pas_etre_sortie_avant_le_passage(monde, client):
    client.force_login(monde.instructeur_42)
    url = reverse("instances:membre_fin", args=[monde.instance.pk, monde.membres["Hélène"].pk])
    assert "passez d&#x27;abord la présidence au membre suivant" in client.get(url).content.decode()
    reponse = client.post(url, {"fin": timezone.localdate().isoformat()})
    assert reponse.status_code == 422
    assert "Hélène Roux préside l'instance" in Page(reponse).erreur_du_champ("fin")
    assert _recharger(monde.membres["Hélène"]).actif


def test_fin_de_mandat_dans_le_futur_refusee(monde, client):
    client.force_login(monde.instructeur_42)
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = client.post(
        reverse("instances:membre_fin", args=[monde.instance.pk, monde.membres["Jean"].pk]), {"fin": demain.isoformat()}
    )
    assert reponse.status_code == 422
    assert "ne peut pas être dans le futur" in Page(reponse).erreur_du_champ("fin")


def test_fin_de_mandat_garde_l_historique_annule_l_invitation_et_journalise(monde):
    nadia = monde.membres["Nadia"]
    invitation = invitation_creer(
        acteur=monde.instructeur_42,
        role="membre_instance",
        departement=Departement.objects.get(code="42"),
        email="nadia@exemple.fr",
        membre=nadia,
    )
    hier = timezone.localdate() - datetime.timedelta(days=1)
    membre_mettre_fin(acteur=monde.instructeur_42, membre=nadia, fin=hier)
    nadia = _recharger(nadia)
    assert not nadia.actif and nadia.fin == hier
    assert _recharger(invitation).etat == "annulee"
    ligne = TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(MembreInstance), object_id=nadia.pk
    )
    assert ligne.acteur == monde.instructeur_42 and ligne.transition == "mettre_fin"
    assert f"le {hier:%d/%m/%Y}" in ligne.commentaire
    with pytest.raises(ValidationError, match="a déjà pris fin"):
        membre_mettre_fin(acteur=monde.instructeur_42, membre=nadia, fin=hier)
    # An ended member is skipped by the rotation.
    membres_reordonner(
        acteur=monde.instructeur_42,
        instance=monde.instance,
        ordre=[monde.membres[p] for p in ["Hélène", "Nadia", "Jean", "Paul"]],
    )
    assert presidence_suivante_proposee(monde.instance).prenom == "Jean"


# --- The registry (R10) -------------------------------------------------------------------------------------------


def test_retirer_du_registre_refuse_tant_qu_un_collectif_est_suivi(monde, client):
    """Decision: refused (not a warning), because R10 gives every accepted collectif an accompagnateur; the page
    names the collectif to reassign first."""
    client.force_login(monde.instructeur_42)
    url = reverse("instances:accompagnateur_retirer", args=[monde.alex.pk])
    page = client.get(url).content.decode()
    assert "Collectifs accompagnés en ce moment" in page and "Collectif A de Montreynaud" in page
    reponse = client.post(url)
    assert reponse.status_code == 422
    assert "Alex Bernard accompagne encore « Collectif A de Montreynaud »" in reponse.content.decode().replace(
        "&#x27;", "'"
    ).replace("&laquo;", "«")
    assert _recharger(monde.alex).actif


def test_registre_adresse_en_double_refusee(monde):
    with pytest.raises(ValidationError) as erreur:
        accompagnateur_ajouter(
            acteur=monde.instructeur_42,
            departement=Departement.objects.get(code="42"),
            prenom="Autre",
            nom="Bernard",
            email="ALEX.BERNARD@exemple.fr",
        )
    assert erreur.value.message_dict == {"email": ["alex.bernard@exemple.fr est déjà au registre du département."]}


def test_registre_journalise_retrait_et_retour(monde, client):
    client.force_login(monde.national)
    client.post(reverse("instances:accompagnateur_retirer", args=[monde.tom.pk]))
    client.post(reverse("instances:accompagnateur_remettre", args=[monde.tom.pk]))
    lignes = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Accompagnateur), object_id=monde.tom.pk
    ).order_by("pk")
    assert [(ligne.transition, ligne.acteur) for ligne in lignes] == [
        ("retirer_du_registre", monde.national),
        ("remettre_au_registre", monde.national),
    ]


# --- Query counts -------------------------------------------------------------------------------------------------


def _requetes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


@pytest.mark.parametrize(
    ("nom", "grossir"),
    [
        (
            "membres",
            lambda m, n: [
                MembreInstanceFactory(instance=m.instance, rang_rotation=m.instance.membres.count() + 1, user=None)
                for _ in range(n)
            ],
        ),
        ("accompagnateurs", lambda m, n: AccompagnateurFactory.create_batch(n)),
    ],
)
def test_nombre_de_requetes_constant(nom, grossir, monde, client):
    client.force_login(monde.instructeur_42)
    url = (
        reverse("instances:membres", args=[monde.instance.pk])
        if nom == "membres"
        else reverse("instances:accompagnateurs", args=["42"])
    )
    client.get(url)  # warm the caches (content types, session)
    grossir(monde, 2)
    assert _requetes(client, url) == REQUETES[nom]
    grossir(monde, 20)
    assert _requetes(client, url) == REQUETES[nom]


# Pinned: session, user, instructeur check, instance, then the page's own reads (members with their accounts and
# pending invitations, presidency; the registry with its current assignments).
REQUETES = {"membres": 8, "accompagnateurs": 8}
