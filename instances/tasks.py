"""Background jobs of the instances app: the séance's documents and the collectifs' notifications."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import task

from collectifs.models import Declaration
from collectifs.selectors import referents_emails
from collectifs.tasks import url_declaration
from core.emails import courriel_envoyer
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_emettre
from instances.models import PointOrdreDuJour, Seance
from instances.selectors import places_restantes, points_de, quorum_de, resultat_de


def contexte_seance(seance: Seance) -> dict[str, Any]:
    """What the minutes show: attendance, quorum, president, and each decision with its vote."""
    points = [{"point": p, "vote": resultat_de(p)} for p in points_de(seance)]
    return {
        "seance": seance,
        "instance": seance.instance,
        "convoques": list(seance.convoques.order_by("rang_rotation")),
        "presents": list(seance.presents.order_by("rang_rotation")),
        "quorum": quorum_de(seance),
        "points": points,
        "places_restantes": places_restantes(seance.campagne),
    }


@task()
def emettre_documents_seance(seance_id: int) -> list[str]:
    """R5: issue the minutes (procès-verbal) and one decision per declaration, then notify each collectif.
    Idempotent: documents already issued for the séance are not issued twice."""
    seance = Seance.objects.select_related("instance__departement", "campagne", "president").get(pk=seance_id)
    numeros: list[str] = []
    contexte = contexte_seance(seance)
    with transaction.atomic():
        for ligne in contexte["points"]:
            point = ligne["point"]
            # A declaration withdrawn while on the agenda stays undecided: no decision to issue.
            if not point.resultat or documents_de(point, TypeDocument.DECISION).exists():
                continue
            document = document_emettre(
                acteur=None,
                type=TypeDocument.DECISION,
                departement=seance.instance.departement_id,
                annee=seance.campagne.annee,
                titre=f"Décision — {point.declaration.collectif.nom}",
                template="documents/pdf/decision.html",
                contexte={**contexte, "point": point, "vote": ligne["vote"], "declaration": point.declaration},
                objet=point,
            )
            numeros.append(document.numero)
            transaction.on_commit(partial(notifier_decision.enqueue, point.pk))
        if not documents_de(seance, TypeDocument.PROCES_VERBAL).exists():
            document = document_emettre(
                acteur=None,
                type=TypeDocument.PROCES_VERBAL,
                departement=seance.instance.departement_id,
                annee=seance.campagne.annee,
                titre=f"Procès-verbal — {seance}",
                template="documents/pdf/proces_verbal.html",
                contexte=contexte,
                objet=seance,
            )
            numeros.append(document.numero)
    return numeros


@task()
def notifier_decision(point_id: int) -> int:
    """Tell the collectif what the instance decided, with a link to the decision."""
    point = PointOrdreDuJour.objects.select_related("declaration__collectif", "seance").get(pk=point_id)
    declaration = point.declaration
    return courriel_envoyer(
        f"Décision de l'instance départementale : {declaration.collectif.nom}",
        "instances/emails/decision.txt",
        {"point": point, "declaration": declaration, "url": url_declaration(declaration.pk)},
        referents_emails(declaration.collectif),
    )


@task()
def notifier_promotion(declaration_id: int) -> int:
    """R5: tell a waitlisted collectif that a place freed up and its declaration is back on the agenda."""
    declaration = Declaration.objects.select_related("collectif").get(pk=declaration_id)
    return courriel_envoyer(
        f"Une place s'est libérée : {declaration.collectif.nom}",
        "instances/emails/promotion.txt",
        {"declaration": declaration, "url": url_declaration(declaration.pk)},
        referents_emails(declaration.collectif),
    )
