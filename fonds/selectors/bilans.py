"""Reads of the yearly check-ins (R11), scoped to a user: hidden check-ins give 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from collectifs.models import Collectif, Indicateur
from comptes.models import Acteur
from comptes.permissions import connecte
from fonds.enums import EtatBilan
from fonds.models import BilanAnnuel, Convention, ValeurIndicateur
from fonds.selectors.visibilite import conventions_visibles


def _bilans() -> QuerySet[BilanAnnuel]:
    return BilanAnnuel.objects.select_related(
        "convention",
        "convention__departement",
        "convention__declaration",
        "convention__declaration__collectif",
        "saisi_par",
        "depose_par",
        "valide_par",
        "retourne_par",
        "consentement",
        "consentement__saisi_par",
    )


def bilans_visibles(user: Acteur) -> QuerySet[BilanAnnuel]:
    """R11: the check-ins of the conventions a user reads (`conventions_visibles`), and those of the collectifs an
    accompagnateur follows (R10)."""
    if not connecte(user):
        return BilanAnnuel.objects.none()
    conventions = conventions_visibles(user).order_by().values("pk")
    accompagnes = Collectif.objects.filter(
        affectations__fin__isnull=True, affectations__accompagnateur__user=user
    ).values("pk")
    return _bilans().filter(Q(convention__in=conventions) | Q(convention__declaration__collectif__in=accompagnes))


def bilans_de_convention(convention: Convention) -> list[BilanAnnuel]:
    """R11: a convention's check-ins, year by year (one query)."""
    return list(_bilans().filter(convention=convention).order_by("rang"))


def bilans_en_retard(user: Acteur, jour: object) -> QuerySet[BilanAnnuel]:
    """R11: check-ins past their due date and not filed, in the départements the user instructs."""
    if not connecte(user):
        return BilanAnnuel.objects.none()
    return (
        _bilans()
        .filter(
            convention__departement__instructeurs__user=user,
            etat__in=(EtatBilan.ATTENDU, EtatBilan.A_COMPLETER),
            echeance__lt=jour,
        )
        .order_by("echeance", "pk")
    )


@dataclass(frozen=True)
class LigneIndicateur:
    """One of the collectif's indicators with the value this check-in gives it (None: not filled in yet)."""

    indicateur: Indicateur
    texte: str
    nombre: Decimal | None


def indicateurs_du_bilan(bilan: BilanAnnuel) -> list[LigneIndicateur]:
    """R11: the collectif's own indicators (those of its agreed declaration, qualitative first as it ordered them)
    with this check-in's values (two queries)."""
    declaration_id = bilan.convention.declaration_id
    if declaration_id is None:
        return []
    indicateurs = Indicateur.objects.filter(declaration_id=declaration_id).order_by("ordre", "pk")
    valeurs = {v.indicateur_id: v for v in ValeurIndicateur.objects.filter(bilan=bilan)}
    lignes = []
    for indicateur in indicateurs:
        valeur = valeurs.get(indicateur.pk)
        lignes.append(
            LigneIndicateur(
                indicateur=indicateur,
                texte=valeur.texte if valeur is not None else "",
                nombre=valeur.nombre if valeur is not None else None,
            )
        )
    return lignes
