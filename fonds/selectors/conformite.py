"""R12: what the collectif and the instance see of a funded collectif whose composition falls short: what is
missing (the R1 message), since when, the end of the grace period, and the suspended tranche."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from collectifs.composition import verifier_composition
from collectifs.models import Membre
from collectifs.selectors import composition_du_collectif, seuils_de
from fonds.enums import EtatConvention, EtatTranche
from fonds.models import Convention, Tranche

EN_DEFAUT = (EtatConvention.NON_CONFORME, EtatConvention.SUSPENDUE)


@dataclass(frozen=True)
class Conformite:
    """A non-compliant convention as shown on its pages."""

    etat: str
    non_conforme_depuis: date | None
    fin_de_grace: date | None
    suspendue_le: date | None
    manques: list[str]
    tranche_suspendue: Tranche | None

    @property
    def suspendue(self) -> bool:
        return self.etat == EtatConvention.SUSPENDUE


def conformite_de(convention: Convention) -> Conformite | None:
    """None while the convention is not non conforme nor suspended (no query then); otherwise two queries: the
    current members' colleges (R1 with the campaign's thresholds, as the services check it) and the tranche."""
    if convention.etat not in EN_DEFAUT or convention.declaration_id is None:
        return None
    assert convention.declaration is not None
    composition = composition_du_collectif(convention.declaration.collectif, convention.campagne)
    tranche = (
        convention.tranches.filter(etat=EtatTranche.SUSPENDUE).order_by("rang").first()
        if convention.etat == EtatConvention.SUSPENDUE
        else None
    )
    return Conformite(
        etat=convention.etat,
        non_conforme_depuis=convention.non_conforme_depuis,
        fin_de_grace=convention.fin_de_grace,
        suspendue_le=convention.suspendue_le,
        manques=composition.messages,
        tranche_suspendue=tranche,
    )


def conventions_en_defaut(departements: list[str] | None = None) -> QuerySet[Convention]:
    """R12: the non-compliant or suspended conventions (of these départements), the grace period ending first."""
    qs = Convention.objects.filter(etat__in=EN_DEFAUT).select_related("declaration__collectif", "departement")
    if departements is not None:
        qs = qs.filter(departement_id__in=departements)
    return qs.order_by("fin_de_grace", "pk")


def conformites_du_departement(departement: str, jour: date | None = None) -> list[tuple[Convention, Conformite]]:
    """R12: the département's non-compliant or suspended conventions with what each collectif misses, for the
    instance's page. Three queries whatever their number: the conventions, their collectifs' current members'
    colleges, and the suspended tranches."""
    jour = jour or timezone.localdate()
    conventions = list(conventions_en_defaut([departement]).select_related("campagne"))
    collectifs = [c.declaration.collectif_id for c in conventions if c.declaration is not None]
    colleges: dict[int, list[str]] = defaultdict(list)
    if collectifs:
        membres = (
            Membre.objects.filter(collectif_id__in=collectifs, date_debut__lte=jour)
            .filter(Q(date_fin__isnull=True) | Q(date_fin__gte=jour))
            .values_list("collectif_id", "college")
        )
        for collectif_id, college in membres:
            colleges[collectif_id].append(college)
    suspendues: dict[int, Tranche] = {}
    if conventions:
        for tranche in Tranche.objects.filter(convention__in=conventions, etat=EtatTranche.SUSPENDUE).order_by("-rang"):
            suspendues[tranche.convention_id] = tranche
    resultat = []
    for convention in conventions:
        assert convention.declaration is not None
        composition = verifier_composition(
            colleges[convention.declaration.collectif_id], seuils_de(convention.campagne)
        )
        resultat.append(
            (
                convention,
                Conformite(
                    etat=convention.etat,
                    non_conforme_depuis=convention.non_conforme_depuis,
                    fin_de_grace=convention.fin_de_grace,
                    suspendue_le=convention.suspendue_le,
                    manques=composition.messages,
                    tranche_suspendue=suspendues.get(convention.pk),
                ),
            )
        )
    return resultat
