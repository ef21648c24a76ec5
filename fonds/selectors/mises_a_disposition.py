"""Reads of the secondments (R9): who sees which secondment, an employer's own list, and the load per employer
the instance sees (people and total quotité per year), so that no home service is emptied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from comptes.models import Acteur
from comptes.permissions import connecte
from fonds.models import MiseADisposition
from fonds.models.mises_a_disposition import ETATS_ACTIFS


def _base() -> QuerySet[MiseADisposition]:
    return MiseADisposition.objects.select_related("collectif", "collectif__departement", "membre", "employeur")


def mises_a_disposition_visibles(user: Acteur) -> QuerySet[MiseADisposition]:
    """R9: the secondments a user may read: national staff all; the instance (instructeurs and active members of
    the département's instance) those of its département; a référent those of their collectifs; an employer's
    login those of its organisation. One query, whatever the number of rows."""
    qs = _base()
    if not connecte(user):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    return qs.filter(
        Q(collectif__departement__instructeurs__user=user)
        | Q(collectif__departement__instance__membres__user=user, collectif__departement__instance__membres__actif=True)
        | Q(collectif__referents=user)
        | Q(employeur__acces_employeur__utilisateur=user)
    ).distinct()


def mises_a_disposition_du_collectif(user: Acteur, collectif_id: int) -> QuerySet[MiseADisposition]:
    """R9: the secondments of one collectif that the user may read, latest start first."""
    return mises_a_disposition_visibles(user).filter(collectif_id=collectif_id).order_by("-date_debut", "-pk")


def mises_a_disposition_de_l_employeur(user: Acteur) -> QuerySet[MiseADisposition]:
    """R9: the secondments an employer's login answers for (its organisation), those awaiting an answer first."""
    if not connecte(user):
        return MiseADisposition.objects.none()
    return _base().filter(employeur__acces_employeur__utilisateur=user).order_by("-etat", "date_debut", "pk").distinct()


@dataclass(frozen=True)
class LigneCharge:
    """One employer's load for one year: how many people it seconds and their total quotité (in % of one full
    working time: 2 people at 10 % make 20 %)."""

    employeur: str
    employeur_id: int
    annee: int
    personnes: int
    quotite_totale: Decimal
    en_attente: int


def charge_par_employeur(departement_code: str) -> list[LigneCharge]:
    """R9: per employer and calendar year, the people seconded to the département's collectifs and their total
    quotité, counting the secondments requested or acknowledged that run during that year (one query)."""
    mises = (
        MiseADisposition.objects.filter(collectif__departement_id=departement_code, etat__in=ETATS_ACTIFS)
        .select_related("employeur", "membre")
        .only("employeur__nom", "membre__cle", "quotite", "date_debut", "date_fin", "etat")
    )
    personnes: dict[tuple[int, int], set[str]] = defaultdict(set)
    totaux: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    attente: dict[tuple[int, int], int] = defaultdict(int)
    noms: dict[int, str] = {}
    for mise in mises:
        noms[mise.employeur_id] = mise.employeur.nom
        for annee in range(mise.date_debut.year, mise.date_fin.year + 1):
            cle = (mise.employeur_id, annee)
            personnes[cle].add(mise.membre.cle)
            totaux[cle] += mise.quotite
            attente[cle] += mise.etat != "prise_acte"
    return sorted(
        (
            LigneCharge(
                employeur=noms[employeur_id],
                employeur_id=employeur_id,
                annee=annee,
                personnes=len(personnes[employeur_id, annee]),
                quotite_totale=totaux[employeur_id, annee],
                en_attente=attente[employeur_id, annee],
            )
            for employeur_id, annee in totaux
        ),
        key=lambda ligne: (ligne.annee, ligne.employeur, ligne.employeur_id),
    )
