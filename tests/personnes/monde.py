"""The world of the personal-data tests: on top of the séance world (tests/instances/factories_seances.py),
référente A is « Odile Lefèvre », a member of collectif A with her e-mail, a member of the Loire's instance who
voted, and the author of a message; collectif A also lists « Théo Dupré » and « Maëlle Girard », members without an
account. Collectif A's declaration is filed (récépissé naming them), decided (decision and minutes naming Odile),
then withdrawn with a reason naming Théo (journal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from collectifs.enums import College, ModeConsentement
from collectifs.models import Consentement, Declaration, Membre, cle_personne
from collectifs.services.depot import declaration_retirer
from collectifs.services.instruction import message_envoyer
from instances.enums import CollegeInstance
from instances.services import point_statuer, seance_clore
from tests.instances.factories_seances import (
    MembreInstanceFactory,
    MondeSeances,
    construire_monde_seances,
    emettre_documents,
    en_seance,
    votes,
)

ODILE = ("Odile", "Lefèvre")
THEO = ("Théo", "Dupré")
MAELLE = ("Maëlle", "Girard")


@dataclass
class MondePersonnes:
    seances: MondeSeances
    odile: Any
    odile_membre: Membre
    theo: Membre
    maelle: Membre
    declaration: Declaration


def _membre(collectif: Any, prenom: str, nom: str, **extra: Any) -> Membre:
    return Membre.objects.create(
        collectif=collectif,
        college=College.HABITANT,
        prenom=prenom,
        nom=nom,
        cle=cle_personne(prenom, nom),
        consentement=True,
        **extra,
    )


def construire(distribution: Any) -> MondePersonnes:
    odile = distribution.referent_a
    odile.prenom, odile.nom = ODILE
    odile.save(update_fields=["prenom", "nom"])
    collectif = distribution.collectif_a
    odile_membre = _membre(collectif, *ODILE, email=odile.email, fonction="Habitante")
    theo = _membre(collectif, *THEO, telephone="06 12 34 56 78")
    maelle = _membre(collectif, *MAELLE)
    m = construire_monde_seances(distribution)
    m.membres["Odile"] = MembreInstanceFactory(
        instance=m.instance,
        user=odile,
        prenom=ODILE[0],
        nom=ODILE[1],
        institution="Amicale des habitants",
        college=CollegeInstance.HABITANTS_USAGERS,
        votant=True,
        rang_rotation=len(m.membres) + 1,
    )
    en_seance(m)
    votes(m, {"Hélène": "pour", "Jean": "pour", "Nadia": "pour", "Paul": "pour", "Odile": "pour"})
    point_statuer(acteur=m.instructeur_42, point=m.point)
    seance_clore(acteur=m.instructeur_42, seance=m.seance)
    emettre_documents(m.seance)
    m.recharger()
    declaration = m.declaration_a
    message_envoyer(acteur=odile, declaration=declaration, texte="Bonjour, Théo Dupré viendra avec moi à la séance.")
    Consentement.objects.create(
        collectif=collectif,
        membre=theo,
        pour_le_compte_de="Théo Dupré",
        mode=ModeConsentement.ORAL,
        recueilli_le=timezone.localdate(),
        saisi_par=odile,
    )
    declaration = declaration_retirer(
        acteur=odile, declaration=Declaration.objects.get(pk=declaration.pk), motif="Départ de DUPRE Theo du quartier."
    )
    return MondePersonnes(
        seances=m, odile=odile, odile_membre=odile_membre, theo=theo, maelle=maelle, declaration=declaration
    )
