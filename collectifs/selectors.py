"""Reads of the collectifs app, scoped to a user (hidden objects give 404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.composition import ResultatComposition, Seuils, verifier_composition
from collectifs.enums import EtatDeclaration
from collectifs.models import (
    Charte,
    Collectif,
    CommuneCollectif,
    Declaration,
    DemandeComplements,
    InvitationReferent,
    Membre,
    Message,
)
from comptes.models import Acteur
from comptes.permissions import connecte


def collectif_visible_to(user: Acteur) -> QuerySet[Collectif]:
    """Référents see their collectifs; instructeurs those of their départements with a filed declaration; the
    accompagnateur the collectifs currently assigned to them (R10); national staff see all.

    One primary-key subquery per role, united (no outer join, no DISTINCT over the wide row): each role's
    subquery starts from the user's own rows, so what an instructeur of one département costs does not depend
    on the other départements."""
    qs = Collectif.objects.select_related("departement")
    if not connecte(user):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    # Exists, not ~Q(declarations__etat=…): negating a multi-valued lookup would hide any collectif that
    # also has a draft, e.g. one that filed last year and opened a new draft.
    filed = Exists(Declaration.objects.filter(collectif=OuterRef("pk")).exclude(etat=EtatDeclaration.BROUILLON))
    referent = Collectif.objects.filter(referents=user)
    instructeur = Collectif.objects.filter(departement__instructeurs__user=user).filter(filed)
    accompagnateur = Collectif.objects.filter(affectations__fin__isnull=True, affectations__accompagnateur__user=user)
    return qs.filter(pk__in=_union_des_pks(referent, instructeur, accompagnateur))


def _union_des_pks(*querysets: QuerySet[Any]) -> QuerySet[Any]:
    """The primary keys of the querysets, as one UNION subquery (each branch unordered: SQLite refuses an
    ORDER BY inside a compound subquery)."""
    premier, *autres = (q.order_by().values("pk") for q in querysets)
    return premier.union(*autres)


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
    """Référents see their declarations; once filed: instructeurs of the département, national staff and the
    collectif's accompagnateur (R10); the members of an instance see a declaration once it is on the agenda of
    one of its séances (SPEC §2), through ``Declaration.points`` (collectifs does not import the instances
    models). Drafts stay private.

    One primary-key subquery per role, united, instead of OR-ing the roles across outer joins then DISTINCT
    over every column: each branch starts from the user's own rows (their départements, assignments,
    instances), so an instructeur of one département pays for that département only, and the paginator's COUNT
    is a plain count."""
    qs = Declaration.objects.select_related(
        "collectif", "collectif__departement", "campagne", "adhesion_charte__charte"
    )
    if not connecte(user):
        return qs.none()
    depose = ~Q(etat=EtatDeclaration.BROUILLON)
    referent = Declaration.objects.filter(collectif__referents=user)
    if user.est_equipe_nationale:
        return qs.filter(depose | Q(pk__in=referent.order_by().values("pk")))
    instructeur = Declaration.objects.filter(depose, collectif__departement__instructeurs__user=user)
    accompagnateur = Declaration.objects.filter(
        depose, collectif__affectations__accompagnateur__user=user, collectif__affectations__fin__isnull=True
    )
    membre_instance = Declaration.objects.filter(
        depose, points__seance__instance__membres__user=user, points__seance__instance__membres__actif=True
    )
    return qs.filter(pk__in=_union_des_pks(referent, instructeur, accompagnateur, membre_instance))


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
    return collectif.membres.select_related("organisation", "consentement_saisie__saisi_par").order_by(
        "college", "nom", "prenom"
    )


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
    commune with this one ("do not free the initiative of those who already have the most").

    The communes are matched on ``CommuneCollectif`` (indexed), not with a LIKE over every collectif's
    ``codes_communes``; the two criteria are a UNION of collectif ids, so no join and no DISTINCT."""
    collectif = declaration.collectif
    institutions = Collectif.institutions_origine.through.objects.filter(
        organisation_id__in=collectif.institutions_origine.through.objects.filter(collectif=collectif).values(
            "organisation_id"
        )
    ).values("collectif_id")
    communes = collectif.liste_codes_communes
    if communes:
        meme_territoire = CommuneCollectif.objects.filter(code_insee__in=communes).values("collectif_id")
        collectifs = institutions.union(meme_territoire)
    else:
        collectifs = institutions
    return (
        Declaration.objects.filter(etat=EtatDeclaration.AGREEE, collectif__in=collectifs)
        .exclude(collectif=collectif)
        .select_related("collectif", "campagne")
        .order_by("-deposee_le")
    )
