"""R9: secondment of professional members. A référent requests the secondment of a PROFESSIONNEL member whose
employer is one of the collectif's originating institutions: a quotité within the campaign's cap (counting every
overlapping secondment of the same person with the same employer), a period within the collectif's active
convention, and a mandatory continuity-of-service plan. The employer is invited by e-mail (an `employeur` login
scoped to its organisation), acknowledges before the start or declines with a reason; the acknowledgement issues
the numbered Convention de mise à disposition after commit. Lock order: the employer's organisation (it serialises
the cap check of every person it employs), then the secondment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from collectifs.enums import College
from collectifs.models import Collectif, Membre, Organisation
from comptes.models import Acteur, normaliser_email, personne
from comptes.permissions import connecte
from core.dates import en_clair
from core.permissions import REFUS, exiger
from fonds import permissions, tasks
from fonds.enums import CONVENTION_EN_COURS, EtatMiseADisposition
from fonds.models import AccesEmployeur, Convention, MiseADisposition
from fonds.models.mises_a_disposition import ETATS_ACTIFS, LONGUEUR_MOTIF_REFUS, LONGUEUR_PLAN_CONTINUITE
from journal.fsm import transition_appliquer


def _pourcent(valeur: Decimal) -> str:
    return f"{valeur.normalize():f} %".replace(".", ",")


@dataclass(frozen=True)
class DonneesMiseADisposition:
    """A secondment request as typed by a référent."""

    membre: Membre
    quotite: Decimal
    date_debut: date
    date_fin: date
    plan_continuite: str
    email_employeur: str


def convention_du_collectif(collectif: Collectif) -> Convention | None:
    """R9: the collectif's convention in progress (the latest one not cancelled nor closed), or None."""
    return (
        Convention.objects.select_related("campagne")
        .filter(declaration__collectif=collectif, etat__in=CONVENTION_EN_COURS)
        .order_by("-date_debut", "-pk")
        .first()
    )


def quotite_engagee(
    membre: Membre, employeur_id: int, date_debut: date, date_fin: date, *, sauf: int | None = None
) -> Decimal:
    """R9: the total quotité of the same person's secondments by the same employer (in any collectif) that overlap
    the period and are requested or acknowledged."""
    qs = MiseADisposition.objects.filter(
        membre__cle=membre.cle,
        employeur_id=employeur_id,
        etat__in=ETATS_ACTIFS,
        date_debut__lte=date_fin,
        date_fin__gte=date_debut,
    )
    if sauf is not None:
        qs = qs.exclude(pk=sauf)
    return qs.aggregate(total=Coalesce(Sum("quotite"), Decimal("0")))["total"]


def _verifier(collectif: Collectif, donnees: DonneesMiseADisposition, convention: Convention | None) -> None:
    """R9: every rule of the request, with the errors keyed by field."""
    erreurs: dict[str, list[str]] = {}
    membre = donnees.membre
    if membre.collectif_id != collectif.pk:
        erreurs["membre"] = ["Cette personne n'est pas membre du collectif."]
    elif membre.college != College.PROFESSIONNEL:
        erreurs["membre"] = [
            "Seul·e un·e membre du collège des professionnel·les peut être mis·e à disposition "
            f"({membre} est au collège « {membre.get_college_display()} »)."
        ]
    elif membre.organisation_id is None:
        erreurs["membre"] = [f"L'employeur de {membre} n'est pas renseigné : complétez sa fiche de membre."]
    elif not collectif.institutions_origine.filter(pk=membre.organisation_id).exists():
        erreurs["membre"] = [
            f"L'employeur de {membre} ({membre.organisation}) n'est pas une institution d'origine du collectif : "
            "seule une institution d'origine peut mettre une personne à disposition."
        ]
    if convention is None:
        erreurs.setdefault("membre", []).append(
            "Le collectif n'a pas de convention de financement en cours : une mise à disposition se fait dans la "
            "période de la convention."
        )
    quotite = donnees.quotite
    plafond = convention.campagne.plafond_mise_a_disposition if convention and convention.campagne else None
    if quotite is None or quotite <= 0:
        erreurs["quotite"] = ["Indiquez la quotité, en pourcentage du temps de travail (plus de 0 %)."]
    elif plafond is not None and quotite > plafond:
        erreurs["quotite"] = [f"La quotité ne peut pas dépasser le plafond de la campagne : {_pourcent(plafond)}."]
    if donnees.date_fin < donnees.date_debut:
        erreurs["date_fin"] = ["La fin de la mise à disposition suit son début."]
    elif convention is not None and (
        donnees.date_debut < convention.date_debut or donnees.date_fin > convention.date_fin
    ):
        erreurs["date_debut"] = [
            f"La période doit être comprise dans celle de la convention, du {en_clair(convention.date_debut)} au "
            f"{en_clair(convention.date_fin)}."
        ]
    elif donnees.date_debut <= timezone.localdate():
        erreurs["date_debut"] = [
            "La mise à disposition commence après la prise d'acte de l'employeur : choisissez un début à venir."
        ]
    plan = donnees.plan_continuite.strip()
    if not plan:
        erreurs["plan_continuite"] = [
            "Le plan de continuité du service est obligatoire : indiquez qui assure le service d'origine pendant "
            "la mise à disposition."
        ]
    elif len(plan) > LONGUEUR_PLAN_CONTINUITE:
        erreurs["plan_continuite"] = [f"{LONGUEUR_PLAN_CONTINUITE} caractères au plus."]
    if not donnees.email_employeur.strip():
        erreurs["email_employeur"] = ["Indiquez l'adresse du contact de l'employeur (ressources humaines)."]
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic(durable=True)
def mise_a_disposition_demander(
    *, acteur: Acteur, collectif: Collectif, donnees: DonneesMiseADisposition
) -> MiseADisposition:
    """R9: a référent requests a secondment. The rules are checked with the employer's organisation locked, so two
    requests for the same person never exceed the cap together. The employer's contact is invited (or, once it
    has a login, told) by e-mail after commit."""
    exiger(permissions.can_demander_mise_a_disposition(acteur, collectif))
    convention = convention_du_collectif(collectif)
    _verifier(collectif, donnees, convention)
    assert convention is not None  # _verifier refuses a request without a convention
    membre = donnees.membre
    assert membre.organisation_id is not None  # _verifier refuses a member without an employer
    employeur = Organisation.objects.select_for_update().get(pk=membre.organisation_id)
    plafond = convention.campagne.plafond_mise_a_disposition if convention.campagne else Decimal("100")
    deja = quotite_engagee(membre, employeur.pk, donnees.date_debut, donnees.date_fin)
    if deja + donnees.quotite > plafond:
        raise ValidationError(
            {
                "quotite": [
                    f"{membre} est déjà mis·e à disposition à {_pourcent(deja)} sur une période qui chevauche "
                    f"celle-ci : avec {_pourcent(donnees.quotite)} de plus, le plafond de {_pourcent(plafond)} "
                    "serait dépassé."
                ]
            }
        )
    email = normaliser_email(donnees.email_employeur)
    demandeur = personne(acteur)
    assert demandeur is not None  # can_demander_mise_a_disposition lets only logged-in référents through
    mise = MiseADisposition(
        collectif=collectif,
        convention=convention,
        membre=membre,
        employeur=employeur,
        quotite=donnees.quotite,
        date_debut=donnees.date_debut,
        date_fin=donnees.date_fin,
        plan_continuite=donnees.plan_continuite.strip(),
        email_employeur=email,
        demandee_par=demandeur,
    )
    try:
        mise.full_clean(exclude=["etat", "demandee_par"], validate_constraints=False)
    except ValidationError as erreur:
        raise ValidationError(erreur.message_dict) from erreur
    mise.save()
    acces = AccesEmployeur.objects.filter(organisation=employeur, email=email).order_by("-pk").first()
    if acces is None:
        acces = AccesEmployeur.objects.create(organisation=employeur, email=email, invite_par=demandeur)
    transaction.on_commit(partial(tasks.envoyer_demande_employeur.enqueue, mise.pk, acces.pk))
    return mise


@transaction.atomic(durable=True)
def acces_employeur_accepter(*, acteur: Acteur, acces: AccesEmployeur) -> Organisation:
    """R9: the invited HR contact, logged in with the invited e-mail, accepts once: the account becomes the
    employer's login of that organisation. An account answers for one employer at most."""
    if not connecte(acteur):
        raise PermissionDenied(REFUS)
    acces = AccesEmployeur.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=acces.pk)
    if acces.accepte_le is not None:
        raise ValidationError("Cette invitation a déjà été utilisée.")
    if normaliser_email(acteur.email) != normaliser_email(acces.email):
        raise ValidationError(
            f"Cette invitation est adressée à {acces.email} : connectez-vous avec cette adresse pour l'accepter."
        )
    existant = AccesEmployeur.objects.filter(utilisateur=acteur).first()
    if existant is not None:
        raise ValidationError(
            f"Votre compte répond déjà pour l'employeur {existant.organisation} : un compte ne répond que pour un "
            "employeur."
        )
    acces.utilisateur = acteur
    acces.accepte_le = timezone.now()
    acces.save(update_fields=["utilisateur", "accepte_le"])
    return acces.organisation


def _verrouiller(mise: MiseADisposition) -> MiseADisposition:
    return (
        MiseADisposition.objects.select_for_update(of=("self",))
        .select_related("collectif", "membre", "employeur", "convention")
        .get(pk=mise.pk)
    )


@transaction.atomic(durable=True)
def mise_a_disposition_prendre_acte(*, acteur: Acteur, mise: MiseADisposition) -> MiseADisposition:
    """R9: the employer acknowledges the secondment and its continuity plan, before the start (the first day at the
    latest): it is then in force from its start date, and the numbered Convention de mise à disposition is issued
    after commit. An acknowledgement after the start is refused: the collectif requests a new period."""
    mise = _verrouiller(mise)
    exiger(permissions.can_repondre_mise_a_disposition(acteur, mise))
    if mise.etat != EtatMiseADisposition.DEMANDEE:
        raise ValidationError(f"Cette mise à disposition n'attend plus de réponse ({mise.get_etat_display()}).")
    if not mise.avant_le_debut():
        raise ValidationError(
            f"La mise à disposition devait commencer le {en_clair(mise.date_debut)} : l'employeur en prend acte avant "
            "son début. Le collectif doit demander une nouvelle période."
        )
    mise.reponse_par = personne(acteur)
    transition_appliquer(
        mise,
        "prendre_acte",
        acteur=acteur,
        commentaire="Prise d'acte de l'employeur.",
        update_fields=["reponse_par", "reponse_le"],
    )
    transaction.on_commit(partial(tasks.emettre_convention_mise_a_disposition.enqueue, mise.pk))
    return mise


@transaction.atomic(durable=True)
def mise_a_disposition_decliner(*, acteur: Acteur, mise: MiseADisposition, motif: str) -> MiseADisposition:
    """R9: the employer declines the secondment, with a reason shown to the collectif."""
    mise = _verrouiller(mise)
    exiger(permissions.can_repondre_mise_a_disposition(acteur, mise))
    if mise.etat != EtatMiseADisposition.DEMANDEE:
        raise ValidationError(f"Cette mise à disposition n'attend plus de réponse ({mise.get_etat_display()}).")
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": ["Indiquez le motif du refus."]})
    if len(motif) > LONGUEUR_MOTIF_REFUS:
        raise ValidationError({"motif": [f"{LONGUEUR_MOTIF_REFUS} caractères au plus."]})
    mise.motif_refus = motif
    mise.reponse_par = personne(acteur)
    transition_appliquer(
        mise,
        "decliner",
        acteur=acteur,
        commentaire=motif,
        update_fields=["motif_refus", "reponse_par", "reponse_le"],
    )
    return mise


@transaction.atomic(durable=True)
def mise_a_disposition_annuler(*, acteur: Acteur, mise: MiseADisposition) -> MiseADisposition:
    """R9: a référent withdraws the request before the employer answered."""
    mise = _verrouiller(mise)
    exiger(permissions.can_annuler_mise_a_disposition(acteur, mise))
    if mise.etat != EtatMiseADisposition.DEMANDEE:
        raise ValidationError(f"Cette mise à disposition ne peut plus être annulée ({mise.get_etat_display()}).")
    transition_appliquer(mise, "annuler", acteur=acteur, commentaire="Demande retirée par le collectif.")
    return mise
