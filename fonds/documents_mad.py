"""What the Convention de mise à disposition says (SPEC §6, R9), issued by `fonds.tasks` once the employer has
acknowledged a secondment. The seconded person appears with their name, function and employer only: no e-mail,
no telephone (R20). Read back by whoever may read the secondment (`can_voir_mise_a_disposition`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from comptes.models import Acteur
from documents.enums import TypeDocument
from documents.models import Document
from documents.reemission import Rendu
from documents.selectors import documents_de
from fonds import permissions
from fonds.models import MiseADisposition

TEMPLATE_MISE_A_DISPOSITION = "documents/pdf/convention_mise_a_disposition.html"


def quotite_texte(mise: MiseADisposition) -> str:
    """A quotité as French readers write it: « 20 % », « 12,5 % »."""
    return f"{mise.quotite.normalize():f} %".replace(".", ",")


def contexte_mise_a_disposition(mise: MiseADisposition) -> dict[str, Any]:
    """R9: the parties (employer, collectif, seconded person), the quotité and period, the continuity-of-service
    plan, the convention of funding it lies in, and the employer's acknowledgement."""
    convention = mise.convention
    return {
        "mise": mise,
        "membre": mise.membre,
        "employeur": mise.employeur,
        "collectif": mise.collectif,
        "departement": mise.collectif.departement,
        "convention": convention,
        "quotite": quotite_texte(mise),
        "plafond": (
            f"{convention.campagne.plafond_mise_a_disposition.normalize():f} %".replace(".", ",")
            if convention.campagne is not None
            else None
        ),
        "paragraphes_plan": [p.strip() for p in mise.plan_continuite.split("\n") if p.strip()],
    }


def documents_visibles_de_la_mise(user: Acteur, mise: MiseADisposition) -> QuerySet[Document]:
    """The secondment's convention for whoever may read the secondment; none for anyone else."""
    if not permissions.can_voir_mise_a_disposition(user, mise):
        return Document.objects.none()
    return documents_de(mise, TypeDocument.CONVENTION_MISE_A_DISPOSITION)


def rendu_mise_a_disposition(mise: MiseADisposition) -> Rendu:
    """The Convention de mise à disposition of `mise`."""
    return Rendu(
        titre=f"Convention de mise à disposition — {mise.membre.prenom} {mise.membre.nom} — {mise.collectif.nom}",
        template=TEMPLATE_MISE_A_DISPOSITION,
        contexte=contexte_mise_a_disposition(mise),
    )
