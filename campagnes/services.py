"""Writes of the campagnes app: create, edit, open and close a département's yearly campaign (R3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from campagnes import permissions, signals
from campagnes.enums import EtatCampagne
from campagnes.models import CHAMPS_MODIFIABLES, CHAMPS_VERROUILLES, Campagne
from comptes.models import Acteur
from core.dates import bornes_campagne, hors_bornes
from core.permissions import exiger
from journal.fsm import transition_appliquer
from territoires.models import Departement

# The value of one of CHAMPS_MODIFIABLES: a count, an amount in euros, a percentage or a date.
ValeurCampagne = int | Decimal | date


def _message_financement(campagne: Campagne) -> str:
    return (
        f"L'enveloppe annuelle ({campagne.enveloppe_annuelle} €) ne couvre pas le minimum garanti : "
        f"{campagne.quota} places × {campagne.montant_minimal_annuel} € = {campagne.engagement_minimal} €."
    )


def _valider(campagne: Campagne) -> None:
    try:
        campagne.full_clean(exclude=["etat"], validate_constraints=False)
    except ValidationError as erreur:
        raise ValidationError(erreur.message_dict) from erreur
    debut, fin = bornes_campagne(campagne.annee)
    erreurs = {
        champ: [message]
        for champ in ("date_ouverture", "date_cloture")
        if (message := hors_bornes(getattr(campagne, champ), debut, fin))
    }
    if erreurs:
        raise ValidationError(erreurs)
    if campagne.date_cloture < campagne.date_ouverture:
        raise ValidationError({"date_cloture": ["La clôture doit suivre l'ouverture."]})
    doublon = Campagne.objects.filter(departement=campagne.departement, annee=campagne.annee).exclude(pk=campagne.pk)
    if doublon.exists():
        raise ValidationError(
            {"annee": [f"Une campagne {campagne.annee} existe déjà pour le département {campagne.departement}."]}
        )


@transaction.atomic(durable=True)
def campagne_creer(
    *,
    acteur: Acteur,
    departement: Departement,
    annee: int,
    quota: int,
    enveloppe_annuelle: Decimal,
    montant_minimal_annuel: Decimal,
    date_ouverture: date,
    date_cloture: date,
    **options: ValeurCampagne,
) -> Campagne:
    """R3: create a campaign in preparation; at most one per (département, year)."""
    exiger(permissions.can_creer_campagne(acteur, departement.code))
    campagne = Campagne(
        departement=departement,
        annee=annee,
        quota=quota,
        enveloppe_annuelle=enveloppe_annuelle,
        montant_minimal_annuel=montant_minimal_annuel,
        date_ouverture=date_ouverture,
        date_cloture=date_cloture,
        **options,
    )
    _valider(campagne)
    try:
        with transaction.atomic():
            campagne.save()
    except IntegrityError as erreur:  # a concurrent creation won the unique constraint
        raise ValidationError(
            {"annee": [f"Une campagne {annee} existe déjà pour le département {departement}."]}
        ) from erreur
    return campagne


@transaction.atomic(durable=True)
def campagne_modifier(*, acteur: Acteur, campagne: Campagne, **valeurs: ValeurCampagne) -> Campagne:
    """R3: edit a campaign; quota, envelope, minimum and thresholds are locked once it is open."""
    campagne = Campagne.objects.select_for_update(of=("self",)).select_related("departement").get(pk=campagne.pk)
    exiger(permissions.can_modifier_campagne(acteur, campagne))
    inconnus = set(valeurs) - set(CHAMPS_MODIFIABLES)
    if inconnus:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(inconnus))}.")
    if campagne.etat != EtatCampagne.PREPARATION:
        verrouilles = {
            champ: ["Ce montant ou ce seuil est verrouillé depuis l'ouverture de la campagne."]
            for champ in CHAMPS_VERROUILLES
            if champ in valeurs and valeurs[champ] != getattr(campagne, champ)
        }
        if verrouilles:
            raise ValidationError(verrouilles)
    for champ, valeur in valeurs.items():
        setattr(campagne, champ, valeur)
    _valider(campagne)
    campagne.save(update_fields=list(valeurs))
    return campagne


@transaction.atomic(durable=True)
def campagne_ouvrir(*, acteur: Acteur, campagne: Campagne) -> Campagne:
    """R3: open the campaign; refused when quota × montant_minimal_annuel > enveloppe_annuelle, or when its
    closing date has passed."""
    campagne = Campagne.objects.select_for_update(of=("self",)).select_related("departement").get(pk=campagne.pk)
    exiger(permissions.can_ouvrir_campagne(acteur, campagne))
    if campagne.etat != EtatCampagne.PREPARATION:
        raise ValidationError("Seule une campagne en préparation peut être ouverte.")
    if not campagne.financement_suffisant():
        raise ValidationError({"enveloppe_annuelle": [_message_financement(campagne)]})
    if campagne.date_cloture < timezone.localdate():
        raise ValidationError(
            {
                "date_cloture": [
                    f"La date de clôture ({formats.date_format(campagne.date_cloture, 'j F Y')}) est passée : "
                    "reportez-la avant d'ouvrir la campagne."
                ]
            }
        )
    autre = Campagne.objects.filter(departement=campagne.departement, etat=EtatCampagne.OUVERTE).exclude(pk=campagne.pk)
    if autre.exists():
        raise ValidationError(
            f"La campagne {autre.first().annee} est encore ouverte dans ce département : clôturez-la d'abord."  # type: ignore[union-attr]
        )
    transition_appliquer(campagne, "ouvrir", acteur=acteur)
    # R3: the fund layer reserves the yearly envelope for Y, Y+1, Y+2 here, or refuses the opening.
    signals.campagne_ouverte.send(sender=Campagne, campagne=campagne, acteur=acteur)
    return campagne


@transaction.atomic(durable=True)
def campagne_clore(*, acteur: Acteur, campagne: Campagne) -> Campagne:
    """R3: close the campaign; no more filings."""
    campagne = Campagne.objects.select_for_update(of=("self",)).select_related("departement").get(pk=campagne.pk)
    exiger(permissions.can_clore_campagne(acteur, campagne))
    if campagne.etat != EtatCampagne.OUVERTE:
        raise ValidationError("Seule une campagne ouverte peut être close.")
    transition_appliquer(campagne, "clore", acteur=acteur)
    return campagne
