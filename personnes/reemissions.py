"""How each type of issued document is rendered again for its object, registered in documents' registry
(documents.reemission) when the app is ready. The functions rebuild the title, template and context exactly as
the issuing modules do (same context builders), from the object's current data: after an anonymisation, that
data carries the pseudonym instead of the name (R20)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from collectifs.services.depot import contexte_recepisse
from documents.enums import TypeDocument
from documents.reemission import Rendu, reemetteur_enregistrer
from fonds.documents import TEMPLATE_ATTESTATION, TEMPLATE_CONVENTION, contexte_attestation, contexte_convention
from fonds.documents_mad import TEMPLATE_MISE_A_DISPOSITION, contexte_mise_a_disposition
from instances.selectors import resultat_de
from instances.tasks import contexte_seance
from mutualisation.documents_fiches import TEMPLATE_FICHE, contexte_fiche, titre_du_document
from mutualisation.tasks_syntheses import TEMPLATE_RAPPORT, TEMPLATE_SYNTHESE, contexte_rapport, contexte_synthese


def _recepisse(declaration: Any) -> Rendu:
    # The récépissé lists the members of the day it was filed (collectifs.services.depot).
    jour = timezone.localdate(declaration.deposee_le) if declaration.deposee_le else timezone.localdate()
    return Rendu(
        titre=f"Récépissé de déclaration — {declaration.collectif.nom}",
        template="documents/pdf/recepisse.html",
        contexte=contexte_recepisse(declaration, jour),
    )


def _demande_complements(demande: Any) -> Rendu:
    declaration = demande.declaration
    return Rendu(
        titre=f"Demande de compléments — {declaration.collectif.nom}",
        template="documents/pdf/demande_complements.html",
        contexte={"declaration": declaration, "collectif": declaration.collectif, "demande": demande},
    )


def _decision(point: Any) -> Rendu:
    contexte = contexte_seance(point.seance)
    return Rendu(
        titre=f"Décision — {point.declaration.collectif.nom}",
        template="documents/pdf/decision.html",
        contexte={**contexte, "point": point, "vote": resultat_de(point), "declaration": point.declaration},
    )


def _proces_verbal(seance: Any) -> Rendu:
    return Rendu(
        titre=f"Procès-verbal — {seance}", template="documents/pdf/proces_verbal.html", contexte=contexte_seance(seance)
    )


def _convention(convention: Any) -> Rendu:
    return Rendu(
        titre=f"Convention triannuelle de financement — {convention.beneficiaire}",
        template=TEMPLATE_CONVENTION,
        contexte=contexte_convention(convention),
    )


def _attestation(versement: Any) -> Rendu:
    tranche = versement.tranche
    return Rendu(
        titre=f"Attestation de versement — tranche {tranche.rang} — {tranche.convention.beneficiaire}",
        template=TEMPLATE_ATTESTATION,
        contexte=contexte_attestation(versement),
    )


def _mise_a_disposition(mise: Any) -> Rendu:
    return Rendu(
        titre=f"Convention de mise à disposition — {mise.membre.prenom} {mise.membre.nom} — {mise.collectif.nom}",
        template=TEMPLATE_MISE_A_DISPOSITION,
        contexte=contexte_mise_a_disposition(mise),
    )


def _fiche(fiche: Any) -> Rendu:
    return Rendu(titre=titre_du_document(fiche), template=TEMPLATE_FICHE, contexte=contexte_fiche(fiche))


def _synthese(synthese: Any) -> Rendu:
    return Rendu(
        titre=f"Synthèse départementale {synthese.annee} — {synthese.departement.nom}",
        template=TEMPLATE_SYNTHESE,
        contexte=contexte_synthese(synthese),
    )


def _rapport(rapport: Any) -> Rendu:
    return Rendu(
        titre=f"Rapport national de capitalisation {rapport.annee}",
        template=TEMPLATE_RAPPORT,
        contexte=contexte_rapport(rapport),
    )


def enregistrer() -> None:
    """Register every type that can name a person (the blank form names nobody)."""
    for type, fonction in (
        (TypeDocument.RECEPISSE, _recepisse),
        (TypeDocument.DEMANDE_COMPLEMENTS, _demande_complements),
        (TypeDocument.DECISION, _decision),
        (TypeDocument.PROCES_VERBAL, _proces_verbal),
        (TypeDocument.CONVENTION_FINANCEMENT, _convention),
        (TypeDocument.ATTESTATION_VERSEMENT, _attestation),
        (TypeDocument.CONVENTION_MISE_A_DISPOSITION, _mise_a_disposition),
        (TypeDocument.FICHE_PRATIQUE, _fiche),
        (TypeDocument.SYNTHESE_DEPARTEMENTALE, _synthese),
        (TypeDocument.RAPPORT_NATIONAL, _rapport),
    ):
        reemetteur_enregistrer(type, fonction)
