"""Writes of the declaration until it is filed, and its withdrawal: the draft's texts, its indicators, the
charter, the filing conditions, the filing itself with its récépissé, and the withdrawal.

Rules enforced here: R1 (composition, through `conditions_de_depot`), R2 (filing only when every condition
holds, within the campaign's window), R5 (a withdrawal after acceptance frees a place), R16 (the charter
accepted: version, date, person), R19 (nothing is deleted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation

from campagnes.models import Campagne
from campagnes.selectors import campagne_de_depot
from collectifs import permissions, signals
from collectifs.enums import College, EtatDeclaration, NatureIndicateur
from collectifs.models import NOMBRE_MAX_INDICATEURS, AdhesionCharte, Declaration, Indicateur
from collectifs.selectors import charte_courante, composition_du_collectif, membres_actuels
from collectifs.services.collectif import communes_hors_departement, message_communes_hors
from collectifs.tasks import notifier_depot
from comptes.models import Acteur, personne
from core.permissions import exiger
from documents.enums import TypeDocument
from documents.models import Document
from documents.reemission import Rendu
from documents.services import document_emettre
from journal.fsm import transition_appliquer

# Where each filing condition is fixed in the multi-step form (used to link errors to their step).
ETAPE_DE_LA_CONDITION = {
    "campagne": "recapitulatif",
    "membres": "membres",
    "adhesion_charte": "charte",
    "dynamique_preexistante": "projet",
    "additionnalite": "projet",
    "institutions_origine": "collectif",
    "codes_communes": "collectif",
}


@dataclass(frozen=True)
class DonneesIndicateur:
    libelle: str
    description: str = ""
    nature: str = NatureIndicateur.QUALITATIF


def date_fr(jour: date) -> str:
    """A date written out in French (« 3 mars 2027 »), for messages."""
    with translation.override("fr"):
        return formats.date_format(jour, "j F Y")


def _brouillon_modifiable(acteur: Acteur, declaration: Declaration) -> None:
    if declaration.etat not in (EtatDeclaration.BROUILLON, EtatDeclaration.A_COMPLETER):
        raise ValidationError("Cette déclaration est déposée : elle ne peut plus être modifiée.")
    exiger(permissions.can_modifier_declaration(acteur, declaration))


@transaction.atomic(durable=True)
def declaration_enregistrer(
    *, acteur: Acteur, declaration: Declaration, dynamique_preexistante: str, projet: str, additionnalite: str
) -> Declaration:
    """Save the draft's texts. A draft can be saved at any time, even incomplete (R2)."""
    _brouillon_modifiable(acteur, declaration)
    declaration.dynamique_preexistante = dynamique_preexistante.strip()
    declaration.projet = projet.strip()
    declaration.additionnalite = additionnalite.strip()
    declaration.modifiee_le = timezone.now()
    declaration.save(update_fields=["dynamique_preexistante", "projet", "additionnalite", "modifiee_le"])
    return declaration


@transaction.atomic(durable=True)
def indicateurs_enregistrer(
    *, acteur: Acteur, declaration: Declaration, indicateurs: list[DonneesIndicateur]
) -> list[Indicateur]:
    """Replace the draft's own indicators: at most 5, qualitative first (SPEC §3)."""
    _brouillon_modifiable(acteur, declaration)
    remplis = [i for i in indicateurs if i.libelle.strip()]
    if len(remplis) > NOMBRE_MAX_INDICATEURS:
        raise ValidationError(
            {
                "indicateurs": [
                    f"Un collectif définit au plus {NOMBRE_MAX_INDICATEURS} indicateurs ({len(remplis)} saisis)."
                ]
            }
        )
    for donnees in remplis:
        if donnees.nature not in NatureIndicateur.values:
            raise ValidationError({"indicateurs": [f"Nature d'indicateur inconnue : {donnees.nature}."]})
    # Qualitative first, then in the order typed (stable sort).
    remplis.sort(key=lambda i: i.nature != NatureIndicateur.QUALITATIF)
    declaration.indicateurs.all().delete()
    return Indicateur.objects.bulk_create(
        Indicateur(
            declaration=declaration,
            libelle=d.libelle.strip(),
            description=d.description.strip(),
            nature=d.nature,
            ordre=rang,
        )
        for rang, d in enumerate(remplis)
    )


@transaction.atomic(durable=True)
def charte_accepter(*, acteur: Acteur, declaration: Declaration) -> AdhesionCharte:
    """Record that this person accepts the current charter for the collectif (R16: version, date, person)."""
    _brouillon_modifiable(acteur, declaration)
    referent = personne(acteur)
    assert referent is not None  # can_modifier_declaration lets only logged-in référents through
    adhesion = AdhesionCharte.objects.create(
        charte=charte_courante(), collectif=declaration.collectif, personne=referent
    )
    declaration.adhesion_charte = adhesion
    declaration.save(update_fields=["adhesion_charte"])
    return adhesion


def conditions_de_depot(
    declaration: Declaration, campagne: Campagne | None, jour: date | None = None
) -> dict[str, list[str]]:
    """R2: every reason why this declaration cannot be filed today, keyed by field. Empty means it can."""
    jour = jour or timezone.localdate()
    collectif = declaration.collectif
    erreurs: dict[str, list[str]] = {}
    departement = collectif.departement
    if campagne is None or campagne.etat != "ouverte":
        annee = f" {campagne.annee}" if campagne is not None else ""
        erreurs["campagne"] = [
            f"Aucune campagne{annee} n'est ouverte dans le département {departement} : le dépôt n'est pas possible."
        ]
    elif not campagne.depot_possible_le(jour):
        erreurs["campagne"] = [
            f"Le dépôt des déclarations de la campagne {campagne.annee} est possible du "
            f"{date_fr(campagne.date_ouverture)} au {date_fr(campagne.date_cloture)}."
        ]
    elif campagne.departement_id != collectif.departement_id:
        erreurs["campagne"] = ["La campagne n'est pas celle du département du collectif."]
    elif (
        Declaration.objects.filter(collectif=collectif, campagne=campagne)
        .exclude(etat__in=[EtatDeclaration.BROUILLON, EtatDeclaration.RETIREE])
        .exclude(pk=declaration.pk)
        .exists()
    ):
        erreurs["campagne"] = [f"Le collectif a déjà une déclaration déposée pour la campagne {campagne.annee}."]
    composition = composition_du_collectif(collectif, campagne, jour)
    if not composition.est_conforme:
        erreurs["membres"] = [f"{m}." for m in composition.messages]
    adhesion = declaration.adhesion_charte
    if adhesion is None:
        erreurs["adhesion_charte"] = ["La charte des collectifs doit être acceptée."]
    elif adhesion.charte_id != charte_courante().pk:
        erreurs["adhesion_charte"] = ["La charte a changé depuis votre acceptation : acceptez la nouvelle version."]
    if not declaration.dynamique_preexistante.strip():
        erreurs["dynamique_preexistante"] = ["Décrivez la dynamique collaborative qui existe déjà entre vous."]
    if not declaration.additionnalite.strip():
        erreurs["additionnalite"] = ["Dites ce qui n'existerait pas sans le collectif."]
    if not collectif.institutions_origine.exists():
        erreurs["institutions_origine"] = ["Nommez au moins une institution d'origine du collectif."]
    hors = communes_hors_departement(collectif)
    if hors:
        erreurs["codes_communes"] = [message_communes_hors(collectif, hors)]
    return erreurs


def conditions_hors_calendrier(declaration: Declaration) -> dict[str, list[str]]:
    """R1/R2 checks of a filed declaration, against the campaign it was filed in: the filing window no
    longer matters (answer to a request for more, admissibility, the instruction task's controls)."""
    erreurs = conditions_de_depot(declaration, declaration.campagne)
    erreurs.pop("campagne", None)
    return erreurs


def contexte_recepisse(declaration: Declaration, jour: date) -> dict[str, object]:
    membres = list(
        membres_actuels(declaration.collectif, jour).select_related("organisation").order_by("nom", "prenom")
    )
    colleges = [
        {"libelle": label, "membres": [m for m in membres if m.college == value]} for value, label in College.choices
    ]
    return {
        "declaration": declaration,
        "collectif": declaration.collectif,
        "campagne": declaration.campagne,
        "colleges": colleges,
        "institutions": list(declaration.collectif.institutions_origine.all()),
        "indicateurs": list(declaration.indicateurs.all()),
        "charte": declaration.adhesion_charte.charte if declaration.adhesion_charte else None,
    }


def rendu_recepisse(declaration: Declaration, jour: date) -> Rendu:
    """The récépissé of `declaration`, listing the members of `jour` (the day it was filed)."""
    return Rendu(
        titre=f"Récépissé de déclaration — {declaration.collectif.nom}",
        template="documents/pdf/recepisse.html",
        contexte=contexte_recepisse(declaration, jour),
    )


@transaction.atomic(durable=True)
def declaration_deposer(*, acteur: Acteur, declaration: Declaration) -> Document:
    """R2: file the declaration when every condition holds; issue the numbered récépissé at once,
    journal the transition, and notify the département's instructeurs after commit."""
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif__departement", "adhesion_charte")
        .get(pk=declaration.pk)
    )
    exiger(permissions.can_deposer_declaration(acteur, declaration))
    if declaration.etat != EtatDeclaration.BROUILLON:
        raise ValidationError("Cette déclaration a déjà été déposée.")
    campagne = campagne_de_depot(declaration.collectif.departement)
    jour = timezone.localdate()
    erreurs = conditions_de_depot(declaration, campagne, jour)
    if erreurs:
        raise ValidationError(erreurs)
    assert campagne is not None  # guaranteed by conditions_de_depot
    declaration.campagne = campagne
    declaration.deposee_le = timezone.now()
    declaration.modifiee_le = declaration.deposee_le
    transition_appliquer(declaration, "deposer", acteur=acteur, update_fields=["campagne", "deposee_le", "modifiee_le"])
    rendu = rendu_recepisse(declaration, jour)
    document = document_emettre(
        acteur=acteur,
        type=TypeDocument.RECEPISSE,
        departement=declaration.collectif.departement_id,
        annee=campagne.annee,
        titre=rendu.titre,
        template=rendu.template,
        contexte=rendu.contexte,
        objet=declaration,
    )
    transaction.on_commit(lambda: notifier_depot.enqueue(declaration.pk))
    return document


@transaction.atomic(durable=True)
def declaration_retirer(*, acteur: Acteur, declaration: Declaration, motif: str) -> Declaration:
    """The collectif withdraws its filed declaration, with a reason (SPEC §5). Nothing is deleted (R19).

    Withdrawing after acceptance frees a place: `signals.place_liberee` tells the instance layer, which puts the
    first waitlisted declaration back on an agenda in this same transaction (R5)."""
    campagne_id = Declaration.objects.filter(pk=declaration.pk).values_list("campagne_id", flat=True).first()
    if campagne_id is not None:
        # Same lock order as the séance decisions (campaign, then declaration): no deadlock between them.
        Campagne.objects.select_for_update(of=("self",)).filter(pk=campagne_id).first()
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif", "campagne")
        .get(pk=declaration.pk)
    )
    exiger(permissions.can_retirer_declaration(acteur, declaration))
    if not motif.strip():
        raise ValidationError({"motif": ["Indiquez le motif du retrait."]})
    # An accepted declaration, or a waitlisted one put back on an agenda, holds a place (R5).
    libere_une_place = declaration.etat == EtatDeclaration.AGREEE or (
        declaration.etat == EtatDeclaration.INSCRITE_EN_SEANCE and declaration.promue_le is not None
    )
    declaration.motif_retrait = motif.strip()
    declaration.modifiee_le = timezone.now()
    declaration.promue_le = None
    transition_appliquer(
        declaration,
        "retirer",
        acteur=acteur,
        commentaire=declaration.motif_retrait,
        update_fields=["motif_retrait", "modifiee_le", "promue_le"],
    )
    if libere_une_place and declaration.campagne is not None:
        signals.place_liberee.send(
            sender=Declaration, campagne=declaration.campagne, declaration=declaration, acteur=acteur
        )
    return declaration
