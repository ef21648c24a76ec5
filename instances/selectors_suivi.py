"""Reads of the follow-up page of a declaration, in plain words: the dated timeline of what happened (filing,
requests for more and answers, admissibility, séances and decisions, the convention's signature, payments and
check-ins), what comes next, who acts and by when, and the instruction deadline (R4, R5, R7, R11).

What the page already reads (the journal, the agenda points, the convention with its tranches) is passed in, so
that the timeline adds at most two queries whatever the size of the file: the requests for more (for those who
follow the instruction's exchanges) and the convention's check-ins (when there is one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from collectifs.enums import ETATS_FINAUX, EtatDeclaration
from collectifs.models import Declaration, DemandeComplements
from collectifs.services.depot import date_fr
from fonds.enums import EtatBilan, EtatConvention, EtatTranche
from fonds.models import BilanAnnuel, Convention, Tranche, Versement
from fonds.selectors.bilans import bilans_de_convention
from instances.models import PointOrdreDuJour
from journal.models import TransitionLog

# What each step of the declaration's journal means, told to everyone (the requests for more and the decisions are
# told from their own rows, with their deadline and their séance).
TITRES_TRANSITIONS: dict[str, str] = {
    "deposer": "Déclaration déposée",
    "instruire": "Dossier pris en charge par l’équipe départementale",
    "declarer_recevable": "Dossier déclaré recevable",
    "inscrire_en_seance": "Dossier inscrit à l’ordre du jour de l’instance départementale",
    "retirer": "Déclaration retirée par le collectif",
    "classer_sans_suite": "Dossier classé sans suite",
}
# Journal rows told from the requests for more (with their deadline), for those who follow the exchanges; not told
# at all to the others (the instance's members, SPEC §2).
TRANSITIONS_DES_DEMANDES = frozenset({"demander_complements", "completer"})
# Journal rows told from the decided agenda points (with the séance's date).
TRANSITIONS_DES_DECISIONS = frozenset({"agreer", "refuser", "mettre_en_attente"})
# States in which the instruction is under way: its deadline is stated (R4).
ETATS_EN_INSTRUCTION = (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION, EtatDeclaration.A_COMPLETER)


@dataclass(frozen=True)
class Evenement:
    """One dated line of the timeline."""

    ordre: tuple[datetime, int] = field(compare=False)  # when it happened, then the row's number: the sort key
    jour: date
    iso: str  # for <time datetime>
    titre: str
    detail: str = ""


@dataclass(frozen=True)
class ProchaineEtape:
    """What comes next: who acts, what, and by when (None when no date applies)."""

    qui: str
    texte: str
    avant_le: date | None = None


@dataclass(frozen=True)
class Chronologie:
    """The timeline of a declaration's file, oldest first, and what comes next."""

    evenements: list[Evenement]
    prochaine: ProchaineEtape | None
    # R4: « Votre dossier sera examiné au plus tard le … », while the instruction is under way.
    examen_au_plus_tard: date | None
    close: bool
    # The pending request for more, among those read (None when none, or not shown to this user).
    demande_en_cours: DemandeComplements | None


def _evenement(quand: datetime | date, titre: str, detail: str = "", rang: int = 0) -> Evenement:
    if isinstance(quand, datetime):
        local = timezone.localtime(quand)
        return Evenement(jour=local.date(), iso=local.isoformat(), titre=titre, detail=detail, ordre=(quand, rang))
    debut = datetime(quand.year, quand.month, quand.day, 12, tzinfo=timezone.get_current_timezone())
    return Evenement(jour=quand, iso=quand.isoformat(), titre=titre, detail=detail, ordre=(debut, rang))


def _jour(quand: datetime | None) -> date | None:
    return timezone.localtime(quand).date() if quand is not None else None


def demandes_de_la_declaration(declaration: Declaration) -> list[DemandeComplements]:
    """R4: every request for more of the declaration, oldest first (one query). The caller checks that the user
    follows the instruction's exchanges (can_voir_echanges_instruction)."""
    return list(declaration.demandes_complements.order_by("demandee_le", "pk"))


def points_de_la_declaration(declaration: Declaration) -> list[PointOrdreDuJour]:
    """R5: the agenda points of the declaration, séance first, with their votes (two queries when there is a point,
    one otherwise): the pending one says when the instance examines the file, the decided ones what it decided."""
    return list(
        PointOrdreDuJour.objects.filter(declaration=declaration)
        .select_related("seance")
        .prefetch_related("votes")
        .order_by("seance__date", "pk")
    )


def _evenements_du_journal(
    journal: Sequence[TransitionLog], points: Sequence[PointOrdreDuJour], *, echanges: bool
) -> list[Evenement]:
    inscriptions = [t for t in journal if t.transition == "inscrire_en_seance"]
    # Each inscription made a point, in the same order: the séance is named when the counts agree.
    seances = dict(zip((t.pk for t in inscriptions), points, strict=False)) if len(inscriptions) == len(points) else {}
    evenements = []
    for ligne in journal:
        nom = ligne.transition
        if nom in TRANSITIONS_DES_DECISIONS or nom in TRANSITIONS_DES_DEMANDES:
            continue
        titre = TITRES_TRANSITIONS.get(nom) or EtatDeclaration(ligne.cible).label
        detail = ""
        if nom == "inscrire_en_seance" and ligne.pk in seances:
            detail = f"Séance du {date_fr(_jour(seances[ligne.pk].seance.date) or date.min)}."
        elif nom in ("retirer", "classer_sans_suite") and ligne.commentaire:
            detail = f"Motif : « {ligne.commentaire} »"
        evenements.append(_evenement(ligne.horodatage, titre, detail, rang=ligne.pk))
    return evenements


def _evenements_des_demandes(demandes: Sequence[DemandeComplements]) -> list[Evenement]:
    evenements = []
    for demande in demandes:
        evenements.append(
            _evenement(
                demande.demandee_le,
                "Compléments demandés par l’équipe départementale",
                f"À fournir avant le {date_fr(demande.echeance)}.",
                rang=demande.pk,
            )
        )
        if demande.repondue_le is not None:
            evenements.append(
                _evenement(
                    demande.repondue_le,
                    "Compléments envoyés par le collectif : la déclaration est déposée à nouveau",
                    rang=demande.pk,
                )
            )
    return evenements


def _evenements_des_decisions(points: Sequence[PointOrdreDuJour]) -> list[Evenement]:
    return [
        _evenement(
            point.statue_le or point.seance.date,
            f"Décision de l’instance départementale : {point.get_resultat_display().lower()}",
            f"Séance du {date_fr(_jour(point.seance.date) or date.min)}.",
            rang=point.pk,
        )
        for point in points
        if point.resultat
    ]


def _evenements_du_financement(
    convention: Convention, versements: Sequence[Versement], bilans: Sequence[BilanAnnuel]
) -> list[Evenement]:
    evenements = []
    if convention.signee_le is not None:
        evenements.append(_evenement(convention.signee_le, f"Convention de financement {convention.reference} signée"))
    for versement in versements:
        tranche = versement.tranche
        montant = f"{tranche.montant:,.2f}".replace(",", "\u202f").replace(".", ",")
        evenements.append(
            _evenement(versement.date_versement, f"Tranche {tranche.rang} versée : {montant} €", rang=tranche.rang)
        )
    for bilan in bilans:
        if bilan.depose_le is not None:
            evenements.append(_evenement(bilan.depose_le, f"Bilan de l’année {bilan.rang} déposé", rang=bilan.rang))
        if bilan.retourne_le is not None:
            evenements.append(
                _evenement(bilan.retourne_le, f"Bilan de l’année {bilan.rang} renvoyé à compléter", rang=bilan.rang)
            )
        if bilan.valide_le is not None:
            evenements.append(_evenement(bilan.valide_le, f"Bilan de l’année {bilan.rang} validé", rang=bilan.rang))
    return evenements


def _prochaine_du_financement(
    convention: Convention, tranches: Sequence[Tranche], bilans: Sequence[BilanAnnuel], *, vous: bool
) -> ProchaineEtape | None:
    collectif = "Vous" if vous else "Le collectif"
    if convention.etat in (EtatConvention.ANNULEE, EtatConvention.CLOTUREE):
        return None
    if convention.signee_le is None:
        return ProchaineEtape(
            qui="Le collectif et l’équipe départementale",
            texte="La convention de financement doit être signée : la première tranche est versée après la signature.",
        )
    a_faire = [b for b in bilans if b.etat in (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER)]
    deposes = [b for b in bilans if b.etat == EtatBilan.DEPOSE]
    exigibles = [t for t in tranches if t.etat == EtatTranche.EXIGIBLE]
    if exigibles:
        return ProchaineEtape(
            qui="L’équipe départementale", texte=f"L’équipe départementale verse la tranche {exigibles[0].rang}."
        )
    if deposes:
        return ProchaineEtape(
            qui="L’équipe départementale",
            texte=f"L’équipe départementale examine {'votre' if vous else 'le'} bilan de l’année {deposes[0].rang}.",
        )
    if a_faire:
        bilan = a_faire[0]
        verbe = "compléter" if bilan.etat == EtatBilan.A_COMPLETER else "déposer"
        doit = "devez" if vous else "doit"
        return ProchaineEtape(
            qui=collectif,
            texte=f"{collectif} {doit} {verbe} le bilan de l’année {bilan.rang} avant le {date_fr(bilan.echeance)}.",
            avant_le=bilan.echeance,
        )
    return None


def _prochaine(
    declaration: Declaration,
    *,
    points: Sequence[PointOrdreDuJour],
    demande: DemandeComplements | None,
    financement: dict[str, Any] | None,
    bilans: Sequence[BilanAnnuel],
    vous: bool,
) -> ProchaineEtape | None:
    etat = declaration.etat
    collectif = "Vous" if vous else "Le collectif"
    votre = "votre" if vous else "le"
    if etat == EtatDeclaration.BROUILLON:
        termine = "terminez la déclaration et déposez-la" if vous else "termine la déclaration et la dépose"
        return ProchaineEtape(qui=collectif, texte=f"{collectif} {termine}.")
    if etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION):
        return ProchaineEtape(
            qui="L’équipe départementale",
            texte=f"L’équipe départementale examine {votre} dossier.",
            avant_le=_jour(declaration.echeance_instruction),
        )
    if etat == EtatDeclaration.A_COMPLETER:
        if demande is None:
            return ProchaineEtape(qui=collectif, texte=f"{collectif} complète {'votre' if vous else 'son'} dossier.")
        doit = "devez" if vous else "doit"
        return ProchaineEtape(
            qui=collectif,
            texte=f"{collectif} {doit} répondre à la demande de compléments avant le {date_fr(demande.echeance)}.",
            avant_le=demande.echeance,
        )
    if etat == EtatDeclaration.RECEVABLE:
        return ProchaineEtape(
            qui="L’équipe départementale",
            texte=f"L’équipe départementale inscrit {votre} dossier à l’ordre du jour d’une séance de l’instance "
            "départementale.",
        )
    if etat == EtatDeclaration.INSCRITE_EN_SEANCE:
        en_attente = [p for p in points if not p.resultat]
        if en_attente:
            jour = _jour(en_attente[-1].seance.date)
            assert jour is not None
            return ProchaineEtape(
                qui="L’instance départementale",
                texte=f"L’instance départementale examine {votre} dossier lors de sa séance du {date_fr(jour)}.",
                avant_le=jour,
            )
        return ProchaineEtape(
            qui="L’instance départementale", texte=f"L’instance départementale examine {votre} dossier."
        )
    if etat == EtatDeclaration.EN_ATTENTE:
        return ProchaineEtape(
            qui="L’instance départementale",
            texte=f"{'Votre' if vous else 'Le'} dossier est en liste d’attente : si une place se libère, il est "
            "inscrit à nouveau à l’ordre du jour d’une séance.",
        )
    if etat == EtatDeclaration.AGREEE:
        if financement is None:
            if not vous:
                return None
            return ProchaineEtape(
                qui="L’équipe départementale", texte="L’équipe départementale prépare la convention de financement."
            )
        return _prochaine_du_financement(financement["convention"], financement["tranches"], bilans, vous=vous)
    return None


def chronologie_du_dossier(
    declaration: Declaration,
    *,
    journal: Sequence[TransitionLog],
    points: Sequence[PointOrdreDuJour],
    echanges: bool,
    financement: dict[str, Any] | None,
    pour_le_collectif: bool,
) -> Chronologie:
    """The follow-up page's plain timeline (R4, R5, R7, R11): what happened, oldest first; what comes next, who
    acts and by when; and, while the instruction is under way, the date by which the file is examined.

    `journal`: the declaration's journal rows (`journal.fsm.historique`); `points`: its agenda points
    (`points_de_la_declaration`); `echanges`: the user follows the instruction's exchanges (the requests for more
    are then told with their deadline; the instance's members do not read them, SPEC §2);
    `financement`: the convention as the page shows it (its tranches and payments), None when there is none or
    the user does not read it; `pour_le_collectif`: the user is a référent, addressed as « vous ».
    Queries: the requests for more when `echanges`, the check-ins when there is a convention."""
    demandes = demandes_de_la_declaration(declaration) if echanges else []
    convention: Convention | None = financement["convention"] if financement else None
    # Read even before the signature (none yet): the same count of queries before and after.
    bilans = bilans_de_convention(convention) if convention is not None else []
    evenements = [_evenement(declaration.cree_le, "Déclaration commencée")]
    evenements += _evenements_du_journal(journal, points, echanges=echanges)
    evenements += _evenements_des_demandes(demandes)
    evenements += _evenements_des_decisions(points)
    if convention is not None and financement is not None:
        evenements += _evenements_du_financement(convention, financement["versements"], bilans)
    evenements.sort(key=lambda e: e.ordre)
    en_cours = [d for d in demandes if d.repondue_le is None]
    demande = en_cours[-1] if en_cours and declaration.etat == EtatDeclaration.A_COMPLETER else None
    return Chronologie(
        evenements=evenements,
        prochaine=_prochaine(
            declaration,
            points=points,
            demande=demande,
            financement=financement,
            bilans=bilans,
            vous=pour_le_collectif,
        ),
        examen_au_plus_tard=_jour(declaration.echeance_instruction)
        if declaration.etat in ETATS_EN_INSTRUCTION
        else None,
        close=declaration.etat in ETATS_FINAUX,
        demande_en_cours=demande,
    )
