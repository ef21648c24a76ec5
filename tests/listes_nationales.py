"""A multi-département dataset for the list pages' scaling tests: `nombre` rows in each of `departements`
départements (the Loire first), written in bulk; the instruction processes started as the receiver does."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration
from territoires.models import Departement
from workflow import flows


def departements(nombre: int) -> list[Departement]:
    """The Loire, then the first others by code."""
    loire = Departement.objects.get(code="42")
    return [loire, *Departement.objects.exclude(code="42").order_by("code")[: nombre - 1]]


def campagnes(departements_: list[Departement], nombre: int) -> list[Campagne]:
    """`nombre` campaigns in each département (years 2030 onwards)."""
    aujourd_hui = datetime.date.today()  # noqa: DTZ011
    return Campagne.objects.bulk_create(
        Campagne(
            departement=departement,
            annee=2030 + rang,
            quota=3,
            enveloppe_annuelle="90000.00",
            montant_minimal_annuel="15000.00",
            date_ouverture=aujourd_hui,
            date_cloture=aujourd_hui + datetime.timedelta(days=60),
        )
        for departement in departements_
        for rang in range(nombre)
    )


def declarations(departements_: list[Departement], nombre: int, *, processus: bool = False) -> list[Declaration]:
    """`nombre` filed declarations in each département, in one campaign per département."""
    par_departement = {c.departement_id: c for c in campagnes(departements_, 1)}
    collectifs = Collectif.objects.bulk_create(
        Collectif(
            nom=f"Collectif {rang:03d} du {departement.code}",
            departement=departement,
            territoire="Quartier",
            codes_communes="",
        )
        for departement in departements_
        for rang in range(nombre)
    )
    maintenant = timezone.now()
    deposees = Declaration.objects.bulk_create(
        Declaration(
            collectif=collectif,
            campagne=par_departement[collectif.departement_id],
            etat=EtatDeclaration.DEPOSEE,
            deposee_le=maintenant - datetime.timedelta(minutes=rang),
        )
        for rang, collectif in enumerate(collectifs)
    )
    if processus:
        for declaration in deposees:
            flows.processus_demarrer(declaration.pk)
    return deposees


def meilleurs_temps(*appels: Callable[[], Any], essais: int = 5) -> list[float]:
    """The best processor time of each call, in seconds, over a few rounds that alternate them (a warm-up round
    first). Processor time of this process, not wall time: a list that grows with the country costs here (rows
    fetched, model instances built, rows rendered), while a busy machine (CI runs two workers and PostgreSQL on
    two cores) only delays the wall clock, by a different amount on every call."""
    meilleurs = [float("inf")] * len(appels)
    for essai in range(essais + 1):
        for rang, appel in enumerate(appels):
            debut = time.process_time()
            appel()
            if essai:
                meilleurs[rang] = min(meilleurs[rang], time.process_time() - debut)
    return meilleurs
