"""`manage.py charge_verifier`: the invariants that must hold after the load test (or at any time). Read-only.

- R5: per campaign, the declarations that take a place (instances.selectors.place_occupee) are at most its quota;
- R3, R7, R8: per campaign and budget year, the tranches of its live conventions sum to at most its yearly envelope,
  and its reservation is never overdrawn; per convention, the payments sum to at most its live tranches;
- R19: per document type, département and year, the numbers run 1…n without gap nor duplicate, and the counter
  stands at n;
- R8: every movement of the fund's ledger sums to zero, and so does the whole ledger;
- R19: the hash chains and the signed digests (`manage.py verifier_journal`).
Prints a French report (appended to --rapport when given); exits 1 when an invariant is violated.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from campagnes.models import Campagne
from documents.models import CompteurDocument, Document
from fonds.enums import EtatConvention, EtatTranche
from fonds.models import EcritureFonds, Tranche, Versement
from fonds.selectors.soldes import reservation_restante
from instances.selectors import place_occupee
from journal.verification import verifier

ZERO = Decimal("0")


def quotas() -> list[str]:
    """R5: accepted declarations (those taking a place) ≤ quota, per campaign."""
    campagnes = Campagne.objects.annotate(places=Count("declarations", filter=place_occupee("declarations__")))
    return [
        f"Campagne {c.departement_id} {c.annee} : {c.places} déclarations occupent une place "
        f"pour un quota de {c.quota}."
        for c in campagnes.order_by("departement_id", "annee")
        if c.places > c.quota
    ]


def enveloppes() -> list[str]:
    """R3, R7: per campaign and year, Σ live tranches ≤ yearly envelope, and the reservation is not overdrawn."""
    violations = []
    sommes = (
        Tranche.objects.filter(convention__campagne__isnull=False)
        .exclude(etat=EtatTranche.ANNULEE)
        .exclude(convention__etat=EtatConvention.ANNULEE)
        .values("convention__campagne", "annee")
        .annotate(total=Sum("montant"))
        .order_by()
    )
    campagnes = {c.pk: c for c in Campagne.objects.all()}
    for ligne in sommes:
        campagne = campagnes[ligne["convention__campagne"]]
        if ligne["total"] > campagne.enveloppe_annuelle:
            violations.append(
                f"Campagne {campagne.departement_id} {campagne.annee}, année {ligne['annee']} : "
                f"{ligne['total']} € de tranches pour une enveloppe annuelle de {campagne.enveloppe_annuelle} €."
            )
    for campagne in campagnes.values():
        for annee, reste in sorted((reservation_restante(campagne) or {}).items()):
            if reste < ZERO:
                violations.append(
                    f"Campagne {campagne.departement_id} {campagne.annee} : réservation {annee} dépassée de {-reste} €."
                )
    return violations


def versements() -> list[str]:
    """R7, R8: per convention, Σ payments ≤ Σ live tranches (a tranche is paid once: Versement is one-to-one)."""
    payes: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for convention, montant in Versement.objects.values_list("tranche__convention", "montant"):
        payes[convention] += montant
    engages = dict(
        Tranche.objects.exclude(etat=EtatTranche.ANNULEE)
        .values("convention")
        .annotate(total=Coalesce(Sum("montant"), ZERO))
        .values_list("convention", "total")
    )
    return [
        f"Convention {convention} : {paye} € versés pour {engages.get(convention, ZERO)} € engagés."
        for convention, paye in sorted(payes.items())
        if paye > engages.get(convention, ZERO)
    ]


def numerotation() -> list[str]:
    """R19: numbers 1…n per type, département and year, without gap nor duplicate; the counter stands at n."""
    violations = []
    series: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for type_, departement, annee, sequence in Document.objects.values_list(
        "type", "departement", "annee", "sequence"
    ).order_by("type", "departement", "annee", "sequence"):
        series[(type_, departement, annee)].append(sequence)
    for (type_, departement, annee), sequences in sorted(series.items()):
        serie = f"{type_}-{departement}-{annee}"
        doublons = sorted({s for s in sequences if sequences.count(s) > 1})
        if doublons:
            violations.append(f"Série {serie} : numéros en double {doublons[:10]}.")
        manquants = sorted(set(range(1, max(sequences) + 1)) - set(sequences))
        if manquants:
            violations.append(f"Série {serie} : numéros manquants {manquants[:10]}.")
    compteurs = CompteurDocument.objects.values_list("type", "departement", "annee", "dernier")
    for type_, departement, annee, dernier in compteurs:
        maximum = max(series.get((type_, departement, annee), [0]))
        if dernier != maximum:
            violations.append(
                f"Série {type_}-{departement}-{annee} : le compteur est à {dernier}, le dernier document à {maximum}."
            )
    return violations


def grand_livre() -> list[str]:
    """R8: every movement sums to zero, and so does the whole ledger."""
    violations = [
        f"Mouvement {ligne['mouvement']} déséquilibré : {ligne['total']} €."
        for ligne in EcritureFonds.objects.values("mouvement")
        .annotate(total=Sum("montant"))
        .exclude(total=0)
        .order_by("mouvement")[:10]
    ]
    total = EcritureFonds.objects.aggregate(total=Coalesce(Sum("montant"), ZERO))["total"]
    if total != ZERO:
        violations.append(f"Le grand livre ne s'équilibre pas : {total} €.")
    return violations


def journal_integre() -> list[str]:
    """R19: the hash chains and the signed digests, as `manage.py verifier_journal` checks them."""
    resultat = verifier(condenses_dir=Path(settings.JOURNAL_CONDENSES_DIR))
    return [f"Journal altéré : {erreur}" for erreur in resultat.erreurs[:10]]


INVARIANTS = [
    ("Quotas des campagnes (acceptations ≤ quota)", quotas),
    ("Enveloppes et réservations (tranches ≤ enveloppe annuelle)", enveloppes),
    ("Versements (versé ≤ engagé, par convention)", versements),
    ("Numérotation des documents (sans trou ni doublon)", numerotation),
    ("Grand livre du fonds (mouvements équilibrés)", grand_livre),
    ("Chaînes d'empreintes et condensés (verifier_journal)", journal_integre),
]


class Command(BaseCommand):
    help = "Vérifie les invariants après le test de charge (quotas, enveloppes, numérotation, grand livre, journal)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rapport", default="", help="Fichier Markdown auquel ajouter le résultat.")

    def handle(self, *args: Any, **options: Any) -> None:
        lignes = ["## Invariants après la charge", "", "| Invariant | Résultat |", "|---|---|"]
        violations: list[str] = []
        for libelle, verification in INVARIANTS:
            trouvees = verification()
            lignes.append(f"| {libelle} | {'respecté' if not trouvees else f'{len(trouvees)} violation(s)'} |")
            violations += trouvees
        if violations:
            lignes += ["", "Violations :", ""] + [f"- {v}" for v in violations]
        lignes.append("")
        lignes.append("Aucune violation." if not violations else f"{len(violations)} violation(s).")
        texte = "\n".join(lignes) + "\n"
        self.stdout.write(texte)
        if options["rapport"]:
            with open(options["rapport"], "a", encoding="utf-8") as fichier:
                fichier.write(texte + "\n")
        if violations:
            raise CommandError(f"{len(violations)} invariant(s) violé(s) après la charge.")
