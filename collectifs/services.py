"""Writes of the collectifs app: collectif, members, draft, charter, filing and withdrawal (R1, R2, R16, R19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from campagnes.models import Campagne
from campagnes.selectors import campagne_de_depot
from collectifs import permissions, signals
from collectifs.enums import College, EtatDeclaration, NatureIndicateur
from collectifs.models import (
    NOMBRE_MAX_INDICATEURS,
    AdhesionCharte,
    Collectif,
    Declaration,
    DemandeComplements,
    Indicateur,
    InvitationReferent,
    Membre,
    Message,
    Organisation,
    cle_personne,
)
from collectifs.selectors import charte_courante, composition_du_collectif, membres_actuels
from collectifs.tasks import (
    envoyer_invitation,
    notifier_demande_complements,
    notifier_depot,
    notifier_message,
    notifier_reponse_complements,
)
from collectifs.validators import normaliser_rna, normaliser_siret, valider_codes_communes, valider_rna, valider_siret
from comptes.models import normaliser_email
from documents.enums import TypeDocument
from documents.models import Document
from documents.services import document_emettre
from journal.fsm import transition_appliquer
from territoires.models import Departement

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
class DonneesOrganisation:
    """An organisation as typed in a form: a name, and optionally SIRET or RNA."""

    nom: str
    siret: str = ""
    rna: str = ""


def _exiger(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("Vous n'avez pas le droit d'effectuer cette action.")


def _date_fr(jour: date) -> str:
    with translation.override("fr"):
        return formats.date_format(jour, "j F Y")


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


def _valider_collectif(collectif: Collectif) -> None:
    try:
        valider_codes_communes(collectif.codes_communes)
    except ValidationError as erreur:
        raise ValidationError({"codes_communes": erreur.messages}) from erreur
    hors = communes_hors_departement(collectif)
    if hors:
        raise ValidationError({"codes_communes": [message_communes_hors(collectif, hors)]})
    collectif.full_clean(exclude=["cree_par"])


def communes_hors_departement(collectif: Collectif) -> list[str]:
    """R2: the INSEE codes given that do not lie in the collectif's département."""
    return [c for c in collectif.liste_codes_communes if not collectif.departement.contient_commune(c)]


def message_communes_hors(collectif: Collectif, hors: list[str]) -> str:
    return f"Ces communes ne sont pas dans le département {collectif.departement} : {', '.join(hors)}."


@transaction.atomic(durable=True)
def collectif_creer(
    *,
    acteur: Any,
    nom: str,
    departement: Departement,
    territoire: str,
    codes_communes: str = "",
    institutions: list[DonneesOrganisation] | None = None,
) -> Collectif:
    """Create a collectif, make the creator its référent, and open its first draft declaration."""
    _exiger(bool(getattr(acteur, "is_authenticated", False)))
    collectif = Collectif(
        nom=nom.strip(), departement=departement, territoire=territoire.strip(), codes_communes=codes_communes.strip()
    )
    collectif.cree_par = acteur
    _valider_collectif(collectif)
    collectif.save()
    collectif.referents.add(acteur)
    _institutions(collectif, institutions or [])
    Declaration.objects.create(collectif=collectif, campagne=campagne_de_depot(departement))
    return collectif


@transaction.atomic(durable=True)
def collectif_modifier(
    *,
    acteur: Any,
    collectif: Collectif,
    nom: str,
    territoire: str,
    codes_communes: str = "",
    institutions: list[DonneesOrganisation] | None = None,
) -> Collectif:
    """Edit the collectif's description and originating institutions. The département is fixed at creation."""
    _exiger(permissions.can_modifier_collectif(acteur, collectif))
    collectif.nom, collectif.territoire, collectif.codes_communes = (
        nom.strip(),
        territoire.strip(),
        codes_communes.strip(),
    )
    _valider_collectif(collectif)
    collectif.save(update_fields=["nom", "territoire", "codes_communes"])
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
    try:
        membre.full_clean(exclude=["collectif", "organisation", "saisi_par", "cle"])
    except ValidationError as erreur:
        for champ, messages in erreur.message_dict.items():
            erreurs.setdefault(champ, []).extend(messages)
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic(durable=True)
def membre_ajouter(
    *,
    acteur: Any,
    collectif: Collectif,
    college: str,
    prenom: str,
    nom: str,
    consentement: bool,
    fonction: str = "",
    organisation: DonneesOrganisation | None = None,
    email: str = "",
    telephone: str = "",
    date_debut: date | None = None,
) -> Membre:
    """Add a person to one college (R1). The same person is refused twice; inhabitants need no e-mail (R20)."""
    _exiger(permissions.can_modifier_collectif(acteur, collectif))
    membre = Membre(
        collectif=collectif,
        college=college,
        prenom=prenom.strip(),
        nom=nom.strip(),
        cle=cle_personne(prenom, nom),
        fonction=fonction.strip(),
        email=normaliser_email(email) if email else "",
        telephone=telephone.strip(),
        date_debut=date_debut or timezone.localdate(),
        consentement=consentement,
        saisi_par=acteur,
    )
    _valider_membre(membre)
    if organisation is not None and organisation.nom.strip():
        membre.organisation = organisation_obtenir(collectif=collectif, donnees=organisation)
    membre.save()
    return membre


@transaction.atomic(durable=True)
def membre_modifier(
    *,
    acteur: Any,
    membre: Membre,
    college: str,
    prenom: str,
    nom: str,
    consentement: bool,
    fonction: str = "",
    organisation: DonneesOrganisation | None = None,
    email: str = "",
    telephone: str = "",
    date_debut: date | None = None,
    date_fin: date | None = None,
) -> Membre:
    """Correct a member's record, or end their membership with an end date (nothing is deleted, R19)."""
    _exiger(permissions.can_modifier_collectif(acteur, membre.collectif))
    membre.college, membre.prenom, membre.nom = college, prenom.strip(), nom.strip()
    membre.cle = cle_personne(prenom, nom)
    membre.fonction, membre.telephone = fonction.strip(), telephone.strip()
    membre.email = normaliser_email(email) if email else ""
    membre.date_debut = date_debut or membre.date_debut
    membre.date_fin = date_fin
    membre.consentement = consentement
    _valider_membre(membre)
    membre.organisation = (
        organisation_obtenir(collectif=membre.collectif, donnees=organisation)
        if organisation is not None and organisation.nom.strip()
        else None
    )
    membre.save()
    return membre


def _brouillon_modifiable(acteur: Any, declaration: Declaration) -> None:
    if declaration.etat not in (EtatDeclaration.BROUILLON, EtatDeclaration.A_COMPLETER):
        raise ValidationError("Cette déclaration est déposée : elle ne peut plus être modifiée.")
    _exiger(permissions.can_modifier_declaration(acteur, declaration))


@transaction.atomic(durable=True)
def declaration_enregistrer(
    *, acteur: Any, declaration: Declaration, dynamique_preexistante: str, projet: str, additionnalite: str
) -> Declaration:
    """Save the draft's texts. A draft can be saved at any time, even incomplete (R2)."""
    _brouillon_modifiable(acteur, declaration)
    declaration.dynamique_preexistante = dynamique_preexistante.strip()
    declaration.projet = projet.strip()
    declaration.additionnalite = additionnalite.strip()
    declaration.modifiee_le = timezone.now()
    declaration.save(update_fields=["dynamique_preexistante", "projet", "additionnalite", "modifiee_le"])
    return declaration


@dataclass(frozen=True)
class DonneesIndicateur:
    libelle: str
    description: str = ""
    nature: str = NatureIndicateur.QUALITATIF


@transaction.atomic(durable=True)
def indicateurs_enregistrer(
    *, acteur: Any, declaration: Declaration, indicateurs: list[DonneesIndicateur]
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
def charte_accepter(*, acteur: Any, declaration: Declaration) -> AdhesionCharte:
    """Record that this person accepts the current charter for the collectif (R16: version, date, person)."""
    _brouillon_modifiable(acteur, declaration)
    adhesion = AdhesionCharte.objects.create(charte=charte_courante(), collectif=declaration.collectif, personne=acteur)
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
            f"{_date_fr(campagne.date_ouverture)} au {_date_fr(campagne.date_cloture)}."
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


def _contexte_recepisse(declaration: Declaration, jour: date) -> dict[str, Any]:
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


@transaction.atomic(durable=True)
def declaration_deposer(*, acteur: Any, declaration: Declaration) -> Document:
    """R2: file the declaration when every condition holds; issue the numbered récépissé at once,
    journal the transition, and notify the département's instructeurs after commit."""
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif__departement", "adhesion_charte")
        .get(pk=declaration.pk)
    )
    _exiger(permissions.can_deposer_declaration(acteur, declaration))
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
    document = document_emettre(
        acteur=acteur,
        type=TypeDocument.RECEPISSE,
        departement=declaration.collectif.departement_id,
        annee=campagne.annee,
        titre=f"Récépissé de déclaration — {declaration.collectif.nom}",
        template="documents/pdf/recepisse.html",
        contexte=_contexte_recepisse(declaration, jour),
        objet=declaration,
    )
    transaction.on_commit(lambda: notifier_depot.enqueue(declaration.pk))
    return document


@transaction.atomic(durable=True)
def declaration_retirer(*, acteur: Any, declaration: Declaration, motif: str) -> Declaration:
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
    _exiger(permissions.can_retirer_declaration(acteur, declaration))
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
        signals.place_liberee.send(sender=Declaration, campagne=declaration.campagne, acteur=acteur)
    return declaration


def _verrouiller(declaration: Declaration) -> Declaration:
    return (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif__departement", "campagne", "adhesion_charte")
        .get(pk=declaration.pk)
    )


def _conditions_hors_calendrier(declaration: Declaration) -> dict[str, list[str]]:
    """R1/R2 checks that still hold after filing (the filing window no longer matters)."""
    erreurs = conditions_de_depot(declaration, declaration.campagne)
    erreurs.pop("campagne", None)
    return erreurs


@transaction.atomic(durable=True)
def declaration_instruire(*, acteur: Any, declaration: Declaration) -> Declaration:
    """R4: an instructeur of the département takes a filed declaration into instruction."""
    declaration = _verrouiller(declaration)
    _exiger(permissions.can_instruire_declaration(acteur, declaration))
    transition_appliquer(declaration, "instruire", acteur=acteur)
    return declaration


@transaction.atomic(durable=True)
def complements_demander(
    *, acteur: Any, declaration: Declaration, message: str, echeance: date | None = None
) -> DemandeComplements:
    """R4: ask the collectif for more, with a message and a deadline (default: the campaign's delay, 30 days).

    Issues the numbered « demande de compléments » PDF and tells the référents after commit."""
    declaration = _verrouiller(declaration)
    _exiger(permissions.can_instruire_declaration(acteur, declaration))
    if declaration.etat == EtatDeclaration.DEPOSEE:
        transition_appliquer(declaration, "instruire", acteur=acteur)
    aujourdhui = timezone.localdate()
    assert declaration.campagne is not None
    echeance = echeance or aujourdhui + timedelta(days=declaration.campagne.delai_complements_jours)
    erreurs: dict[str, list[str]] = {}
    if not message.strip():
        erreurs["message"] = ["Dites au collectif ce qui manque."]
    if echeance <= aujourdhui:
        erreurs["echeance"] = ["L'échéance doit être postérieure à aujourd'hui."]
    if erreurs:
        raise ValidationError(erreurs)
    demande = DemandeComplements.objects.create(
        declaration=declaration, message=message.strip(), echeance=echeance, demandee_par=acteur
    )
    transition_appliquer(declaration, "demander_complements", acteur=acteur, commentaire=demande.message)
    document_emettre(
        acteur=acteur,
        type=TypeDocument.DEMANDE_COMPLEMENTS,
        departement=declaration.collectif.departement_id,
        annee=declaration.campagne.annee,
        titre=f"Demande de compléments — {declaration.collectif.nom}",
        template="documents/pdf/demande_complements.html",
        contexte={"declaration": declaration, "collectif": declaration.collectif, "demande": demande},
        objet=demande,
    )
    transaction.on_commit(lambda: notifier_demande_complements.enqueue(demande.pk))
    return demande


@transaction.atomic(durable=True)
def complements_repondre(*, acteur: Any, declaration: Declaration, reponse: str) -> Declaration:
    """R4: the collectif answers and files again; instruction resumes. The R1/R2 checks must hold again."""
    declaration = _verrouiller(declaration)
    _exiger(permissions.can_repondre_complements(acteur, declaration))
    demande = declaration.demandes_complements.filter(repondue_le__isnull=True).order_by("-demandee_le").first()
    if declaration.etat != EtatDeclaration.A_COMPLETER or demande is None:
        raise ValidationError("Aucune demande de compléments n'attend de réponse.")
    if not reponse.strip():
        raise ValidationError({"reponse": ["Écrivez votre réponse à la demande."]})
    erreurs = _conditions_hors_calendrier(declaration)
    if erreurs:
        raise ValidationError(erreurs)
    demande.reponse, demande.repondue_par, demande.repondue_le = reponse.strip(), acteur, timezone.now()
    demande.save(update_fields=["reponse", "repondue_par", "repondue_le"])
    declaration.modifiee_le = demande.repondue_le
    transition_appliquer(
        declaration, "completer", acteur=acteur, commentaire=demande.reponse, update_fields=["modifiee_le"]
    )
    transaction.on_commit(lambda: notifier_reponse_complements.enqueue(demande.pk))
    return declaration


@transaction.atomic(durable=True)
def declaration_declarer_recevable(*, acteur: Any, declaration: Declaration) -> Declaration:
    """R4: admissible. The automatic R1/R2 checks must pass; they are never re-typed by the instructeur."""
    declaration = _verrouiller(declaration)
    _exiger(permissions.can_instruire_declaration(acteur, declaration))
    if declaration.etat == EtatDeclaration.DEPOSEE:
        transition_appliquer(declaration, "instruire", acteur=acteur)
    erreurs = _conditions_hors_calendrier(declaration)
    if erreurs:
        raise ValidationError(erreurs)
    transition_appliquer(declaration, "declarer_recevable", acteur=acteur)
    return declaration


@transaction.atomic(durable=True)
def declaration_classer_sans_suite(*, acteur: Any, declaration: Declaration, motifs: str) -> Declaration:
    """R4: without an answer after the deadline of the request for more, close it, with reasons."""
    declaration = _verrouiller(declaration)
    _exiger(permissions.can_instruire_declaration(acteur, declaration))
    demande = declaration.demandes_complements.filter(repondue_le__isnull=True).order_by("-demandee_le").first()
    if declaration.etat != EtatDeclaration.A_COMPLETER or demande is None:
        raise ValidationError("Seule une déclaration en attente de compléments peut être classée sans suite.")
    if not demande.est_expiree(timezone.localdate()):
        raise ValidationError(
            f"Le collectif peut encore répondre jusqu'au {_date_fr(demande.echeance)} : "
            "le classement sans suite n'est possible qu'après cette date."
        )
    if not motifs.strip():
        raise ValidationError({"motifs": ["Indiquez les motifs du classement sans suite."]})
    declaration.motifs_classement = motifs.strip()
    transition_appliquer(
        declaration,
        "classer_sans_suite",
        acteur=acteur,
        commentaire=declaration.motifs_classement,
        update_fields=["motifs_classement"],
    )
    return declaration


@transaction.atomic(durable=True)
def message_envoyer(*, acteur: Any, declaration: Declaration, texte: str, parent: Message | None = None) -> Message:
    """A message on the declaration's thread, between the collectif and the département's instructeurs.
    Read-only once the declaration is decided; the other side is told by e-mail after commit."""
    _exiger(permissions.can_voir_messages(acteur, declaration))
    if not permissions.can_ecrire_message(acteur, declaration):
        raise ValidationError("La déclaration est décidée : la messagerie est en lecture seule.")
    if not texte.strip():
        raise ValidationError({"texte": ["Écrivez votre message."]})
    if parent is not None and parent.declaration_id != declaration.pk:
        raise ValidationError({"parent": ["Ce message ne fait pas partie de cette déclaration."]})
    message = Message.objects.create(declaration=declaration, auteur=acteur, parent=parent, texte=texte.strip())
    transaction.on_commit(lambda: notifier_message.enqueue(message.pk))
    return message


@transaction.atomic(durable=True)
def referent_inviter(*, acteur: Any, collectif: Collectif, email: str) -> InvitationReferent:
    """A référent invites another person, by e-mail, to become a référent of the collectif."""
    _exiger(permissions.can_modifier_collectif(acteur, collectif))
    email = normaliser_email(email)
    if collectif.referents.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["Cette personne est déjà référente du collectif."]})
    invitation = InvitationReferent.objects.create(collectif=collectif, email=email, invite_par=acteur)
    transaction.on_commit(lambda: envoyer_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic(durable=True)
def invitation_accepter(*, acteur: Any, invitation: InvitationReferent) -> Collectif:
    """The invited person, logged in with the invited e-mail, becomes a référent."""
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
