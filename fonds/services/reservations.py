"""R3: opening a campaign reserves its `enveloppe_annuelle` in the département's envelope for the budget years
Y, Y+1 and Y+2, or is refused when a year would be overdrawn (up to three cohorts overlap in a year)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from campagnes.models import Campagne
from comptes.models import Acteur, personne
from fonds.enums import Compte
from fonds.models import EcritureFonds, Enveloppe, Fonds, Reservation
from fonds.selectors import ZERO, EtatEnveloppe, annees_de_campagne, enveloppes_du_departement, fonds_du_departement
from fonds.services.grand_livre import ecrire, euros


def verrouiller_enveloppes(fonds: Fonds, departement_code: str, annees: list[int]) -> None:
    """Lock the envelope rows of a département for these years, in increasing year order (ADR 0005): two
    openings or projects of one département charging the same years wait for each other."""
    for annee in sorted(annees):
        Enveloppe.objects.get_or_create(fonds=fonds, departement_id=departement_code, annee=annee)
    list(
        Enveloppe.objects.select_for_update()
        .filter(fonds=fonds, departement_id=departement_code, annee__in=annees)
        .order_by("annee")
    )


def message_depassement(departement: Any, etat: EtatEnveloppe, demande: Decimal) -> str:
    """R3: the French refusal naming the year, whether it is projected, and the shortfall."""
    if etat.projetee and etat.base == 0:
        return (
            f"Aucune enveloppe n'est encore répartie pour {departement} : l'année {etat.annee} ne peut pas être "
            "projetée. Demandez à l'équipe nationale de répartir le fonds."
        )
    enveloppe = (
        f"L'enveloppe {etat.annee} de {departement} (projetée au dernier montant connu : {euros(etat.base)})"
        if etat.projetee
        else f"L'enveloppe {etat.annee} de {departement} ({euros(etat.base)})"
    )
    return (
        f"{enveloppe} est déjà prise à hauteur de {euros(etat.prise)} : il reste {euros(max(etat.disponible, ZERO))} "
        f"pour {euros(demande)} demandés, il manque {euros(demande - max(etat.disponible, ZERO))}."
    )


def campagne_reserver(*, campagne: Campagne, acteur: Acteur | None) -> list[Reservation]:
    """R3: reserve the campaign's yearly envelope for Y, Y+1 and Y+2, in the opening's transaction (the campaign
    row is locked by `campagne_ouvrir`, then the envelopes, by year). Without a fund, nothing is reserved."""
    fonds = fonds_du_departement(campagne.departement_id)
    if fonds is None or campagne.enveloppe_annuelle <= 0:
        return []
    annees = annees_de_campagne(campagne)
    verrouiller_enveloppes(fonds, campagne.departement_id, annees)
    etats = enveloppes_du_departement(fonds, campagne.departement_id, annees)
    montant = campagne.enveloppe_annuelle
    erreurs = [
        message_depassement(campagne.departement, etat, montant) for etat in etats.values() if montant > etat.disponible
    ]
    if erreurs:
        raise ValidationError({"enveloppe_annuelle": erreurs})
    libelle = f"Réservation de la campagne {campagne.annee} de {campagne.departement}"
    lignes = []
    reservations = []
    for annee in annees:
        reservations.append(
            Reservation.objects.create(fonds=fonds, campagne=campagne, annee=annee, projetee=etats[annee].projetee)
        )
        commun = {
            "fonds": fonds,
            "annee": annee,
            "departement_id": campagne.departement_id,
            "acteur": personne(acteur),
            "libelle": libelle,
        }
        lignes += [
            EcritureFonds(compte=Compte.ENVELOPPE, montant=-montant, **commun),
            EcritureFonds(compte=Compte.RESERVATION, campagne=campagne, montant=montant, **commun),
        ]
    ecrire(lignes)
    return reservations
