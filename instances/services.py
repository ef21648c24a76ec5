"""Writes of the instances app: the presidency (R6), the accompagnement (R10), séances and their decisions (R5).

R6: the presidency changes only by rotation, to the next active member, and the history is kept. R10: an
accompagnateur of the département's active registry, one at a time per collectif. R5: agenda in filing order,
attendance and quorum, conflicts of interest, votes by simple majority, reasoned refusals, agreements within
the quota and the envelope (the campaign row is locked), then the waiting list. Every service re-checks the
permission predicate the view already checked (core.permissions.exiger)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration
from comptes.models import Acteur, personne
from core.dates import bornes_seance, hors_bornes
from core.permissions import exiger
from fonds.services import (
    convention_creer_pour_agrement,
    message_reservation,
    montants_par_defaut,
    reservation_couvre,
    verifier_montants,
)
from instances import permissions
from instances.deliberation import Quorum, ResultatVote
from instances.enums import ChoixVote, EtatSeance, MotifRefus, ResultatPoint
from instances.equite import alertes_du_collectif
from instances.models import (
    LONGUEUR_MOTIFS_REFUS,
    Accompagnateur,
    AffectationAccompagnateur,
    ConflitInterets,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Presidence,
    Seance,
    Vote,
)
from instances.selectors import (
    documents_manquants,
    places_restantes,
    presidence_en_cours,
    presidence_suivante_proposee,
    quorum_de,
    resultat_de,
)
from instances.tasks import emettre_documents_seance, notifier_promotion
from journal.fsm import transition_appliquer

# ---------------------------------------------------------------------------------------------------------------
# Presidency (R6), facilitation (R10)
# ---------------------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def presidence_faire_tourner(*, acteur: Acteur, instance: InstanceDepartementale) -> Presidence:
    """R6: end the current term and give the presidency to the next member in rotation order.
    This is the only way the president changes; the history is kept."""
    instance = InstanceDepartementale.objects.select_for_update().get(pk=instance.pk)
    exiger(permissions.can_faire_tourner_presidence(acteur, instance))
    suivant = presidence_suivante_proposee(instance)
    if suivant is None:
        raise ValidationError("L'instance n'a aucun membre actif à qui confier la présidence.")
    aujourdhui = timezone.localdate()
    courante = presidence_en_cours(instance)
    if courante is not None:
        courante.fin = aujourdhui
        courante.save(update_fields=["fin"])
    return Presidence.objects.create(
        instance=instance,
        membre=suivant,
        debut=aujourdhui,
        fin_prevue=_ajouter_mois(aujourdhui, instance.duree_mandat_mois),
        designee_par=personne(acteur),
    )


def _ajouter_mois(jour: date, mois: int) -> date:
    annee, rang = divmod(jour.month - 1 + mois, 12)
    annee += jour.year
    mois_cible = rang + 1
    for jour_du_mois in (jour.day, 30, 29, 28):
        try:
            return jour.replace(year=annee, month=mois_cible, day=min(jour.day, jour_du_mois))
        except ValueError:
            continue
    raise ValueError(jour)  # unreachable: day 28 exists in every month


@transaction.atomic(durable=True)
def accompagnateur_affecter(
    *, acteur: Acteur, collectif: Collectif, accompagnateur: Accompagnateur
) -> AffectationAccompagnateur:
    """R10: assign one accompagnateur of the département's registry to the collectif (ends the previous one)."""
    exiger(permissions.can_affecter_accompagnateur(acteur, collectif.departement_id))
    if accompagnateur.departement_id != collectif.departement_id or not accompagnateur.actif:
        raise ValidationError(
            {"accompagnateur": ["Choisissez un·e accompagnateur·rice actif·ve du registre du département."]}
        )
    instructeur = personne(acteur)
    assert instructeur is not None  # can_affecter_accompagnateur lets only logged-in instructeurs through
    maintenant = timezone.now()
    AffectationAccompagnateur.objects.filter(collectif=collectif, fin__isnull=True).update(fin=maintenant)
    return AffectationAccompagnateur.objects.create(
        collectif=collectif, accompagnateur=accompagnateur, affecte_par=instructeur, affecte_le=maintenant
    )


# ---------------------------------------------------------------------------------------------------------------
# Séances and decisions (R5)
# ---------------------------------------------------------------------------------------------------------------


def _declarations_a_inscrire(campagne: Campagne) -> list[Declaration]:
    """Recevable declarations not yet on an open agenda, and those still « inscrite en séance » but on no open
    agenda: waitlisted ones put back after a place freed, and ones adjourned at a closed séance (no vote cast)."""
    deja_a_l_ordre_du_jour = PointOrdreDuJour.objects.filter(
        declaration=OuterRef("pk"), resultat="", seance__etat__in=[EtatSeance.PREPARATION, EtatSeance.EN_COURS]
    )
    return list(
        campagne.declarations.filter(etat__in=[EtatDeclaration.RECEVABLE, EtatDeclaration.INSCRITE_EN_SEANCE])
        .exclude(Exists(deja_a_l_ordre_du_jour))
        .order_by("deposee_le", "pk")
    )


def _inscrire(acteur: Acteur, seance: Seance, declaration: Declaration) -> PointOrdreDuJour:
    if declaration.campagne_id != seance.campagne_id:
        raise ValidationError("Cette déclaration relève d'une autre campagne.")
    if PointOrdreDuJour.objects.filter(
        declaration=declaration, resultat="", seance__etat__in=[EtatSeance.PREPARATION, EtatSeance.EN_COURS]
    ).exists():
        raise ValidationError(f"La déclaration de {declaration.collectif} est déjà à l'ordre du jour d'une séance.")
    if declaration.etat == EtatDeclaration.RECEVABLE:
        transition_appliquer(declaration, "inscrire_en_seance", acteur=acteur, verifier_permission=False)
    elif declaration.etat != EtatDeclaration.INSCRITE_EN_SEANCE:
        raise ValidationError(f"La déclaration de {declaration.collectif} n'est pas recevable.")
    rang = (seance.points.aggregate(m=Max("rang"))["m"] or 0) + 1
    return PointOrdreDuJour.objects.create(seance=seance, declaration=declaration, rang=rang)


@transaction.atomic(durable=True)
def seance_preparer(
    *,
    acteur: Acteur,
    instance: InstanceDepartementale,
    campagne: Campagne,
    date: datetime,
    lieu: str = "",
    convoques: list[MembreInstance] | None = None,
    declarations: list[Declaration] | None = None,
) -> Seance:
    """R5: a séance with its agenda (by default every recevable declaration, in filing order) and the
    members convened (by default all active members). Its date lies around the campaign's year (core.dates)."""
    if campagne.departement_id != instance.departement_id:
        raise ValidationError({"campagne": ["Cette campagne n'est pas celle du département de l'instance."]})
    if message := hors_bornes(
        timezone.localtime(date) if timezone.is_aware(date) else date, *bornes_seance(campagne.annee)
    ):
        raise ValidationError({"date": [message]})
    seance = Seance(instance=instance, campagne=campagne, date=date, lieu=lieu.strip())
    exiger(permissions.can_gerer_seance(acteur, seance))
    seance.save()
    seance.convoques.set(convoques if convoques is not None else instance.membres.filter(actif=True))
    a_inscrire = declarations if declarations is not None else _declarations_a_inscrire(campagne)
    for declaration in sorted(a_inscrire, key=lambda d: (d.deposee_le, d.pk)):
        _inscrire(acteur, seance, _verrouiller_declaration(declaration))
    return seance


def _verrouiller_declaration(declaration: Declaration) -> Declaration:
    return (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif", "campagne")
        .get(pk=declaration.pk)
    )


@transaction.atomic(durable=True)
def seance_inscrire(*, acteur: Acteur, seance: Seance, declaration: Declaration) -> PointOrdreDuJour:
    """Add one recevable declaration to a séance in preparation."""
    seance = Seance.objects.select_for_update(of=("self",)).select_related("instance").get(pk=seance.pk)
    exiger(permissions.can_gerer_seance(acteur, seance))
    if seance.etat != EtatSeance.PREPARATION:
        raise ValidationError("L'ordre du jour est arrêté : la séance a commencé.")
    return _inscrire(acteur, seance, _verrouiller_declaration(declaration))


@transaction.atomic(durable=True)
def seance_ouvrir(*, acteur: Acteur, seance: Seance) -> Seance:
    """The séance starts, chaired by the current president (R6)."""
    seance = Seance.objects.select_for_update(of=("self",)).select_related("instance").get(pk=seance.pk)
    exiger(permissions.can_gerer_seance(acteur, seance))
    courante = presidence_en_cours(seance.instance)
    seance.president = courante.membre if courante else None
    transition_appliquer(seance, "ouvrir", acteur=acteur, update_fields=["president"])
    return seance


def _seance_en_cours(acteur: Acteur, seance: Seance) -> Seance:
    seance = Seance.objects.select_for_update(of=("self",)).select_related("instance").get(pk=seance.pk)
    exiger(permissions.can_gerer_seance(acteur, seance))
    if seance.etat != EtatSeance.EN_COURS:
        raise ValidationError("La séance n'est pas en cours.")
    return seance


@transaction.atomic(durable=True)
def seance_enregistrer_presences(*, acteur: Acteur, seance: Seance, presents: list[MembreInstance]) -> Quorum:
    """R5: record attendance; returns the quorum it gives."""
    seance = _seance_en_cours(acteur, seance)
    etrangers = [m for m in presents if m.instance_id != seance.instance_id]
    if etrangers:
        raise ValidationError({"presents": ["Seuls les membres de l'instance peuvent être présents."]})
    seance.presents.set(presents)
    return quorum_de(seance)


@transaction.atomic(durable=True)
def conflit_declarer(
    *, acteur: Acteur, point: PointOrdreDuJour, membre: MembreInstance, commentaire: str = ""
) -> ConflitInterets:
    """R5: a member declares a conflict of interest with the collectif: they will not vote on it.

    A member with a consultative voice (not voting) may declare one too, on purpose: they take part in the
    debate, and a member who belongs to, or employs members of, the collectif must stand aside from the decision
    (the charter's conflict-of-interest rule; prevention law of 20 April 2016), so the declared conflict means they
    leave the debate on that point. The séance page says so next to their name."""
    point = PointOrdreDuJour.objects.select_related("seance__instance").get(pk=point.pk)
    exiger(permissions.can_declarer_conflit(acteur, point, membre))
    if point.seance.etat == EtatSeance.CLOSE or point.resultat:
        raise ValidationError("Ce point est déjà décidé.")
    if membre.instance_id != point.seance.instance_id:
        raise ValidationError({"membre": ["Ce membre n'appartient pas à l'instance."]})
    if point.votes.filter(membre=membre).exists():
        raise ValidationError({"membre": [f"{membre} a déjà voté sur ce point : un conflit se déclare avant le vote."]})
    conflit, _ = ConflitInterets.objects.get_or_create(
        point=point, membre=membre, defaults={"commentaire": commentaire.strip()}
    )
    return conflit


@transaction.atomic(durable=True)
def votes_enregistrer(*, acteur: Acteur, point: PointOrdreDuJour, votes: dict[MembreInstance, str]) -> ResultatVote:
    """R5: record the votes on one declaration. Only present voting members without a declared conflict
    of interest vote; a member's vote may be corrected until the point is decided."""
    point = PointOrdreDuJour.objects.select_related("seance").get(pk=point.pk)
    seance = _seance_en_cours(acteur, point.seance)
    if point.resultat:
        raise ValidationError("Ce point est déjà décidé.")
    presents = set(seance.presents.filter(votant=True, actif=True).values_list("pk", flat=True))
    en_conflit = set(point.conflits.values_list("membre_id", flat=True))
    erreurs = []
    for membre, choix in votes.items():
        if choix not in ChoixVote.values:
            erreurs.append(f"Choix de vote inconnu pour {membre} : {choix}.")
        elif membre.pk in en_conflit:
            erreurs.append(f"{membre} a déclaré un conflit d'intérêts : il ou elle ne vote pas sur ce point.")
        elif membre.pk not in presents:
            erreurs.append(f"{membre} n'est pas un membre votant présent.")
    if erreurs:
        raise ValidationError({"votes": erreurs})
    for membre, choix in votes.items():
        Vote.objects.update_or_create(point=point, membre=membre, defaults={"choix": choix})
    return resultat_de(point)


@transaction.atomic(durable=True)
def point_motiver_refus(*, acteur: Acteur, point: PointOrdreDuJour, motif_refus: str, motifs: str) -> PointOrdreDuJour:
    """R5: the written reasons and stated ground of a refusal, recorded before the point is decided."""
    point = PointOrdreDuJour.objects.select_related("seance").get(pk=point.pk)
    _seance_en_cours(acteur, point.seance)
    _valider_motifs(motif_refus, motifs)
    point.motif_refus, point.motifs = motif_refus, motifs.strip()
    point.save(update_fields=["motif_refus", "motifs"])
    return point


def _derogation_equite(point: PointOrdreDuJour, collectif: Collectif, campagne: Campagne) -> str:
    """R17: the equity warnings of the agreement, as kept with the decision; refused without written reasons."""
    alertes = alertes_du_collectif(collectif, campagne)
    if alertes and not point.motifs_equite.strip():
        raise ValidationError(
            {
                "motifs_equite": [
                    f"{alertes[0].message} Écrivez les motifs de la dérogation avant de statuer sur la déclaration "
                    f"de {collectif}."
                ]
            }
        )
    return "\n".join(alerte.message for alerte in alertes)


@transaction.atomic(durable=True)
def point_motiver_derogation_equite(*, acteur: Acteur, point: PointOrdreDuJour, motifs_equite: str) -> PointOrdreDuJour:
    """R17: the instance's written reasons for agreeing a collectif despite the equity warning (an originating
    institution already carries the campaign's cap of funded collectifs in the département). Recorded before the
    point is decided; kept with the decision and printed on it."""
    point = PointOrdreDuJour.objects.select_related("seance", "seance__campagne", "declaration__collectif").get(
        pk=point.pk
    )
    _seance_en_cours(acteur, point.seance)
    if point.resultat:
        raise ValidationError("Ce point est déjà décidé.")
    motifs_equite = motifs_equite.strip()
    if not motifs_equite:
        raise ValidationError({"motifs_equite": ["Écrivez les motifs de la dérogation au plafond par institution."]})
    if len(motifs_equite) > LONGUEUR_MOTIFS_REFUS:
        raise ValidationError(
            {
                "motifs_equite": [
                    f"Les motifs tiennent en {LONGUEUR_MOTIFS_REFUS:,} caractères au plus.".replace(",", " ")
                ]
            }
        )
    if not alertes_du_collectif(point.declaration.collectif, point.seance.campagne):
        raise ValidationError(
            {"motifs_equite": ["Aucune alerte d'équité sur cette déclaration : il n'y a pas de dérogation à motiver."]}
        )
    point.motifs_equite = motifs_equite
    point.save(update_fields=["motifs_equite"])
    return point


def _valider_motifs(motif_refus: str, motifs: str) -> None:
    erreurs: dict[str, list[str]] = {}
    if motif_refus not in MotifRefus.values:
        erreurs["motif_refus"] = [
            "Choisissez le motif du refus : composition, charte, additionnalité, territoire ou autre."
        ]
    if not motifs.strip():
        erreurs["motifs"] = ["Un refus doit être motivé par écrit."]
    elif len(motifs.strip()) > LONGUEUR_MOTIFS_REFUS:
        erreurs["motifs"] = [f"La motivation tient en {LONGUEUR_MOTIFS_REFUS:,} caractères au plus.".replace(",", " ")]
    if erreurs:
        raise ValidationError(erreurs)


def _statuer(acteur: Acteur, point: PointOrdreDuJour) -> PointOrdreDuJour:
    """Decide one point. Locks the campaign row: acceptance is atomic against quota and envelope (R5).
    R5: the majority of the votes cast decides; with no vote cast (nobody voted, or only abstentions) there is
    no decision, so neither an agreement nor a refusal."""
    campagne = Campagne.objects.select_for_update(of=("self",)).get(pk=point.seance.campagne_id)
    point = PointOrdreDuJour.objects.select_for_update(of=("self",)).get(pk=point.pk)
    if point.resultat:
        raise ValidationError("Ce point est déjà décidé.")
    declaration = _verrouiller_declaration(point.declaration)
    if declaration.etat != EtatDeclaration.INSCRITE_EN_SEANCE:
        raise ValidationError(f"La déclaration de {declaration.collectif} n'est plus à l'ordre du jour.")
    resultat = resultat_de(point)
    if not resultat.exprimes:
        raise ValidationError(
            f"Aucun suffrage n'a été exprimé sur la déclaration de {declaration.collectif} (les abstentions ne "
            "sont pas des suffrages exprimés) : l'instance ne peut pas statuer."
        )
    promue = declaration.promue_le is not None
    montants = montants_du_point(point, campagne)
    if resultat.adopte:
        # A declaration put back from the waiting list already holds its freed place.
        places = places_restantes(campagne) + (1 if promue else 0)
        budget_ok = _budget_couvre(campagne, montants)
        transition, point.resultat = (
            ("agreer", ResultatPoint.AGREEE)
            if places > 0 and budget_ok
            else ("mettre_en_attente", ResultatPoint.EN_ATTENTE)
        )
    else:
        _valider_motifs(point.motif_refus, point.motifs)
        transition, point.resultat = "refuser", ResultatPoint.REFUSEE
    champs = ["resultat", "statue_le"]
    if point.resultat == ResultatPoint.AGREEE:
        # R17: an agreement over the cap of an originating institution needs the instance's written reasons.
        point.alerte_equite = _derogation_equite(point, declaration.collectif, campagne)
        champs.append("alerte_equite")
    point.statue_le = timezone.now()
    point.save(update_fields=champs)
    declaration.promue_le = None
    transition_appliquer(
        declaration,
        transition,
        acteur=acteur,
        commentaire=f"{resultat.libelle}. {point.motifs}".strip(),
        update_fields=["promue_le"],
        verifier_permission=False,
    )
    if point.resultat == ResultatPoint.AGREEE and reservation_couvre(campagne, montants) is not None:
        # R7: the convention is created with the agreement, charged to the campaign's reservation.
        convention_creer_pour_agrement(acteur=acteur, campagne=campagne, declaration=declaration, montants=montants)
    if point.resultat == ResultatPoint.REFUSEE:
        _promouvoir(acteur, campagne)
    return point


def montants_du_point(point: PointOrdreDuJour, campagne: Campagne) -> list[Decimal]:
    """R7: the three yearly tranches the instance gives: the campaign's minimum unless it decided more."""
    return [
        montant if montant is not None else campagne.montant_minimal_annuel
        for montant in (point.montant_annee_1, point.montant_annee_2, point.montant_annee_3)
    ]


def _budget_couvre(campagne: Campagne, montants: list[Decimal]) -> bool:
    """R5, R7: acceptance is atomic against the envelope. With the fund, the campaign's reservation must still
    cover the tranches in every year; the minimum must fit, and more than the minimum is the instance's to
    lower (a ValidationError, not a place on the waiting list). A campaign opened before the fund existed holds no
    reservation: its cohort may not exceed `enveloppe_annuelle` at the minimum (R3)."""
    couvre = reservation_couvre(campagne, montants)
    if couvre is None:
        agreees = campagne.declarations.filter(etat=EtatDeclaration.AGREEE).count()
        return (agreees + 1) * campagne.montant_minimal_annuel <= campagne.enveloppe_annuelle
    if not couvre and reservation_couvre(campagne, montants_par_defaut(campagne)):
        raise ValidationError({"montants": [message_reservation(campagne, montants)]})
    return couvre


@transaction.atomic(durable=True)
def point_fixer_montants(
    *, acteur: Acteur, point: PointOrdreDuJour, montants: list[Decimal | None]
) -> PointOrdreDuJour:
    """R7: before deciding, the instance may raise a tranche above the campaign's minimum, within what the
    campaign's reservation still has for that year (checked again at the decision, under the campaign lock)."""
    point = PointOrdreDuJour.objects.select_related("seance", "seance__campagne").get(pk=point.pk)
    _seance_en_cours(acteur, point.seance)
    if point.resultat:
        raise ValidationError("Ce point est déjà décidé.")
    campagne = point.seance.campagne
    effectifs = [montant if montant is not None else campagne.montant_minimal_annuel for montant in montants]
    verifier_montants(campagne, effectifs)
    if reservation_couvre(campagne, effectifs) is False:
        raise ValidationError({"montants": [message_reservation(campagne, effectifs)]})
    point.montant_annee_1, point.montant_annee_2, point.montant_annee_3 = montants
    point.save(update_fields=["montant_annee_1", "montant_annee_2", "montant_annee_3"])
    return point


@transaction.atomic(durable=True)
def point_statuer(*, acteur: Acteur, point: PointOrdreDuJour) -> PointOrdreDuJour:
    """R5: decide one declaration of a séance in progress with quorum: agreed while places remain in the
    quota and the envelope, waitlisted when the quota is reached, refused with reasons otherwise."""
    point = PointOrdreDuJour.objects.select_related("seance", "declaration").get(pk=point.pk)
    seance = _seance_en_cours(acteur, point.seance)
    quorum = quorum_de(seance)
    if not quorum.atteint:
        raise ValidationError(f"Aucune décision n'est possible sans quorum. {quorum.message}")
    return _statuer(acteur, point)


def cle_erreur_point(point_pk: int, champ: str = NON_FIELD_ERRORS) -> str:
    """The key of one point's error when closing a séance is refused: « point-12-motif_refus » for a field of the
    point (motif_refus, motifs, motifs_equite, montants), « point-12 » for the point as a whole. The séance page
    maps it back onto the point's fields (`erreurs_par_point`); the API returns it as is."""
    return f"point-{point_pk}" if champ == NON_FIELD_ERRORS else f"point-{point_pk}-{champ}"


def erreurs_par_point(erreur: ValidationError) -> dict[int, dict[str, list[str]]]:
    """The errors of a refused closing, by point then by field (NON_FIELD_ERRORS for the point as a whole); keys
    that name no point are left out (the caller shows them as they are)."""
    resultat: dict[int, dict[str, list[str]]] = {}
    for cle, liste in erreur.message_dict.items():
        morceaux = cle.split("-", 2)
        if len(morceaux) < 2 or morceaux[0] != "point" or not morceaux[1].isdigit():
            continue
        champ = morceaux[2] if len(morceaux) == 3 else NON_FIELD_ERRORS
        resultat.setdefault(int(morceaux[1]), {}).setdefault(champ, []).extend(liste)
    return resultat


@transaction.atomic(durable=True)
def seance_clore(*, acteur: Acteur, seance: Seance) -> Seance:
    """R5: decide, in filing order, every remaining point on which votes were cast, close the séance, then
    (after commit) issue the minutes and one decision per decided declaration and notify each collectif.

    A point on which no vote was cast cannot be decided (R5: no vote cast, no decision): it is adjourned, not
    refused. It stays undecided on this séance, the minutes list it, and its declaration, still « inscrite en
    séance », goes back on the agenda of the next séance prepared (see `points_ajournes`).

    A point that cannot be decided as it stands (a refusal without its reasons, an agreement under the equity
    warning without written reasons, tranches the reservation no longer covers) refuses the closing: the
    ValidationError names every such point, keyed by `cle_erreur_point`, and nothing is decided."""
    seance = _seance_en_cours(acteur, seance)
    quorum = quorum_de(seance)
    # A declaration withdrawn while on the agenda stays undecided on it (nothing is deleted, R19).
    restants = [
        point
        for point in seance.points.filter(resultat="", declaration__etat=EtatDeclaration.INSCRITE_EN_SEANCE)
        .select_related("declaration")
        .order_by("declaration__deposee_le", "pk")
        if resultat_de(point).exprimes
    ]
    if restants and not quorum.atteint:
        raise ValidationError(f"Aucune décision n'est possible sans quorum. {quorum.message}")
    # Every point is tried, each in its own savepoint, so that one refusal names all the points to complete at
    # once (keyed by point, see `cle_erreur_point`); any error undoes the whole closing.
    erreurs: dict[str, list[str]] = {}
    for point in restants:
        point.seance = seance
        try:
            with transaction.atomic():
                _statuer(acteur, point)
        except ValidationError as erreur:
            champs = erreur.message_dict if hasattr(erreur, "error_dict") else {NON_FIELD_ERRORS: erreur.messages}
            for champ, liste in champs.items():
                erreurs.setdefault(cle_erreur_point(point.pk, champ), []).extend(liste)
    if erreurs:
        raise ValidationError(erreurs)
    seance.cloturee_le = timezone.now()
    transition_appliquer(seance, "clore", acteur=acteur, update_fields=["cloturee_le"])
    transaction.on_commit(partial(emettre_documents_seance.enqueue, seance.pk))
    return seance


def seance_emettre_documents_manquants(*, acteur: Acteur, seance: Seance) -> list[str]:
    """R5: a closed séance whose documents were not all issued (the job died or failed): queue their issue
    again. Only the missing ones are issued (the job is idempotent). Returns what is missing, in French."""
    exiger(permissions.can_gerer_seance(acteur, seance))
    if seance.etat != EtatSeance.CLOSE:
        raise ValidationError("Les documents d'une séance sont émis à sa clôture : la séance n'est pas close.")
    manquants = documents_manquants(seance)
    if not manquants:
        raise ValidationError("Tous les documents de la séance sont déjà émis.")
    emettre_documents_seance.enqueue(seance.pk)
    return manquants


def _promouvoir(acteur: Acteur | None, campagne: Campagne) -> list[Declaration]:
    """R5: while places are free, put the first waitlisted declarations (filing order) back on the next
    séance in preparation, and tell their collectif. Runs with the campaign row locked."""
    promues = []
    while places_restantes(campagne) > 0:
        suivante = (
            campagne.declarations.select_for_update(of=("self",))
            .filter(etat=EtatDeclaration.EN_ATTENTE)
            .order_by("deposee_le", "pk")
            .first()
        )
        if suivante is None:
            break
        suivante.promue_le = timezone.now()
        transition_appliquer(
            suivante,
            "inscrire_en_seance",
            acteur=acteur,
            commentaire="Une place s'est libérée : remise à l'ordre du jour.",
            update_fields=["promue_le"],
            verifier_permission=False,
        )
        prochaine = Seance.objects.filter(campagne=campagne, etat=EtatSeance.PREPARATION).order_by("date", "pk").first()
        if prochaine is not None:
            rang = (prochaine.points.aggregate(m=Max("rang"))["m"] or 0) + 1
            PointOrdreDuJour.objects.create(seance=prochaine, declaration=suivante, rang=rang)
        transaction.on_commit(partial(notifier_promotion.enqueue, suivante.pk))
        promues.append(suivante)
    return promues


def liste_attente_promouvoir(*, campagne: Campagne, acteur: Acteur | None = None) -> list[Declaration]:
    """R5: a place freed up (withdrawal after acceptance…): promote from the waiting list. Call inside the
    caller's transaction."""
    campagne = Campagne.objects.select_for_update(of=("self",)).get(pk=campagne.pk)
    return _promouvoir(acteur, campagne)
