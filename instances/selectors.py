"""Reads of the instances app, scoped to a user: the instances and séances a user sees, the presidency and its
rotation order (R6), the agenda, quorum, votes and places left (R5), the accompagnateurs' registry and the
current accompagnement (R10), the documents of a declaration's file, and the séances' documents still to issue."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Consentement, Declaration, DemandeComplements
from collectifs.permissions import can_voir_echanges_instruction
from comptes.models import Acteur, Instructeur
from comptes.permissions import connecte, est_equipe_nationale
from documents.enums import TypeDocument
from documents.models import Document
from fonds.documents import documents_des_conventions
from fonds.enums import EtatConvention
from fonds.selectors.visibilite import conventions_visibles
from instances.deliberation import Quorum, ResultatVote, calculer_quorum, compter_votes
from instances.enums import EtatSeance
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    EntreeJournal,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Presidence,
    Seance,
)


class Accompagnement(TypedDict):
    """R10: who accompanies a collectif now, and since when (both None when nobody does)."""

    accompagnateur: Accompagnateur | None
    affecte_le: datetime | None


def instance_visible_to(user: Acteur) -> QuerySet[InstanceDepartementale]:
    """Instances a user may see: national staff all; instructeurs their départements'; members their own."""
    qs = InstanceDepartementale.objects.select_related("departement")
    if not connecte(user):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    return qs.filter(Q(departement__instructeurs__user=user) | Q(membres__user=user, membres__actif=True)).distinct()


def seance_visible_to(user: Acteur) -> QuerySet[Seance]:
    """Séances of the instances the user may see."""
    return Seance.objects.filter(instance__in=instance_visible_to(user)).select_related(
        "instance__departement", "campagne", "president"
    )


def presidence_en_cours(instance: InstanceDepartementale) -> Presidence | None:
    return instance.presidences.filter(fin__isnull=True).select_related("membre").first()


def presidence_suivante_proposee(instance: InstanceDepartementale) -> MembreInstance | None:
    """R6: the next active member in rotation order after the current president, wrapping around."""
    membres = list(instance.membres.filter(actif=True).order_by("rang_rotation"))
    if not membres:
        return None
    courante = presidence_en_cours(instance)
    if courante is None:
        return membres[0]
    suivants = [m for m in membres if m.rang_rotation > courante.membre.rang_rotation]
    return suivants[0] if suivants else membres[0]


def points_de(seance: Seance) -> QuerySet[PointOrdreDuJour]:
    """The agenda, in order, with what the séance page shows per point (constant number of queries)."""
    return (
        seance.points.select_related("declaration__collectif", "declaration__campagne", "declaration__convention")
        .prefetch_related("votes__membre", "conflits__membre")
        .order_by("rang")
    )


def place_occupee(prefixe: str = "") -> Q:
    """R5: a declaration that takes one of its campaign's places: accepted (but not when its convention was
    cancelled before its first payment, R7), or waitlisted and already put back on an agenda. `prefixe` reaches
    the declaration from another model (e.g. "declarations__" from a campaign)."""
    return (
        Q(**{f"{prefixe}etat": EtatDeclaration.AGREEE}) & ~Q(**{f"{prefixe}convention__etat": EtatConvention.ANNULEE})
    ) | Q(**{f"{prefixe}etat": EtatDeclaration.INSCRITE_EN_SEANCE, f"{prefixe}promue_le__isnull": False})


def places_restantes(campagne: Campagne) -> int:
    """R5: quota minus the declarations that take a place (`place_occupee`)."""
    return max(campagne.quota - campagne.declarations.filter(place_occupee()).count(), 0)


class ContactDepartement(TypedDict):
    """Who a collectif asks for help (« Besoin d'aide ? »): the instance's secretariat when it gave a contact,
    else the département's instructeurs (their names and e-mails)."""

    departement: str
    email: str
    telephone: str
    horaires: str
    instructeurs: list[tuple[str, str]]


def contact_du_departement(departement_code: str) -> ContactDepartement:
    """The département's help contact, in at most two queries (the instance, then its instructeurs if needed)."""
    instance = (
        InstanceDepartementale.objects.filter(departement_id=departement_code).select_related("departement").first()
    )
    if instance is not None and (instance.contact_email or instance.contact_telephone):
        return ContactDepartement(
            departement=str(instance.departement),
            email=instance.contact_email,
            telephone=instance.contact_telephone,
            horaires=instance.contact_horaires,
            instructeurs=[],
        )
    instructeurs = [
        (i.user.nom_complet or i.user.email, i.user.email)
        for i in Instructeur.objects.filter(departements=departement_code, user__is_active=True)
        .select_related("user")
        .order_by("user__nom", "user__prenom")
    ]
    return ContactDepartement(
        departement=str(instance.departement) if instance else departement_code,
        email="",
        telephone="",
        horaires="",
        instructeurs=instructeurs,
    )


def accompagnateurs_disponibles(departement_code: str) -> QuerySet[Accompagnateur]:
    """R10: the département's registry of active accompagnateurs."""
    return Accompagnateur.objects.filter(departement_id=departement_code, actif=True).order_by("nom", "prenom")


def accompagnement_en_cours(collectif: Collectif) -> Accompagnement:
    """R10: the collectif's current accompagnateur and since when, or None for both."""
    affectation = (
        AffectationAccompagnateur.objects.filter(collectif=collectif, fin__isnull=True)
        .select_related("accompagnateur")
        .first()
    )
    if affectation is None:
        return Accompagnement(accompagnateur=None, affecte_le=None)
    return Accompagnement(accompagnateur=affectation.accompagnateur, affecte_le=affectation.affecte_le)


def _du_modele(modele: type[models.Model]) -> dict[str, str]:
    return {"content_type__app_label": modele._meta.app_label, "content_type__model": modele._meta.model_name or ""}


def documents_de_la_declaration(declaration: Declaration, *, echanges_instruction: bool = True) -> QuerySet[Document]:
    """The documents of a declaration's file, oldest first: its récépissé, the PDF of each request for more
    (objet: the DemandeComplements) and of each decision (objet: the agenda point). Not the séance's minutes,
    which speak of other collectifs. Without ``echanges_instruction``, not the requests for more (what the
    instance's members see, SPEC §2). The caller has checked that the user sees the declaration."""
    # The content types are matched by name in the query, not looked up: the count of queries does not depend on
    # the state of ContentType's cache.
    documents = Document.objects.filter(
        Q(type=TypeDocument.RECEPISSE, object_id=declaration.pk, **_du_modele(Declaration))
        | Q(
            type=TypeDocument.DEMANDE_COMPLEMENTS,
            object_id__in=DemandeComplements.objects.filter(declaration=declaration).values("pk"),
            **_du_modele(DemandeComplements),
        )
        | Q(
            type=TypeDocument.DECISION,
            object_id__in=PointOrdreDuJour.objects.filter(declaration=declaration).values("pk"),
            **_du_modele(PointOrdreDuJour),
        )
    ).order_by("emis_le", "pk")
    return documents if echanges_instruction else documents.exclude(type=TypeDocument.DEMANDE_COMPLEMENTS)


def documents_visibles_de_la_declaration(user: Acteur, declaration: Declaration) -> QuerySet[Document]:
    """The documents of the declaration's file that this user sees: all of them for those who follow the
    instruction (collectifs.permissions.can_voir_echanges_instruction); the instance's members see the file
    and the decisions, not the requests for more (SPEC §2). The caller has checked that the user sees the
    declaration. Plus, for those who read its convention (fonds.permissions.can_voir_convention: instructeurs,
    national staff, référents), the convention and its attestations of payment, without a query more."""
    documents = documents_de_la_declaration(
        declaration, echanges_instruction=can_voir_echanges_instruction(user, declaration)
    )
    return documents | documents_des_conventions(conventions_visibles(user).filter(declaration=declaration))


def quorum_de(seance: Seance) -> Quorum:
    """R5: present voting members against all active voting members of the instance."""
    votants = seance.instance.membres.filter(actif=True, votant=True)
    return calculer_quorum(
        votants=votants.count(),
        presents=seance.presents.filter(actif=True, votant=True).count(),
        fraction=seance.instance.quorum_fraction,
    )


def resultat_de(point: PointOrdreDuJour) -> ResultatVote:
    return compter_votes(point.votes.values_list("choix", flat=True))


def points_ajournes(seance: Seance) -> QuerySet[PointOrdreDuJour]:
    """R5: the points a closed séance could not decide because no vote was cast on them (not those withdrawn):
    their declaration is still « inscrite en séance » and goes back on the next séance's agenda."""
    if seance.etat != EtatSeance.CLOSE:
        return seance.points.none()
    return (
        seance.points.filter(resultat="", declaration__etat=EtatDeclaration.INSCRITE_EN_SEANCE)
        .select_related("declaration__collectif")
        .order_by("rang")
    )


def _document_de(type_document: str, modele: type[Seance] | type[PointOrdreDuJour]) -> Exists:
    return Exists(
        Document.objects.filter(
            type=type_document,
            content_type=ContentType.objects.get_for_model(modele),
            object_id=OuterRef("pk"),
        )
    )


def points_sans_decision() -> QuerySet[PointOrdreDuJour]:
    """R5: decided points of closed séances whose decision PDF has not been issued (yet)."""
    return (
        PointOrdreDuJour.objects.filter(seance__etat=EtatSeance.CLOSE)
        .exclude(resultat="")
        .exclude(_document_de(TypeDocument.DECISION, PointOrdreDuJour))
        .select_related("declaration__collectif", "seance")
        .order_by("seance__date", "seance_id", "rang")
    )


def seances_documents_manquants() -> QuerySet[Seance]:
    """R5: closed séances missing their procès-verbal or the decision of one of their decided points, oldest
    first. Every decision produces a PDF and every séance its minutes; a job that died leaves them missing."""
    return (
        Seance.objects.filter(etat=EtatSeance.CLOSE)
        .filter(
            ~_document_de(TypeDocument.PROCES_VERBAL, Seance) | Q(pk__in=points_sans_decision().values("seance_id"))
        )
        .select_related("instance__departement", "campagne")
        .order_by("cloturee_le", "pk")
    )


def documents_manquants(seance: Seance) -> list[str]:
    """R5: what a closed séance still lacks, in French: its procès-verbal and the decision of each decided
    point without one. Empty for a séance that is not closed (nothing is due yet)."""
    if seance.etat != EtatSeance.CLOSE:
        return []
    manquants = [
        f"Décision concernant {point.declaration.collectif}" for point in points_sans_decision().filter(seance=seance)
    ]
    if not Document.objects.filter(
        type=TypeDocument.PROCES_VERBAL,
        content_type=ContentType.objects.get_for_model(Seance),
        object_id=seance.pk,
    ).exists():
        manquants.insert(0, "Procès-verbal de la séance")
    return manquants


# ---------------------------------------------------------------------------------------------------------------
# The research-action journal and the proxy entries (R10, R20)


def collectifs_du_journal_visible_to(user: Acteur) -> QuerySet[Collectif]:
    """R10: the collectifs whose journal the user reads (the rule of permissions.can_voir_journal): their
    référents, their current accompagnateur, the département's instructeurs, national staff. One primary-key
    subquery per role, united."""
    qs = Collectif.objects.select_related("departement")
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    branches = [
        Collectif.objects.filter(referents=user),
        Collectif.objects.filter(affectations__fin__isnull=True, affectations__accompagnateur__user=user),
        Collectif.objects.filter(departement__instructeurs__user=user),
    ]
    premier, *autres = (b.order_by().values("pk") for b in branches)
    return qs.filter(pk__in=premier.union(*autres))


def journal_du_collectif(collectif: Collectif) -> QuerySet[EntreeJournal]:
    """R10: the collectif's journal entries, newest first, with their author."""
    return collectif.entrees_journal.select_related("accompagnateur", "auteur").order_by("-date", "-cree_le", "-pk")


def entrees_journal_visibles(user: Acteur) -> QuerySet[EntreeJournal]:
    """R10: the journal entries of every collectif whose journal the user reads."""
    return EntreeJournal.objects.filter(collectif__in=collectifs_du_journal_visible_to(user).values("pk"))


def saisies_pour_autrui(collectif: Collectif) -> QuerySet[Consentement]:
    """R10, R20: the collectif's proxy entries, newest first: for whom, how they agreed, when, who typed."""
    return collectif.consentements.select_related("saisi_par", "membre").order_by("-saisi_le", "-pk")


def accompagnements_de(user: Acteur) -> QuerySet[AffectationAccompagnateur]:
    """R10: the accompagnateur's current assignments, for their dashboard, with the number of journal entries
    and proxy entries of each collectif and the date of the last entry."""
    if not connecte(user):
        return AffectationAccompagnateur.objects.none()
    entrees = EntreeJournal.objects.filter(collectif=OuterRef("collectif")).order_by()
    return (
        AffectationAccompagnateur.objects.filter(fin__isnull=True, accompagnateur__user=user)
        .select_related("collectif__departement", "accompagnateur")
        .annotate(
            nombre_entrees=models.Subquery(
                entrees.values("collectif").annotate(n=models.Count("pk")).values("n"),
                output_field=models.IntegerField(),
            ),
            derniere_entree=models.Subquery(entrees.order_by("-date").values("date")[:1]),
            nombre_saisies=models.Subquery(
                Consentement.objects.filter(collectif=OuterRef("collectif"))
                .order_by()
                .values("collectif")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            ),
        )
        .order_by("collectif__nom")
    )
