"""Pinned query counts of the follow-up page (SPEC §9): the same with 3 and with 40 messages, whatever the
number of journal rows, requests for more and their PDFs, and with the decision once decided.

(The instruction list `collectifs:instruction` is pinned in test_views_requetes.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import (
    complements_demander,
    complements_repondre,
    declaration_declarer_recevable,
    message_envoyer,
)
from instances.enums import ChoixVote, CollegeInstance
from instances.models import Accompagnateur, AffectationAccompagnateur, InstanceDepartementale, MembreInstance
from journal.fsm import historique
from tests.collectifs.suivi import decider, instance_de_la_loire
from tests.comptes.factories import UserFactory
from tests.vues import Page, brouillon_pret, deposer

TAILLES = [3, 40]

# Every page, 12 queries: session, user, the declaration (collectif, département, campaign, charter), the
# référents (prefetched once for every permission check), the user's instructeur row, the documents of
# the file, the decided points, the journal (with actors), members, institutions, indicators, and the
# header's roles. Then, none of them depending on the number of rows:
# - to be completed: the pending request (+1); for the référents, the R1/R2 checks shown before answering
#   (+4: the campaign's other filings, members' colleges, current charter, institutions);
# - decided: the votes of the decided points, prefetched (+1);
# - the thread, for the référents and the département's instructeurs: the messages with their authors
#   (+1); the instructeur's départements are checked by the transitions offered, and for reading and for
#   writing the thread (+3 while to be completed; +1 once decided, when nothing is left to write or do).
# - whether the user follows the exchanges of the instruction (the requests for more, their PDFs and the
#   comments in the journal are not shown to the instance's members, SPEC §2): +1 for those who are neither
#   référent nor national staff (the département's instructeurs or the accompagnateur, or the member's check).
# - the plain timeline (instances.selectors_suivi): the requests for more, for those who follow the exchanges (+1,
#   which also gives the pending request when to be completed: then no more than before);
# - « Besoin d'aide ? », for the référents: the département's instance, then its instructeurs when the instance
#   gave no contact (+2).
REQUETES: dict[tuple[str, str], int | None] = {
    ("a_completer", "referent_a"): 20,
    ("a_completer", "instructeur_42"): 17,
    ("a_completer", "national"): 12,
    ("a_completer", "membre_instance"): None,  # on no agenda: hidden from the instance (404, SPEC §2)
    ("a_completer", "accompagnateur"): 14,
    ("agreee", "referent_a"): 17,
    ("agreee", "instructeur_42"): 16,
    ("agreee", "national"): 13,
    ("agreee", "membre_instance"): 14,
    ("agreee", "accompagnateur"): 15,
}


def _cycles(nombre: int) -> int:
    """Requests for more answered before the current state: more journal rows and PDFs with more messages."""
    return 1 if nombre < 10 else 5


def _messages(declaration: Declaration, referent: Any, instructeur: Any, nombre: int) -> None:
    """`nombre` messages, every third one starting a conversation, the others answering it."""
    racine = None
    for rang in range(nombre):
        auteur = referent if rang % 2 == 0 else instructeur
        message = message_envoyer(
            acteur=auteur,
            declaration=declaration,
            texte=f"Message numéro {rang:02d}",
            parent=None if rang % 3 == 0 else racine,
        )
        if rang % 3 == 0:
            racine = message


def _dossier(distribution: Any, scenario: str, nombre: int) -> Declaration:
    instructeur, referent = distribution.instructeur_42, distribution.referent_a
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    for rang in range(_cycles(nombre)):
        complements_demander(acteur=instructeur, declaration=declaration, message=f"Demande numéro {rang}")
        complements_repondre(acteur=referent, declaration=declaration, reponse=f"Réponse numéro {rang}")
    _messages(declaration, referent, instructeur, nombre)
    if scenario == "a_completer":
        complements_demander(acteur=instructeur, declaration=declaration, message="La dernière demande")
        return Declaration.objects.get(pk=declaration.pk)
    declaration = declaration_declarer_recevable(acteur=instructeur, declaration=declaration)
    instance, votants, _ = instance_de_la_loire()
    declaration, _, _ = decider(declaration, instance, votants, instructeur, [ChoixVote.POUR] * 3)
    assert declaration.etat == EtatDeclaration.AGREEE
    return declaration


def _utilisateur(distribution: Any, role: str) -> Any:
    """The user of `role`; the instance member and the accompagnateur are made here (of collectif A)."""
    if role == "membre_instance":
        instance, _ = InstanceDepartementale.objects.get_or_create(
            departement_id="42", defaults={"nom": "Instance départementale de la Loire"}
        )
        user = UserFactory(email="membre.suppleante@exemple.fr")
        MembreInstance.objects.create(
            instance=instance,
            user=user,
            prenom="Lise",
            nom="Perrin",
            institution="MSA Ardèche Drôme Loire",
            college=CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
            rang_rotation=99,
        )
        return user
    if role == "accompagnateur":
        user = UserFactory(email="accompagnatrice@exemple.fr")
        accompagnateur = Accompagnateur.objects.create(departement_id="42", user=user, prenom="Nadia", nom="Berger")
        AffectationAccompagnateur.objects.create(
            collectif=distribution.collectif_a, accompagnateur=accompagnateur, affecte_par=distribution.instructeur_42
        )
        return user
    return distribution.utilisateur(role)


@pytest.mark.parametrize("role", sorted({r for _, r in REQUETES}))
@pytest.mark.parametrize("scenario", ["a_completer", "agreee"])
@pytest.mark.parametrize("nombre", TAILLES)
def test_page_de_suivi(nombre, scenario, role, distribution, client, django_assert_num_queries):
    declaration = _dossier(distribution, scenario, nombre)
    client.force_login(_utilisateur(distribution, role))
    url = reverse("instances:declaration_detail", args=[declaration.pk])
    requetes = REQUETES[(scenario, role)]
    if requetes is None:
        assert client.get(url).status_code == 404
        return
    client.get(url)  # warms the per-process caches (content types) so that the count does not depend on order

    with django_assert_num_queries(requetes):
        reponse = client.get(url)

    assert reponse.status_code == 200
    page = Page(reponse)
    journal = historique(declaration).count()
    assert len(page.tous('section[aria-labelledby="titre-suivi"] > ol > li')) == journal + 1
    documents = page.tous('section[aria-labelledby="titre-documents"] li')
    # The récépissé, each request for more, and the last request (to be completed) or the decision; the
    # instance's members do not see the requests for more (SPEC §2).
    assert len(documents) == (2 if role == "membre_instance" else 2 + _cycles(nombre))
    articles = page.tous("#messages article")
    if role in ("referent_a", "instructeur_42"):
        assert len(articles) == nombre
        assert f"Message numéro {nombre - 1:02d}" in Page.texte(page.un("#messages"))
        # Every third message starts a conversation; the others are nested under it.
        assert len(page.tous("#messages > ol > li")) == len(range(0, nombre, 3))
    else:
        assert articles == []
    if scenario == "agreee":
        assert "3 pour, 0 contre, 0 abstention(s)" in Page.texte(page.un("#decision"))
