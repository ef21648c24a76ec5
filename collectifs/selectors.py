"""Reads of the collectifs app, scoped to a user (hidden objects give 404)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.composition import ResultatComposition, Seuils, verifier_composition
from collectifs.enums import EtatDeclaration
from collectifs.models import Charte, Collectif, Declaration, DemandeComplements, InvitationReferent, Membre, Message
from comptes.models import Acteur
from comptes.permissions import connecte


def collectif_visible_to(user: Acteur) -> QuerySet[Collectif]:
    """Référents see their collectifs; instructeurs those of their départements with a filed declaration;
    national staff see all."""
    qs = Collectif.objects.select_related("departement")
    if not connecte(user):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    # Exists, not ~Q(declarations__etat=…): negating a multi-valued lookup would hide any collectif that
    # also has a draft, e.g. one that filed last year and opened a new draft.
    filed = Exists(Declaration.objects.filter(collectif=OuterRef("pk")).exclude(etat=EtatDeclaration.BROUILLON))
    return qs.filter(Q(referents=user) | (Q(departement__instructeurs__user=user) & filed)).distinct()


def collectifs_du_referent(user: Acteur) -> QuerySet[Collectif]:
    """The collectifs a user is référent of, with what their dashboard shows."""
    if not connecte(user):
        return Collectif.objects.none()
    return (
        Collectif.objects.filter(referents=user)
        .select_related("departement")
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("campagne").order_by("-cree_le"),
            )
        )
        .order_by("nom")
    )


def declaration_visible_to(user: Acteur) -> QuerySet[Declaration]:
    """Référents see their declarations; once filed: instructeurs of the département, national staff, the
    collectif's accompagnateur (R10) and the members of the département's instance. Drafts stay private."""
    qs = Declaration.objects.select_related(
        "collectif", "collectif__departement", "campagne", "adhesion_charte__charte"
    )
    if not connecte(user):
        return qs.none()
    referent = Q(collectif__referents=user)
    if user.est_equipe_nationale:
        return qs.filter(referent | ~Q(etat=EtatDeclaration.BROUILLON)).distinct()
    depose = ~Q(etat=EtatDeclaration.BROUILLON)
    personnel = (
        Q(collectif__departement__instructeurs__user=user)
        | Q(collectif__departement__instance__membres__user=user, collectif__departement__instance__membres__actif=True)
        | Q(collectif__affectations__accompagnateur__user=user, collectif__affectations__fin__isnull=True)
    )
    return qs.filter(referent | (depose & personnel)).distinct()


def declarations_a_instruire(user: Acteur) -> QuerySet[Declaration]:
    """Filed declarations of the départements the user instructs (national staff: all), oldest first."""
    if not connecte(user):
        return Declaration.objects.none()
    qs = Declaration.objects.exclude(etat=EtatDeclaration.BROUILLON).select_related(
        "collectif", "collectif__departement", "campagne"
    )
    if not user.est_equipe_nationale:
        qs = qs.filter(collectif__departement__instructeurs__user=user)
    return qs.order_by("deposee_le", "pk")


def membres_actuels(collectif: Collectif, jour: date | None = None) -> QuerySet[Membre]:
    """Members who count for R1: started, and end date not past."""
    jour = jour or timezone.localdate()
    return collectif.membres.filter(date_debut__lte=jour).filter(Q(date_fin__isnull=True) | Q(date_fin__gte=jour))


def membres_du_collectif(collectif: Collectif) -> QuerySet[Membre]:
    return collectif.membres.select_related("organisation").order_by("college", "nom", "prenom")


def seuils_de(campagne: Campagne | None) -> Seuils:
    """The composition thresholds of a campaign, or the defaults."""
    if campagne is None:
        return Seuils()
    return Seuils(campagne.seuil_elu_responsable, campagne.seuil_professionnel, campagne.seuil_habitant)


def composition_du_collectif(
    collectif: Collectif, campagne: Campagne | None = None, jour: date | None = None
) -> ResultatComposition:
    """R1 applied to the collectif's current members with the campaign's thresholds."""
    colleges = membres_actuels(collectif, jour).values_list("college", flat=True)
    return verifier_composition(list(colleges), seuils_de(campagne))


def charte_courante() -> Charte:
    """The latest charter version (R16)."""
    charte = Charte.objects.order_by("-version").first()
    if charte is None:
        raise Charte.DoesNotExist("Aucune charte n'est publiée.")
    return charte


def brouillon_du_collectif(collectif: Collectif) -> Declaration | None:
    return collectif.declarations.filter(etat=EtatDeclaration.BROUILLON).first()


def invitation_par_jeton(jeton: str) -> QuerySet[InvitationReferent]:
    return InvitationReferent.objects.filter(jeton=jeton, acceptee_le__isnull=True).select_related("collectif")


def demande_en_cours(declaration: Declaration) -> DemandeComplements | None:
    """The latest unanswered request for more (R4)."""
    return declaration.demandes_complements.filter(repondue_le__isnull=True).order_by("-demandee_le", "-pk").first()


def messages_de(declaration: Declaration) -> QuerySet[Message]:
    """The thread of a declaration, oldest first, with authors (the caller checks can_voir_messages)."""
    return declaration.messages.select_related("auteur", "parent").order_by("envoye_le", "pk")


def referents_emails(collectif: Collectif) -> list[str]:
    """Addresses of the collectif's active référents (notifications)."""
    return list(collectif.referents.filter(is_active=True).order_by("email").values_list("email", flat=True))


def financements_anterieurs(declaration: Declaration) -> QuerySet[Declaration]:
    """R17: earlier accepted declarations of other collectifs that share an originating institution or a
    commune with this one ("do not free the initiative of those who already have the most")."""
    collectif = declaration.collectif
    communes = collectif.liste_codes_communes
    meme_territoire = Q()
    for code in communes:
        meme_territoire |= Q(collectif__codes_communes__icontains=code)
    institutions = Q(collectif__institutions_origine__in=collectif.institutions_origine.all())
    critere = institutions | meme_territoire if communes else institutions
    return (
        Declaration.objects.filter(etat=EtatDeclaration.AGREEE)
        .filter(critere)
        .exclude(collectif=collectif)
        .select_related("collectif", "campagne")
        .distinct()
        .order_by("-deposee_le")
    )
