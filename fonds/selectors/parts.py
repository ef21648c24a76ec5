"""R8: what each funder's money financed. A funder's share of a tranche is computed from the ledger and the
contributions, never stored (ADR 0005):

- a département's envelope for a year is funded first by the money earmarked for it (what the distributions took
  from the earmarked pool), then by the unearmarked pool;
- the tranches charged to that envelope consume it in the order they were committed (tranche creation order):
  the first ones take the earmarked money, the rest comes from the unearmarked pool;
- the earmarked part of a tranche is split between the funders who earmarked money for that département and year,
  pro rata of their earmarked contributions; the unearmarked part between the funders of the unearmarked pool of
  that year, pro rata of their unearmarked contributions;
- each split is rounded to the cent by the largest-remainder method (ties: funder name, then id), so the shares of
  a tranche add up exactly to its amount, and those of a convention to the convention's amount. When a year has no
  unearmarked contribution yet (a projected year), that part is shown as « non encore abondée » (financeur None).

Cancelled tranches finance nothing. Computed for a whole fund in three queries, whatever its size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Q, Sum

from fonds.enums import Compte, EtatTranche
from fonds.models import Abondement, Convention, EcritureFonds, Financeur, Tranche

ZERO = Decimal("0")
CENTIME = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    """One funder's share of a tranche or a convention (financeur None: not yet covered by a contribution)."""

    financeur: Financeur | None
    montant: Decimal
    fleche: bool = False


@dataclass
class PartConvention:
    """R8: a funder's share of one convention: in total, per budget year, and of what was paid."""

    convention: Convention
    montant_convention: Decimal
    part: Decimal = ZERO
    part_versee: Decimal = ZERO
    par_annee: dict[int, Decimal] = field(default_factory=dict)


def repartir(montant: Decimal, poids: list[tuple[Financeur, Decimal]]) -> list[tuple[Financeur, Decimal]]:
    """Split `montant` pro rata of the weights, to the cent, by the largest remainder: the parts add up exactly."""
    total = sum((p for _, p in poids), ZERO)
    if total <= 0 or montant == 0:
        return []
    centimes = int((montant / CENTIME).to_integral_value())
    bruts = [(financeur, Decimal(centimes) * p / total) for financeur, p in poids]
    planchers = [(financeur, int(brut.to_integral_value(rounding=ROUND_FLOOR)), brut) for financeur, brut in bruts]
    reste = centimes - sum(plancher for _, plancher, _ in planchers)
    ordre = sorted(
        range(len(planchers)),
        key=lambda i: (-(planchers[i][2] - planchers[i][1]), planchers[i][0].nom, planchers[i][0].pk),
    )
    bonus = set(ordre[:reste])
    return [
        (financeur, Decimal(plancher + (1 if i in bonus else 0)) * CENTIME)
        for i, (financeur, plancher, _) in enumerate(planchers)
        if plancher + (1 if i in bonus else 0) > 0
    ]


def parts_des_tranches(fonds_ids: Iterable[int]) -> dict[int, list[Part]]:
    """R8: every non-cancelled tranche of these funds → its funders' shares (three queries)."""
    fonds_ids = list(fonds_ids)
    fleches: dict[tuple[int, str, int], list[tuple[Financeur, Decimal]]] = defaultdict(list)
    communs: dict[tuple[int, int], list[tuple[Financeur, Decimal]]] = defaultdict(list)
    for abondement in Abondement.objects.filter(fonds_id__in=fonds_ids).select_related("financeur"):
        if abondement.departement_fleche_id is not None:
            cle = (abondement.fonds_id, abondement.departement_fleche_id, abondement.annee)
            fleches[cle].append((abondement.financeur, abondement.montant))
        else:
            communs[(abondement.fonds_id, abondement.annee)].append((abondement.financeur, abondement.montant))
    # What the distributions took from the money earmarked for each département and year.
    fleche_reparti = {
        (ligne["fonds_id"], ligne["departement_id"], ligne["annee"]): -ligne["total"]
        for ligne in EcritureFonds.objects.filter(
            Q(fonds_id__in=fonds_ids, compte=Compte.DISPONIBLE, departement__isnull=False, montant__lt=0)
        )
        .values("fonds_id", "departement_id", "annee")
        .annotate(total=Sum("montant"))
    }
    tranches = (
        Tranche.objects.filter(convention__fonds_id__in=fonds_ids)
        .exclude(etat=EtatTranche.ANNULEE)
        .values("pk", "annee", "montant", "convention__fonds_id", "convention__departement_id")
        .order_by("pk")
    )
    consomme: dict[tuple[int, str, int], Decimal] = defaultdict(lambda: ZERO)
    parts: dict[int, list[Part]] = {}
    for tranche in tranches:
        cle = (tranche["convention__fonds_id"], tranche["convention__departement_id"], tranche["annee"])
        montant = tranche["montant"]
        part_flechee = min(max(fleche_reparti.get(cle, ZERO) - consomme[cle], ZERO), montant)
        consomme[cle] += montant
        poids_fleches = _fusionner(fleches.get(cle, []))
        poids_communs = _fusionner(communs.get((cle[0], cle[2]), []))
        lignes = [Part(f, m, fleche=True) for f, m in repartir(part_flechee, poids_fleches)]
        part_commune = montant - part_flechee
        if poids_communs:
            lignes += [Part(f, m) for f, m in repartir(part_commune, poids_communs)]
        elif part_commune > 0:
            lignes.append(Part(None, part_commune))
        parts[tranche["pk"]] = lignes
    return parts


def _fusionner(poids: list[tuple[Financeur, Decimal]]) -> list[tuple[Financeur, Decimal]]:
    """One weight per funder (a funder may contribute several times in a year)."""
    par_financeur: dict[int, tuple[Financeur, Decimal]] = {}
    for financeur, montant in poids:
        ancien = par_financeur.get(financeur.pk, (financeur, ZERO))[1]
        par_financeur[financeur.pk] = (financeur, ancien + montant)
    return list(par_financeur.values())


def _additionner(parts: Iterable[Part]) -> list[Part]:
    """Merge shares by funder (earmarked and unearmarked money of one funder together), largest first."""
    totaux: dict[int | None, tuple[Financeur | None, Decimal, bool]] = {}
    for part in parts:
        cle = part.financeur.pk if part.financeur is not None else None
        _, montant, fleche = totaux.get(cle, (part.financeur, ZERO, False))
        totaux[cle] = (part.financeur, montant + part.montant, fleche or part.fleche)
    return sorted(
        (Part(f, m, fleche=fl) for f, m, fl in totaux.values()),
        key=lambda p: (-p.montant, p.financeur.nom if p.financeur else "~"),
    )


def parts_de_la_tranche(tranche: Tranche) -> list[Part]:
    """R8: the funders' shares of one tranche (of its payment, since a tranche is paid once, in full)."""
    return _additionner(parts_des_tranches([tranche.convention.fonds_id]).get(tranche.pk, []))


def parts_de_la_convention(convention: Convention) -> list[Part]:
    """R8: the funders' shares of a convention; they add up to the sum of its non-cancelled tranches."""
    parts = parts_des_tranches([convention.fonds_id])
    ids = convention.tranches.exclude(etat=EtatTranche.ANNULEE).values_list("pk", flat=True)
    return _additionner(part for pk in ids for part in parts.get(pk, []))


def parts_du_financeur(financeur: Financeur) -> list[PartConvention]:
    """R8: what a funder's money financed: its share of each convention it contributes to, per year, and of what
    was paid, in a constant number of queries."""
    fonds_ids = set(Abondement.objects.filter(financeur=financeur).values_list("fonds_id", flat=True))
    parts = parts_des_tranches(fonds_ids)
    tranches = (
        Tranche.objects.filter(pk__in=list(parts))
        .select_related("convention", "convention__departement")
        .order_by("convention__departement_id", "convention_id", "rang")
    )
    resultat: dict[int, PartConvention] = {}
    montants: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for tranche in tranches:
        montants[tranche.convention_id] += tranche.montant
        part = sum((p.montant for p in parts[tranche.pk] if p.financeur == financeur), ZERO)
        if part == 0:
            continue
        ligne = resultat.setdefault(
            tranche.convention_id, PartConvention(convention=tranche.convention, montant_convention=ZERO)
        )
        ligne.part += part
        ligne.par_annee[tranche.annee] = ligne.par_annee.get(tranche.annee, ZERO) + part
        if tranche.etat == EtatTranche.VERSEE:
            ligne.part_versee += part
    for convention_id, ligne in resultat.items():
        ligne.montant_convention = montants[convention_id]
    return list(resultat.values())
