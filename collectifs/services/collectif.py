"""Writes on a collectif itself: its description, its originating institutions, its members and its référents.

Rules enforced here: R1 (a person counts once, in one college), R2 (communes lie in the collectif's
département), R17 (its quartiers prioritaires lie in its département too), R19 (a membership ends with a date,
nothing is deleted), R20 (inhabitants need no e-mail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campagnes.selectors import campagne_de_depot
from collectifs import permissions
from collectifs.enums import ModeConsentement
from collectifs.models import (
    Collectif,
    Consentement,
    Declaration,
    InvitationReferent,
    Membre,
    Organisation,
    cle_personne,
)
from collectifs.signals import composition_modifiee
from collectifs.tasks import envoyer_invitation
from collectifs.validators import normaliser_rna, normaliser_siret, valider_codes_communes, valider_rna, valider_siret
from comptes.models import Acteur, normaliser_email, personne
from comptes.permissions import connecte
from core.dates import bornes_membre, hors_bornes
from core.permissions import REFUS, exiger
from territoires.models import Departement, QuartierPrioritaire


@dataclass(frozen=True)
class DonneesOrganisation:
    """An organisation as typed in a form: a name, and optionally SIRET or RNA."""

    nom: str
    siret: str = ""
    rna: str = ""


@dataclass(frozen=True)
class DonneesMembre:
    """A member as typed in a form or sent to the API. `date_fin` ends the membership (R19); `date_debut`
    defaults to today for a new member and to the current value for an existing one."""

    college: str
    prenom: str
    nom: str
    consentement: bool
    fonction: str = ""
    organisation: DonneesOrganisation | None = None
    email: str = ""
    telephone: str = ""
    date_debut: date | None = None
    date_fin: date | None = None


def organisation_obtenir(*, collectif: Collectif | None, donnees: DonneesOrganisation) -> Organisation:
    """Reuse an organisation with the same SIRET or RNA, or (informal ones) the same name in this collectif.

    SIRET and RNA are optional; when given they must be valid."""
    nom = donnees.nom.strip()
    siret, rna = normaliser_siret(donnees.siret), normaliser_rna(donnees.rna)
    erreurs: dict[str, list[str]] = {}
    if not nom:
        erreurs["organisation_nom"] = ["Indiquez le nom de l'organisation."]
    for champ, valider, valeur in (
        ("organisation_siret", valider_siret, siret),
        ("organisation_rna", valider_rna, rna),
    ):
        try:
            valider(valeur)
        except ValidationError as erreur:
            erreurs[champ] = erreur.messages
    if erreurs:
        raise ValidationError(erreurs)
    # get_or_create retries the lookup when a concurrent request created the row first (the unique constraints
    # make the second insert fail instead of duplicating the organisation).
    if siret:
        return Organisation.objects.get_or_create(siret=siret, defaults={"nom": nom, "rna": rna})[0]
    if rna:
        return Organisation.objects.get_or_create(rna=rna, siret="", defaults={"nom": nom})[0]
    if collectif is not None and collectif.pk:
        existante = (
            Organisation.objects.filter(nom__iexact=nom, siret="", rna="")
            .filter(Q(membres__collectif=collectif) | Q(collectifs_portes=collectif))
            .first()
        )
        if existante:
            return existante
    return Organisation.objects.create(nom=nom)


def _institutions(collectif: Collectif, institutions: list[DonneesOrganisation]) -> None:
    organisations = [organisation_obtenir(collectif=collectif, donnees=d) for d in institutions if d.nom.strip()]
    collectif.institutions_origine.set(organisations)


def _valider_collectif(collectif: Collectif, quartiers: Sequence[QuartierPrioritaire] | None = None) -> None:
    try:
        valider_codes_communes(collectif.codes_communes)
    except ValidationError as erreur:
        raise ValidationError({"codes_communes": erreur.messages}) from erreur
    hors = communes_hors_departement(collectif)
    if hors:
        raise ValidationError({"codes_communes": [message_communes_hors(collectif, hors)]})
    if quartiers_hors := quartiers_hors_departement(collectif, quartiers or []):
        raise ValidationError({"quartiers_prioritaires": [message_quartiers_hors(collectif, quartiers_hors)]})
    collectif.full_clean(exclude=["cree_par"])


def communes_hors_departement(collectif: Collectif) -> list[str]:
    """R2: the INSEE codes given that do not lie in the collectif's département."""
    return [c for c in collectif.liste_codes_communes if not collectif.departement.contient_commune(c)]


def message_communes_hors(collectif: Collectif, hors: list[str]) -> str:
    return f"Ces communes ne sont pas dans le département {collectif.departement} : {', '.join(hors)}."


def quartiers_hors_departement(
    collectif: Collectif, quartiers: Sequence[QuartierPrioritaire]
) -> list[QuartierPrioritaire]:
    """R17: the quartiers prioritaires given that do not lie in the collectif's département."""
    return [q for q in quartiers if q.departement_id != collectif.departement_id]


def message_quartiers_hors(collectif: Collectif, hors: list[QuartierPrioritaire]) -> str:
    noms = ", ".join(str(q) for q in hors)
    if len(hors) == 1:
        return f"Ce quartier prioritaire n'est pas dans le département {collectif.departement} : {noms}."
    return f"Ces quartiers prioritaires ne sont pas dans le département {collectif.departement} : {noms}."


@transaction.atomic(durable=True)
def collectif_creer(
    *,
    acteur: Acteur,
    nom: str,
    departement: Departement,
    territoire: str,
    codes_communes: str = "",
    institutions: list[DonneesOrganisation] | None = None,
    quartiers_prioritaires: Sequence[QuartierPrioritaire] | None = None,
) -> Collectif:
    """Create a collectif, make the creator its référent, and open its first draft declaration. Its communes and
    its quartiers prioritaires (R17, optional) must lie in its département (R2)."""
    if not connecte(acteur):
        raise PermissionDenied(REFUS)
    collectif = Collectif(
        nom=nom.strip(), departement=departement, territoire=territoire.strip(), codes_communes=codes_communes.strip()
    )
    collectif.cree_par = acteur
    _valider_collectif(collectif, quartiers_prioritaires)
    collectif.save()
    collectif.synchroniser_communes(creation=True)  # R17 looks communes up by index
    if quartiers_prioritaires:
        collectif.quartiers_prioritaires.set(quartiers_prioritaires)
    collectif.referents.add(acteur)
    _institutions(collectif, institutions or [])
    Declaration.objects.create(collectif=collectif, campagne=campagne_de_depot(departement))
    return collectif


@transaction.atomic(durable=True)
def collectif_modifier(
    *,
    acteur: Acteur,
    collectif: Collectif,
    nom: str,
    territoire: str,
    codes_communes: str = "",
    institutions: list[DonneesOrganisation] | None = None,
    quartiers_prioritaires: Sequence[QuartierPrioritaire] | None = None,
) -> Collectif:
    """Edit the collectif's description, originating institutions and quartiers prioritaires (R17; each in its
    département). The département is fixed at creation. `institutions` or `quartiers_prioritaires` left to None
    stay as they are; a list (even empty) replaces them."""
    exiger(permissions.can_modifier_collectif(acteur, collectif))
    anciens_codes = collectif.codes_communes
    collectif.nom, collectif.territoire, collectif.codes_communes = (
        nom.strip(),
        territoire.strip(),
        codes_communes.strip(),
    )
    _valider_collectif(collectif, quartiers_prioritaires)
    collectif.save(update_fields=["nom", "territoire", "codes_communes"])
    if collectif.codes_communes != anciens_codes:
        collectif.synchroniser_communes()  # R17 looks communes up by index
    if quartiers_prioritaires is not None:
        collectif.quartiers_prioritaires.set(quartiers_prioritaires)
    if institutions is not None:
        _institutions(collectif, institutions)
    return collectif


def _valider_membre(membre: Membre) -> None:
    erreurs: dict[str, list[str]] = {}
    if not membre.consentement:
        erreurs["consentement"] = [
            "Confirmez que la personne a donné son accord pour figurer dans la déclaration du collectif."
        ]
    doublon = (
        Membre.objects.filter(collectif=membre.collectif, cle=membre.cle).exclude(pk=membre.pk).first()
        if membre.cle
        else None
    )
    if doublon is not None:
        erreurs["nom"] = [
            f"{doublon.prenom} {doublon.nom} fait déjà partie du collectif "
            f"(collège « {doublon.get_college_display()} ») : une personne ne compte qu'une fois."
        ]
    debut, fin = bornes_membre(timezone.localdate())
    for champ in ("date_debut", "date_fin"):
        if message := hors_bornes(getattr(membre, champ), debut, fin):
            erreurs.setdefault(champ, []).append(message)
    try:
        membre.full_clean(exclude=["collectif", "organisation", "saisi_par", "cle", "consentement_saisie"])
    except ValidationError as erreur:
        for champ, messages in erreur.message_dict.items():
            erreurs.setdefault(champ, []).extend(messages)
    if erreurs:
        raise ValidationError(erreurs)


def _remplir(membre: Membre, donnees: DonneesMembre) -> None:
    """Copy what was typed onto the record, cleaned the same way for an addition and a correction."""
    membre.college, membre.prenom, membre.nom = donnees.college, donnees.prenom.strip(), donnees.nom.strip()
    membre.cle = cle_personne(donnees.prenom, donnees.nom)
    membre.fonction, membre.telephone = donnees.fonction.strip(), donnees.telephone.strip()
    membre.email = normaliser_email(donnees.email) if donnees.email else ""
    membre.date_debut = donnees.date_debut or membre.date_debut or timezone.localdate()
    membre.date_fin = donnees.date_fin
    membre.consentement = donnees.consentement


def _organisation_du_membre(collectif: Collectif, donnees: DonneesMembre) -> Organisation | None:
    organisation = donnees.organisation
    if organisation is None or not organisation.nom.strip():
        return None
    return organisation_obtenir(collectif=collectif, donnees=organisation)


# R10, R20: what an accompagnateur is told when they enter a member without saying how the person agreed.
SAISIE_SANS_ACCORD = "Vous saisissez pour le compte de la personne : indiquez comment et quand elle a donné son accord."


def _exiger_saisie(acteur: Acteur, collectif: Collectif, pour_autrui: DonneesConsentement | None) -> None:
    """R10, R20: the référents enter members; an entry on the person's behalf (the accompagnateur's always, a
    référent's for a member without e-mail) needs their consent, else it is refused."""
    if pour_autrui is not None:
        exiger(permissions.can_saisir_pour_le_compte(acteur, collectif))
    elif not permissions.can_modifier_collectif(acteur, collectif):
        if permissions.est_accompagnateur_de(acteur, collectif):
            raise ValidationError({"mode": [SAISIE_SANS_ACCORD]})
        raise PermissionDenied(REFUS)


def _consentement_du_membre(acteur: Acteur, membre: Membre, pour_autrui: DonneesConsentement | None) -> None:
    """R10, R20: record the consent of a proxy entry on this member, in the same transaction as the entry."""
    if pour_autrui is None:
        return
    donnees = DonneesConsentement(
        pour_le_compte_de=pour_autrui.pour_le_compte_de,
        mode=pour_autrui.mode,
        recueilli_le=pour_autrui.recueilli_le,
        precision=pour_autrui.precision,
        membre=membre,
    )
    membre.consentement_saisie = consentement_enregistrer(acteur=acteur, collectif=membre.collectif, donnees=donnees)
    membre.save(update_fields=["consentement_saisie"])


@transaction.atomic(durable=True)
def membre_ajouter(
    *,
    acteur: Acteur,
    collectif: Collectif,
    donnees: DonneesMembre,
    pour_autrui: DonneesConsentement | None = None,
) -> Membre:
    """Add a person to one college (R1). The same person is refused twice; inhabitants need no e-mail (R20).
    `pour_autrui` makes it a proxy entry with its consent (R10, R20): required from the accompagnateur."""
    _exiger_saisie(acteur, collectif, pour_autrui)
    membre = Membre(collectif=collectif, saisi_par=personne(acteur))
    _remplir(membre, donnees)
    _valider_membre(membre)
    membre.organisation = _organisation_du_membre(collectif, donnees)
    membre.save()
    _consentement_du_membre(acteur, membre, pour_autrui)
    composition_modifiee.send(sender=Membre, collectif=collectif, acteur=acteur)  # R12
    return membre


@transaction.atomic(durable=True)
def membre_modifier(
    *, acteur: Acteur, membre: Membre, donnees: DonneesMembre, pour_autrui: DonneesConsentement | None = None
) -> Membre:
    """Correct a member's record, or end their membership with an end date (nothing is deleted, R19).
    `pour_autrui` makes it a proxy entry with a new consent record (R10, R20): required from the accompagnateur."""
    _exiger_saisie(acteur, membre.collectif, pour_autrui)
    _remplir(membre, donnees)
    _valider_membre(membre)
    membre.organisation = _organisation_du_membre(membre.collectif, donnees)
    membre.save()
    _consentement_du_membre(acteur, membre, pour_autrui)
    composition_modifiee.send(sender=Membre, collectif=membre.collectif, acteur=acteur)  # R12
    return membre


@transaction.atomic(durable=True)
def referent_inviter(*, acteur: Acteur, collectif: Collectif, email: str) -> InvitationReferent:
    """A référent invites another person, by e-mail, to become a référent of the collectif."""
    exiger(permissions.can_modifier_collectif(acteur, collectif))
    email = normaliser_email(email)
    if collectif.referents.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["Cette personne est déjà référente du collectif."]})
    referent = personne(acteur)
    assert referent is not None  # can_modifier_collectif lets only logged-in référents through
    invitation = InvitationReferent.objects.create(collectif=collectif, email=email, invite_par=referent)
    transaction.on_commit(lambda: envoyer_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic(durable=True)
def invitation_accepter(*, acteur: Acteur, invitation: InvitationReferent) -> Collectif:
    """The invited person, logged in with the invited e-mail, becomes a référent."""
    if not connecte(acteur):
        raise PermissionDenied(REFUS)
    invitation = InvitationReferent.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.acceptee_le is not None:
        raise ValidationError("Cette invitation a déjà été utilisée.")
    if normaliser_email(acteur.email) != invitation.email:
        raise PermissionDenied(
            f"Cette invitation est adressée à {invitation.email} : connectez-vous avec cette adresse."
        )
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    invitation.collectif.referents.add(acteur)
    return invitation.collectif


@dataclass(frozen=True)
class DonneesConsentement:
    """R10, R20: who agreed that someone else enters data on their behalf, how and when."""

    pour_le_compte_de: str
    mode: str
    recueilli_le: date
    precision: str = ""
    membre: Membre | None = None


def consentement_enregistrer(*, acteur: Acteur, collectif: Collectif, donnees: DonneesConsentement) -> Consentement:
    """R10, R20: record the consent of a proxy entry, in the caller's transaction (the entry and its consent land
    together). A référent or the collectif's accompagnateur only; the consent is dated, never in the future, and
    says how it was given (« autre » is described)."""
    exiger(permissions.can_saisir_pour_le_compte(acteur, collectif))
    saisi_par = personne(acteur)
    assert saisi_par is not None  # the predicate lets only logged-in users through
    erreurs: dict[str, list[str]] = {}
    nom = donnees.pour_le_compte_de.strip() or (
        f"{donnees.membre.prenom} {donnees.membre.nom}" if donnees.membre else ""
    )
    if not nom:
        erreurs["pour_le_compte_de"] = ["Indiquez pour le compte de qui vous saisissez."]
    elif len(nom) > 200:
        erreurs["pour_le_compte_de"] = ["200 caractères au plus."]
    if donnees.membre is not None and donnees.membre.collectif_id != collectif.pk:
        erreurs["pour_le_compte_de"] = ["Cette personne n'est pas membre du collectif."]
    if donnees.mode not in ModeConsentement.values:
        erreurs["mode"] = ["Indiquez comment la personne a donné son accord."]
    elif donnees.mode == ModeConsentement.AUTRE and not donnees.precision.strip():
        erreurs["precision"] = ["Précisez comment la personne a donné son accord."]
    if len(donnees.precision.strip()) > 200:
        erreurs["precision"] = ["200 caractères au plus."]
    if donnees.recueilli_le > timezone.localdate():
        erreurs["recueilli_le"] = ["L'accord ne peut pas avoir été recueilli dans le futur."]
    if erreurs:
        raise ValidationError(erreurs)
    return Consentement.objects.create(
        collectif=collectif,
        membre=donnees.membre,
        pour_le_compte_de=nom,
        mode=donnees.mode,
        precision=donnees.precision.strip(),
        recueilli_le=donnees.recueilli_le,
        saisi_par=saisi_par,
    )
