"""R12: the composition of a funded collectif over time. Every change of members is re-checked against R1 with the
campaign's thresholds: a collectif that falls short makes its convention « non conforme » with a grace period
(`Campagne.delai_grace_mois`, default 3 months); restored within it, the convention is active again. At the end of
the grace period (a viewflow timer, `workflow.flux_conformite`), the next unpaid tranche is suspended with the
convention, until the composition is restored: the suspended tranche is then payable again.

Lock order (as in `conventions`): convention, then tranches. The convention row is locked before the composition is
read, so two concurrent member changes are checked one after the other, the second seeing the first."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from collectifs.composition import ResultatComposition
from collectifs.models import Collectif
from collectifs.selectors import composition_du_collectif
from comptes.models import Acteur
from core.dates import ajouter_mois, en_clair
from fonds.enums import CONVENTION_EN_COURS, EtatConvention, EtatTranche
from fonds.models import Convention, Tranche
from journal.fsm import transition_appliquer

# The conventions whose composition is followed: a cancelled one is not.
SUIVIES = CONVENTION_EN_COURS


def fin_de_grace_pour(debut: date, mois: int) -> date:
    """R12: the last day of the grace period that starts on `debut` (a 31st falls back to the month's end)."""
    return ajouter_mois(debut, mois)


def composition_de(convention: Convention, jour: date | None = None) -> ResultatComposition:
    """R1 applied to the funded collectif's current members with its campaign's thresholds."""
    assert convention.declaration is not None  # a collectif's convention
    return composition_du_collectif(convention.declaration.collectif, convention.campagne, jour)


def _verrouiller(pk: int) -> Convention:
    return (
        Convention.objects.select_for_update(of=("self",))
        .select_related("campagne", "declaration__collectif")
        .get(pk=pk)
    )


def _declarer_non_conforme(
    convention: Convention, composition: ResultatComposition, acteur: Acteur | None, jour: date
) -> None:
    mois = convention.campagne.delai_grace_mois if convention.campagne is not None else 3
    convention.non_conforme_depuis = jour
    convention.fin_de_grace = fin_de_grace_pour(jour, mois)
    transition_appliquer(
        convention,
        "declarer_non_conforme",
        acteur=acteur,
        commentaire=f"{' ; '.join(composition.messages)}. Délai de grâce jusqu'au {en_clair(convention.fin_de_grace)}.",
        update_fields=["non_conforme_depuis", "fin_de_grace"],
        verifier_permission=False,
    )


def _retablir(convention: Convention, acteur: Acteur | None) -> None:
    """The composition is restored: the convention is active again; a tranche suspended at the end of the grace
    period is payable again, and a planned tranche whose release came due meanwhile (its check-in validated) is
    released now."""
    etait_suspendue = convention.etat == EtatConvention.SUSPENDUE
    transition_appliquer(
        convention,
        "retablir",
        acteur=acteur,
        commentaire="Composition du collectif de nouveau conforme.",
        update_fields=["non_conforme_depuis", "fin_de_grace", "suspendue_le"],
        verifier_permission=False,
    )
    if not etait_suspendue:
        return
    for tranche in convention.tranches.select_for_update(of=("self",)).order_by("rang"):
        tranche.convention = convention
        if tranche.etat == EtatTranche.SUSPENDUE:
            transition_appliquer(
                tranche,
                "reprendre",
                acteur=acteur,
                commentaire="Composition rétablie : la tranche est de nouveau exigible.",
                verifier_permission=False,
            )
        elif tranche.etat == EtatTranche.PREVUE and tranche.liberable():
            transition_appliquer(
                tranche,
                "rendre_exigible",
                acteur=acteur,
                commentaire="Composition rétablie : la tranche, libérée pendant la suspension, devient exigible.",
                verifier_permission=False,
            )


def convention_reverifier(convention: Convention, *, acteur: Acteur | None = None, jour: date | None = None) -> str:
    """R12: re-check one funded collectif's convention against R1 (call inside a transaction). Returns the
    convention's state afterwards. A convention already non conforme keeps its grace period while it stays short."""
    convention = _verrouiller(convention.pk)
    if convention.etat not in SUIVIES or not convention.est_collectif:
        return str(convention.etat)
    jour = jour or timezone.localdate()
    composition = composition_de(convention, jour)
    if not composition.est_conforme and convention.etat == EtatConvention.ACTIVE:
        _declarer_non_conforme(convention, composition, acteur, jour)
    elif composition.est_conforme and convention.etat != EtatConvention.ACTIVE:
        _retablir(convention, acteur)
    return str(convention.etat)


def conformite_verifier(*, collectif: Collectif, acteur: Acteur | None = None, jour: date | None = None) -> None:
    """R12: the members of `collectif` changed: re-check each of its followed conventions, in the caller's
    transaction."""
    pks = Convention.objects.filter(declaration__collectif=collectif, etat__in=SUIVIES).values_list("pk", flat=True)
    for pk in list(pks):
        convention_reverifier(Convention(pk=pk), acteur=acteur, jour=jour)


def sur_composition_modifiee(sender: Any, *, collectif: Collectif, acteur: Acteur | None = None, **kwargs: Any) -> None:
    """Receiver of `collectifs.signals.composition_modifiee` (R12), in the member change's transaction."""
    conformite_verifier(collectif=collectif, acteur=acteur)


@transaction.atomic
def conformites_reverifier(jour: date | None = None) -> int:
    """R12: re-check every followed convention of a collectif, for the changes no one typed on that day (a
    membership that ended yesterday, one that starts today). Run by `manage.py workflow_timers`; returns how many
    conventions changed state."""
    changements = 0
    conventions = Convention.objects.filter(etat__in=SUIVIES, declaration__isnull=False).only("pk", "etat")
    for convention in list(conventions.order_by("pk")):
        if convention_reverifier(convention, jour=jour) != convention.etat:
            changements += 1
    return changements


NON_VERSEES = (EtatTranche.PREVUE, EtatTranche.EXIGIBLE, EtatTranche.SUSPENDUE)


def prochaine_tranche_non_versee(convention: Convention) -> Tranche | None:
    """R12: the tranche a suspension applies to: the first one neither paid nor cancelled."""
    return convention.tranches.filter(etat__in=NON_VERSEES).order_by("rang").first()


@transaction.atomic
def convention_suspendre_apres_grace(convention_pk: int, *, jour: date | None = None) -> Convention | None:
    """R12: the grace period has ended (fired by the viewflow timer): if the composition is still short, the
    next unpaid tranche is suspended (a payable one becomes « suspendue »; a planned one stays « prévue » and
    cannot be released while the convention is suspended) and so is the convention. Restored in the meantime
    (a member whose membership started since), the convention is active again. Returns the suspended convention,
    or None when nothing was suspended. Idempotent."""
    convention = _verrouiller(convention_pk)
    jour = jour or timezone.localdate()
    if convention.etat != EtatConvention.NON_CONFORME or convention.fin_de_grace is None:
        return None
    if jour <= convention.fin_de_grace:
        return None
    composition = composition_de(convention, jour)
    if composition.est_conforme:
        _retablir(convention, None)
        return None
    # Every tranche locked first (a payment locks its tranche): the next unpaid one is chosen among locked rows.
    tranches = list(convention.tranches.select_for_update(of=("self",)).order_by("rang"))
    tranche = next((t for t in tranches if t.etat in NON_VERSEES), None)
    if tranche is not None and tranche.etat == EtatTranche.EXIGIBLE:
        transition_appliquer(
            tranche,
            "suspendre",
            acteur=None,
            commentaire=f"Délai de grâce terminé le {en_clair(convention.fin_de_grace)} : composition non conforme.",
            verifier_permission=False,
        )
    convention.suspendue_le = jour
    manques = " ; ".join(composition.messages)
    transition_appliquer(
        convention,
        "suspendre",
        acteur=None,
        commentaire=f"Délai de grâce terminé le {en_clair(convention.fin_de_grace)} : {manques}.",
        update_fields=["suspendue_le"],
        verifier_permission=False,
    )
    return convention
