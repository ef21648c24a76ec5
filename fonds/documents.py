"""What the fund's two documents say (SPEC §6, R7, R8): the Convention triannuelle de financement, issued when the
convention is signed, and the Attestation de versement, issued with each payment. Both are issued by the jobs of
`fonds.tasks`; this module gathers their content and reads them back.

A document is attached to its object by the generic relation of `documents.models.Document`: the convention to
its Convention, an attestation to its Versement. Both are read by whoever may read the convention
(`fonds.permissions.can_voir_convention`: the département's instructeurs, national staff, the collectif's
référents), through `documents_visibles_de_la_convention`, and on the declaration's file of a collectif
(`instances.selectors.documents_visibles_de_la_declaration`, through `documents_des_conventions`).

Amounts are formatted here in French (« 10 000,00 € »), so the PDFs do not depend on the locale settings. Members
appear with their name, college, function and organisation only: no e-mail, no telephone (R20).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from collectifs.enums import College
from collectifs.selectors import membres_actuels
from comptes.models import Acteur
from documents.enums import TypeDocument
from documents.models import Document
from documents.reemission import Rendu
from fonds import permissions
from fonds.enums import EtatTranche, GestionFonds
from fonds.models import Convention, Tranche, Versement
from fonds.selectors.parts import Part, parts_de_la_convention, parts_de_la_tranche
from fonds.services.grand_livre import euros

TEMPLATE_CONVENTION = "documents/pdf/convention_financement.html"
TEMPLATE_ATTESTATION = "documents/pdf/attestation_versement.html"


@dataclass(frozen=True)
class LigneTranche:
    """One tranche as a document shows it."""

    rang: int
    annee: int
    montant: str
    etat: str
    versee_le: date | None = None


@dataclass(frozen=True)
class LignePart:
    """One funder's share as a document shows it."""

    financeur: str
    nature: str
    montant: str
    pourcentage: str


def _pourcentage(part: Decimal, total: Decimal) -> str:
    """A share of a total, in French with one decimal (« 33,3 % »)."""
    if not total:
        return "—"
    return f"{(part * 100 / total):.1f} %".replace(".", ",")


def _lignes_parts(parts: list[Part], total: Decimal) -> list[LignePart]:
    """R8: a share with no funder is money of a year not yet covered by a contribution (a projected year)."""
    return [
        LignePart(
            financeur=part.financeur.nom if part.financeur is not None else "Part non encore abondée",
            nature=(part.financeur.get_nature_display() if part.financeur is not None else "—")
            + (" (apport fléché vers le département)" if part.fleche else ""),
            montant=euros(part.montant),
            pourcentage=_pourcentage(part.montant, total),
        )
        for part in parts
    ]


def _lignes_tranches(tranches: list[Tranche]) -> list[LigneTranche]:
    return [
        LigneTranche(
            rang=t.rang,
            annee=t.annee,
            montant=euros(t.montant),
            etat=t.get_etat_display(),
            versee_le=getattr(getattr(t, "versement", None), "date_versement", None),
        )
        for t in tranches
    ]


def gestionnaire_du_fonds(convention: Convention) -> str:
    """Who manages the fund the convention is charged to (R8)."""
    fonds = convention.fonds
    if fonds.gestion == GestionFonds.DEPARTEMENTALE and fonds.departement is not None:
        return f"Gestion départementale : {fonds.departement}"
    return "Gestion nationale"


def _contexte_commun(convention: Convention, tranches: list[Tranche]) -> dict[str, Any]:
    """The parties and the tranches, shared by both documents."""
    total = sum((t.montant for t in tranches if t.etat != EtatTranche.ANNULEE), Decimal("0"))
    declaration = convention.declaration
    return {
        "convention": convention,
        "fonds": convention.fonds,
        "gestionnaire": gestionnaire_du_fonds(convention),
        "departement": convention.departement,
        "nature": convention.get_nature_beneficiaire_display(),
        "est_collectif": convention.est_collectif,
        "collectif": declaration.collectif if declaration is not None else None,
        "campagne": convention.campagne,
        "tranches": _lignes_tranches(tranches),
        "total": euros(total),
        "total_decimal": total,
    }


def _tranches(convention: Convention) -> list[Tranche]:
    return list(convention.tranches.select_related("versement").order_by("rang"))


def contexte_convention(convention: Convention) -> dict[str, Any]:
    """R7, R8: the parties, the beneficiary (and, for a collectif, its members by college at the signature date and
    its originating institutions), the object and period, the three tranches and their total, the conditions of
    release, the funders' shares, the signature date and signatories."""
    tranches = _tranches(convention)
    contexte = _contexte_commun(convention, tranches)
    collectif = contexte["collectif"]
    colleges: list[dict[str, Any]] = []
    institutions: list[Any] = []
    if collectif is not None:
        membres = list(
            membres_actuels(collectif, convention.signee_le).select_related("organisation").order_by("nom", "prenom")
        )
        colleges = [
            {"libelle": libelle, "membres": [m for m in membres if m.college == valeur]}
            for valeur, libelle in College.choices
        ]
        institutions = list(collectif.institutions_origine.order_by("nom", "pk"))
    parts = parts_de_la_convention(convention)
    return {
        **contexte,
        "colleges": colleges,
        "institutions": institutions,
        "parts": _lignes_parts(parts, contexte["total_decimal"]),
        "total_parts": euros(sum((p.montant for p in parts), Decimal("0"))),
    }


def contexte_attestation(versement: Versement) -> dict[str, Any]:
    """R7, R8: the beneficiary, the convention, the tranche paid (rank, year, amount, date, bank reference), the
    tranches still to pay, and the funders' shares of this payment (those of its tranche, paid once and in full,
    from `fonds.selectors.parts.parts_de_la_tranche`)."""
    tranche = versement.tranche
    convention = tranche.convention
    tranches = _tranches(convention)
    contexte = _contexte_commun(convention, tranches)
    restantes = [t for t in tranches if t.etat in (EtatTranche.PREVUE, EtatTranche.EXIGIBLE, EtatTranche.SUSPENDUE)]
    versees = [t for t in tranches if t.etat == EtatTranche.VERSEE]
    parts = parts_de_la_tranche(tranche)
    return {
        **contexte,
        "versement": versement,
        "tranche": tranche,
        "montant": euros(versement.montant),
        "restantes": _lignes_tranches(restantes),
        "total_restant": euros(sum((t.montant for t in restantes), Decimal("0"))),
        "total_verse": euros(sum((t.montant for t in versees), Decimal("0"))),
        "parts": _lignes_parts(parts, versement.montant),
        "total_parts": euros(sum((p.montant for p in parts), Decimal("0"))),
    }


# --- Reading them back -----------------------------------------------------------------------------------------


def documents_des_conventions(conventions: QuerySet[Convention]) -> QuerySet[Document]:
    """The documents of these conventions, oldest first: each signed convention (objet: the Convention) and the
    attestation of each payment (objet: the Versement). One query, the conventions as a subquery, so that a caller
    can add them to another set of documents without a query more."""
    ids = conventions.order_by().values("pk")
    return Document.objects.filter(
        Q(
            type=TypeDocument.CONVENTION_FINANCEMENT,
            content_type__app_label=Convention._meta.app_label,
            content_type__model=Convention._meta.model_name,
            object_id__in=ids,
        )
        | Q(
            type=TypeDocument.ATTESTATION_VERSEMENT,
            content_type__app_label=Versement._meta.app_label,
            content_type__model=Versement._meta.model_name,
            object_id__in=Versement.objects.filter(tranche__convention__in=ids).values("pk"),
        )
    ).order_by("emis_le", "pk")


def documents_de_la_convention(convention: Convention) -> QuerySet[Document]:
    """The documents of one convention, oldest first (see `documents_des_conventions`)."""
    return documents_des_conventions(Convention.objects.filter(pk=convention.pk))


def documents_visibles_de_la_convention(user: Acteur, convention: Convention) -> QuerySet[Document]:
    """The convention's documents for whoever may read the convention (`can_voir_convention`: the département's
    instructeurs, national staff, the collectif's référents); none for anyone else. A view serves one by its
    number with `documents.views.reponse_pdf`, 404 when it is not in this set."""
    if not permissions.can_voir_convention(user, convention):
        return Document.objects.none()
    return documents_de_la_convention(convention)


def rendu_convention(convention: Convention) -> Rendu:
    """The Convention triannuelle de financement of `convention`."""
    return Rendu(
        titre=f"Convention triannuelle de financement — {convention.beneficiaire}",
        template=TEMPLATE_CONVENTION,
        contexte=contexte_convention(convention),
    )


def rendu_attestation(versement: Versement) -> Rendu:
    """The Attestation de versement of `versement`."""
    tranche = versement.tranche
    return Rendu(
        titre=f"Attestation de versement — tranche {tranche.rang} — {tranche.convention.beneficiaire}",
        template=TEMPLATE_ATTESTATION,
        contexte=contexte_attestation(versement),
    )
