"""Exports of the fund (SPEC §7): the open-data SCDL « subventions » 2.1.1 file, and the staff's CSV and XLSX of
conventions, tranches, payments and ledger lines. The formats themselves (CSV for spreadsheets, XLSX, formula
neutralisation) are `core.exports`'; this module says what goes in them and who sees which rows.

**SCDL « subventions » 2.1.1** (`lignes_scdl`), the schema shipped in `fonds/schemas/`:

- **One row per convention** (not one per funder's share): the grant decided is the convention, its amount is
  the sum of its tranches, and the funders' shares are an internal matter of the fund (R8).
- Only **signed** conventions are published (`dateConvention` is the signature date), never cancelled ones.
- `nomAttribuant` / `idAttribuant`: the fund's manager, from the settings `FONDS_ATTRIBUANT_NOM` and
  `FONDS_ATTRIBUANT_SIRET` (a valid SIRET, checked before anything is written).
- `referenceDecision`: the convention's number (FDS-42-2027-00012); `datesPeriodeVersement`: its period
  `début/fin`; `conditionsVersement`: « échelonné » (several tranches) or « unique »; `nature`: « aide en
  numéraire »; `idRAE` and `dispositifAide`: empty.
- `idBeneficiaire`: the beneficiary's SIRET when it is a valid one (python-stdnum); `rnaBeneficiaire`: its RNA
  number when it is `W` + 9 digits. A convention with neither cannot be published (the schema asks for one of
  the two): it is left out of the file and listed for staff on the exports page (`conventions_hors_scdl`).
- `notificationUE`: « oui » only when a funder of nature « Union européenne » has a share of the convention
  (`fonds.selectors.parts`), else « non ».
- `pourcentageSubvention`: the convention's share of the project's cost; the cost of a project is not recorded,
  so it is `1.00` (the convention funds its single beneficiary).
- Public open data: no personal data (no member nor signatory names); the beneficiary's name and the object are
  the convention's, with spreadsheet formulas neutralised. Comma-separated, UTF-8 without byte-order mark, ISO
  dates, decimal point.

**Staff exports** (`JEUX`): conventions, tranches and payments are those the user may read
(`fonds.selectors.visibilite`), the ledger lines those of `ecritures_visibles` (national staff all, instructeurs
their départements'). Every export runs a fixed number of queries and is iterated in chunks (streamed for CSV).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from stdnum.fr import siret

from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale, est_instructeur
from core.exports import Cellule, neutraliser
from fonds.enums import EtatConvention, EtatTranche, NatureFinanceur
from fonds.models import Abondement, Convention, EcritureFonds, Tranche, Versement
from fonds.selectors.api import ecritures_visibles
from fonds.selectors.parts import parts_des_tranches
from fonds.selectors.visibilite import conventions_visibles, tranches_visibles, versements_visibles

ZERO = Decimal("0")
MONTANT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
PAR_LOT = 500

# SPEC §7: the columns of the SCDL « subventions » 2.1.1 file, in this order.
COLONNES_SCDL = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)
NATURE_SCDL = "aide en numéraire"
LONGUEUR_MAX_SCDL = 256
RNA = re.compile(r"W\d{9}")


def can_exporter(user: Acteur) -> bool:
    """SPEC §7: the fund's exports (SCDL and staff files) are for national staff (every département) and
    instructeurs (their départements). Référents, funders and anonymous visitors get none."""
    return est_equipe_nationale(user) or est_instructeur(user)


# --- SCDL « subventions » ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribuant:
    """The grant-giver of the SCDL file: the fund's manager."""

    nom: str
    siret: str


def attribuant() -> Attribuant:
    """The settings' grant-giver, checked: a name and a valid SIRET, or ImproperlyConfigured."""
    nom = settings.FONDS_ATTRIBUANT_NOM.strip()
    numero = siret.compact(settings.FONDS_ATTRIBUANT_SIRET or "")
    if not nom:
        raise ImproperlyConfigured("FONDS_ATTRIBUANT_NOM : indiquez le nom officiel du gestionnaire du fonds.")
    if not siret.is_valid(numero):
        raise ImproperlyConfigured(
            f"FONDS_ATTRIBUANT_SIRET : « {settings.FONDS_ATTRIBUANT_SIRET} » n'est pas un SIRET valide "
            "(14 chiffres, clé de contrôle)."
        )
    return Attribuant(nom=nom, siret=numero)


def siret_publiable(valeur: str) -> str:
    """The SIRET, without spaces, when it is a valid one; else empty."""
    numero = siret.compact(valeur or "")
    return numero if siret.is_valid(numero) else ""


def rna_publiable(valeur: str) -> str:
    """The RNA number when it is `W` followed by 9 digits (SCDL pattern); else empty."""
    numero = (valeur or "").strip().upper()
    return numero if RNA.fullmatch(numero) else ""


def _somme_des_tranches() -> Coalesce:
    """The amount of a convention: its non-cancelled tranches, as a subquery (no join multiplies the rows)."""
    tranches = (
        Tranche.objects.filter(convention=OuterRef("pk"))
        .exclude(etat=EtatTranche.ANNULEE)
        .order_by()
        .values("convention")
        .annotate(total=Sum("montant"))
        .values("total")
    )
    return Coalesce(Subquery(tranches, output_field=MONTANT), Value(ZERO), output_field=MONTANT)


def conventions_scdl(user: Acteur) -> QuerySet[Convention]:
    """SPEC §7: the signed, non-cancelled conventions the user may publish (national staff: all; instructeurs:
    their départements'), with their amount and number of tranches, in one query."""
    # R12: a non-compliant or suspended convention is still a subsidy granted.
    qs = Convention.objects.exclude(etat=EtatConvention.ANNULEE).filter(signee_le__isnull=False)
    if not est_equipe_nationale(user):
        qs = qs.filter(departement__instructeurs__user=user) if est_instructeur(user) else qs.none()
    nombre = (
        Tranche.objects.filter(convention=OuterRef("pk"))
        .exclude(etat=EtatTranche.ANNULEE)
        .order_by()
        .values("convention")
        .annotate(nombre=Count("pk"))
        .values("nombre")
    )
    return qs.annotate(
        montant=_somme_des_tranches(),
        nombre_tranches=Coalesce(Subquery(nombre, output_field=IntegerField()), Value(0)),
    ).order_by("departement_id", "signee_le", "pk")


def publiable(convention: Convention) -> bool:
    """The schema's « one of idBeneficiaire or rnaBeneficiaire »: a valid SIRET or RNA number."""
    return bool(siret_publiable(convention.siret_beneficiaire) or rna_publiable(convention.rna_beneficiaire))


def conventions_hors_scdl(user: Acteur) -> list[Convention]:
    """The signed conventions left out of the SCDL file because their beneficiary has neither a valid SIRET nor a
    valid RNA number: staff complete them (one query)."""
    qs = conventions_scdl(user).select_related("departement")
    return [convention for convention in qs.iterator(chunk_size=PAR_LOT) if not publiable(convention)]


def conventions_financees_par_l_ue(conventions: QuerySet[Convention]) -> set[int]:
    """R8: the conventions of which a funder of nature « Union européenne » has a share, for `notificationUE`.
    One query when no European funder contributed to their funds, five otherwise, whatever the number of rows."""
    fonds_ue = set(
        Abondement.objects.filter(
            financeur__nature=NatureFinanceur.UNION_EUROPEENNE, fonds__in=conventions.values("fonds")
        ).values_list("fonds_id", flat=True)
    )
    if not fonds_ue:
        return set()
    tranches_ue = {
        pk
        for pk, parts in parts_des_tranches(fonds_ue).items()
        if any(p.financeur is not None and p.financeur.nature == NatureFinanceur.UNION_EUROPEENNE for p in parts)
    }
    if not tranches_ue:
        return set()
    tranches = Tranche.objects.filter(convention__fonds_id__in=fonds_ue).values_list("pk", "convention_id")
    return {convention for pk, convention in tranches.iterator(chunk_size=PAR_LOT * 4) if pk in tranches_ue}


def _texte_scdl(texte: str) -> str:
    return neutraliser(" ".join(texte.split()))[:LONGUEUR_MAX_SCDL]


def ligne_scdl(convention: Convention, donneur: Attribuant, ue: bool) -> list[str]:
    """One SCDL row (SPEC §7 column order). The convention carries the `montant` and `nombre_tranches`
    annotations of `conventions_scdl`."""
    assert convention.signee_le is not None
    montant: Decimal = convention.montant  # type: ignore[attr-defined]
    return [
        donneur.nom,
        donneur.siret,
        convention.signee_le.isoformat(),
        convention.reference,
        _texte_scdl(convention.beneficiaire),
        siret_publiable(convention.siret_beneficiaire),
        rna_publiable(convention.rna_beneficiaire),
        _texte_scdl(convention.objet),
        f"{montant:.2f}",
        NATURE_SCDL,
        "échelonné" if convention.nombre_tranches > 1 else "unique",  # type: ignore[attr-defined]
        f"{convention.date_debut.isoformat()}/{convention.date_fin.isoformat()}",
        "",
        "oui" if ue else "non",
        "1.00",
        "",
    ]


def lignes_scdl(user: Acteur, donneur: Attribuant) -> Iterator[list[str]]:
    """The rows of the SCDL file, in chunks: the publishable conventions the user may export."""
    conventions = conventions_scdl(user)
    ue = conventions_financees_par_l_ue(conventions)
    for convention in conventions.iterator(chunk_size=PAR_LOT):
        if publiable(convention):
            yield ligne_scdl(convention, donneur, convention.pk in ue)


def texte_scdl(valeur: Cellule) -> str:
    """SCDL cells are written as they come (already formatted above)."""
    return "" if valeur is None else str(valeur)


# --- Staff exports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jeu:
    """One staff export: its title (the XLSX sheet's), its columns, and its rows for a user."""

    titre: str
    entetes: tuple[str, ...]
    lignes: Callable[[Acteur], Iterator[Sequence[Cellule]]]


def _lignes_conventions(user: Acteur) -> Iterator[Sequence[Cellule]]:
    versees = (
        Versement.objects.filter(tranche__convention=OuterRef("pk"))
        .order_by()
        .values("tranche__convention")
        .annotate(total=Sum("montant"))
        .values("total")
    )
    conventions = (
        conventions_visibles(user)
        .annotate(
            montant=_somme_des_tranches(),
            verse=Coalesce(Subquery(versees, output_field=MONTANT), Value(ZERO), output_field=MONTANT),
        )
        .order_by("departement_id", "date_debut", "pk")
    )
    for c in conventions.iterator(chunk_size=PAR_LOT):
        yield (
            c.reference,
            c.departement_id,
            c.departement.nom,
            c.get_nature_beneficiaire_display(),
            c.beneficiaire,
            c.siret_beneficiaire,
            c.rna_beneficiaire,
            c.objet,
            c.campagne.annee if c.campagne is not None else None,
            c.date_debut,
            c.date_fin,
            c.get_etat_display(),
            c.signee_le,
            c.signataire_beneficiaire,
            c.signataire_departement,
            c.montant,  # type: ignore[attr-defined]
            c.verse,  # type: ignore[attr-defined]
            c.annulee_le,
            c.motifs_annulation,
        )


def _lignes_tranches(user: Acteur) -> Iterator[Sequence[Cellule]]:
    tranches = (
        tranches_visibles(user)
        .select_related("convention__departement", "versement")
        .order_by("convention__departement_id", "convention__date_debut", "convention_id", "rang")
    )
    for t in tranches.iterator(chunk_size=PAR_LOT):
        versement = getattr(t, "versement", None)
        yield (
            t.convention.reference,
            t.convention.departement_id,
            t.convention.beneficiaire,
            t.rang,
            t.annee,
            t.montant,
            t.get_etat_display(),
            versement.date_versement if versement is not None else None,
            versement.montant if versement is not None else None,
            versement.reference_bancaire if versement is not None else None,
        )


def _lignes_versements(user: Acteur) -> Iterator[Sequence[Cellule]]:
    versements = versements_visibles(user).order_by("date_versement", "pk")
    for v in versements.iterator(chunk_size=PAR_LOT):
        convention = v.tranche.convention
        yield (
            v.date_versement,
            convention.reference,
            convention.departement_id,
            convention.beneficiaire,
            v.tranche.rang,
            v.tranche.annee,
            v.montant,
            v.reference_bancaire,
            v.enregistre_le,
        )


def _lignes_ecritures(user: Acteur) -> Iterator[Sequence[Cellule]]:
    ecritures = (
        ecritures_visibles(user)
        .select_related("fonds", "departement", "campagne", "convention", "tranche")
        .order_by("ecrite_le", "pk")
    )
    e: EcritureFonds
    for e in ecritures.iterator(chunk_size=PAR_LOT):
        yield (
            e.ecrite_le,
            str(e.mouvement),
            e.get_compte_display(),
            e.fonds.nom,
            e.annee,
            e.departement_id,
            e.financeur.nom if e.financeur is not None else None,
            f"{e.campagne.annee} ({e.campagne.departement_id})" if e.campagne is not None else None,
            e.convention.reference if e.convention is not None else None,
            e.tranche.rang if e.tranche is not None else None,
            e.montant,
            e.libelle,
            str(e.extourne_de) if e.extourne_de is not None else None,
            str(e.acteur) if e.acteur is not None else None,
        )


JEUX: dict[str, Jeu] = {
    "conventions": Jeu(
        titre="Conventions",
        entetes=(
            "Référence",
            "Département",
            "Nom du département",
            "Nature du bénéficiaire",
            "Bénéficiaire",
            "SIRET",
            "RNA",
            "Objet",
            "Campagne",
            "Début",
            "Fin",
            "État",
            "Signée le",
            "Signataire pour le bénéficiaire",
            "Signataire pour le département",
            "Montant (€)",
            "Versé (€)",
            "Annulée le",
            "Motifs de l'annulation",
        ),
        lignes=_lignes_conventions,
    ),
    "tranches": Jeu(
        titre="Tranches",
        entetes=(
            "Convention",
            "Département",
            "Bénéficiaire",
            "Tranche",
            "Année",
            "Montant (€)",
            "État",
            "Versée le",
            "Montant versé (€)",
            "Référence bancaire",
        ),
        lignes=_lignes_tranches,
    ),
    "versements": Jeu(
        titre="Versements",
        entetes=(
            "Date du versement",
            "Convention",
            "Département",
            "Bénéficiaire",
            "Tranche",
            "Année de la tranche",
            "Montant (€)",
            "Référence bancaire",
            "Enregistré le",
        ),
        lignes=_lignes_versements,
    ),
    "ecritures": Jeu(
        titre="Grand livre",
        entetes=(
            "Écrite le",
            "Mouvement",
            "Compte",
            "Fonds",
            "Année budgétaire",
            "Département",
            "Financeur",
            "Campagne",
            "Convention",
            "Tranche",
            "Montant (€)",
            "Libellé",
            "Extourne de",
            "Acteur",
        ),
        lignes=_lignes_ecritures,
    ),
}
