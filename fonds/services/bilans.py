"""R11, R7: the collectif's yearly check-in. One is created per convention year at the signature, due
`Campagne.delai_bilan_mois` months after each anniversary of the signature. The référents (or the accompagnateur,
with the collectif's consent: R10, R20) save it as a draft and file it; the instructeurs of the département validate
it, which makes the next tranche payable in the same transaction, or return it « à compléter » with a message.

Lock order (ADR 0005): campaign, convention, tranches, then the check-in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.models import Consentement, Indicateur
from collectifs.services import DonneesConsentement, consentement_enregistrer
from comptes.models import Acteur, personne
from core.dates import ajouter_mois, en_clair
from core.permissions import exiger
from fonds import permissions
from fonds.enums import EtatBilan, EtatTranche, NiveauParticipation
from fonds.models import BilanAnnuel, Convention, Tranche, ValeurIndicateur
from fonds.models.bilans import COMPTE_MAX, LONGUEUR_DIFFICULTES, LONGUEUR_MESSAGE, LONGUEUR_RECIT, LONGUEUR_VALEUR
from fonds.signals import bilans_prevus
from journal.fsm import transition_appliquer

DELAI_BILAN_MOIS_DEFAUT = 2


def echeance_bilan(signee_le: date, rang: int, delai_mois: int) -> date:
    """R11: the check-in of convention year `rang` is due `delai_mois` months after the `rang`-th anniversary of
    the signature."""
    return ajouter_mois(signee_le, 12 * rang + delai_mois)


def bilans_prevoir(*, convention: Convention) -> list[BilanAnnuel]:
    """R11: at the signature of a collectif's convention (in `convention_signer`'s transaction, convention row
    locked), one check-in per convention year, « attendu », with its due date. The year covered is that of the
    tranche of the same rank. Announces them with `bilans_prevus` (the workflow starts their processes)."""
    if not convention.est_collectif or convention.signee_le is None:
        return []
    delai = convention.campagne.delai_bilan_mois if convention.campagne is not None else DELAI_BILAN_MOIS_DEFAUT
    bilans = [
        BilanAnnuel.objects.create(
            convention=convention,
            rang=tranche.rang,
            annee=tranche.annee,
            echeance=echeance_bilan(convention.signee_le, tranche.rang, delai),
        )
        for tranche in convention.tranches.order_by("rang")
        if not BilanAnnuel.objects.filter(convention=convention, rang=tranche.rang).exists()
    ]
    if bilans:
        bilans_prevus.send(sender=BilanAnnuel, bilans=[b.pk for b in bilans])
    return bilans


@dataclass(frozen=True)
class DonneesBilan:
    """A check-in as typed (R11): a short narrative, difficulties, the participation level, aggregate counts only,
    and one value per indicator (`valeurs`: indicator pk → (words, optional number))."""

    recit: str = ""
    difficultes: str = ""
    niveau_participation: str = ""
    nombre_rencontres: int | None = None
    nombre_participants: int | None = None
    nombre_habitants: int | None = None
    valeurs: dict[int, tuple[str, Decimal | None]] = field(default_factory=dict)


def _verrouiller_bilan(bilan: BilanAnnuel) -> BilanAnnuel:
    return (
        BilanAnnuel.objects.select_for_update(of=("self",))
        .select_related(
            "convention", "convention__declaration", "convention__declaration__collectif", "convention__campagne"
        )
        .get(pk=bilan.pk)
    )


def _verifier(bilan: BilanAnnuel, donnees: DonneesBilan, indicateurs: list[Indicateur]) -> dict[str, list[str]]:
    """What a draft may not hold: texts too long, unknown choices, counts that cannot be right."""
    erreurs: dict[str, list[str]] = {}
    for nom, longueur in (("recit", LONGUEUR_RECIT), ("difficultes", LONGUEUR_DIFFICULTES)):
        if len(getattr(donnees, nom).strip()) > longueur:
            erreurs[nom] = [f"{longueur:,} caractères au plus.".replace(",", " ")]
    if donnees.niveau_participation and donnees.niveau_participation not in NiveauParticipation.values:
        erreurs["niveau_participation"] = ["Choisissez un niveau de participation dans la liste."]
    for nom in ("nombre_rencontres", "nombre_participants", "nombre_habitants"):
        valeur = getattr(donnees, nom)
        if valeur is not None and not 0 <= valeur <= COMPTE_MAX:
            erreurs[nom] = [f"Un nombre entre 0 et {COMPTE_MAX:,}.".replace(",", " ")]
    if (
        donnees.nombre_habitants is not None
        and donnees.nombre_participants is not None
        and donnees.nombre_habitants > donnees.nombre_participants
        and "nombre_habitants" not in erreurs
    ):
        erreurs["nombre_habitants"] = ["Les habitant·es sont comptés parmi les personnes ayant pris part."]
    connus = {i.pk for i in indicateurs}
    for pk, (texte, _nombre) in donnees.valeurs.items():
        if pk not in connus:
            erreurs["valeurs"] = ["Un indicateur ne fait pas partie de ceux du collectif."]
        elif len(texte.strip()) > LONGUEUR_VALEUR:
            erreurs[f"indicateur_{pk}"] = [f"{LONGUEUR_VALEUR:,} caractères au plus.".replace(",", " ")]
    return erreurs


def _manques(bilan: BilanAnnuel, indicateurs: list[Indicateur]) -> dict[str, list[str]]:
    """R11: what a check-in needs to be filed: the narrative, the participation level, and a word or a number for
    each of the collectif's indicators. Counts and difficulties are optional (keep it light)."""
    erreurs: dict[str, list[str]] = {}
    if not bilan.recit.strip():
        erreurs["recit"] = ["Racontez en quelques lignes ce que le collectif a fait cette année."]
    if not bilan.niveau_participation:
        erreurs["niveau_participation"] = ["Indiquez le niveau de participation atteint."]
    valeurs = {v.indicateur_id: v for v in ValeurIndicateur.objects.filter(bilan=bilan)}
    for indicateur in indicateurs:
        valeur = valeurs.get(indicateur.pk)
        if valeur is None or (not valeur.texte.strip() and valeur.nombre is None):
            erreurs[f"indicateur_{indicateur.pk}"] = [f"Dites où en est l'indicateur « {indicateur.libelle} »."]
    return erreurs


def _enregistrer(
    acteur: Acteur, bilan: BilanAnnuel, donnees: DonneesBilan, consentement: DonneesConsentement | None
) -> BilanAnnuel:
    """Save the typed check-in on the locked row; a proxy entry by the accompagnateur records the consent first."""
    exiger(permissions.can_voir_bilan(acteur, bilan))
    if bilan.etat not in (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER):
        raise ValidationError(f"Ce bilan est {bilan.get_etat_display().lower()} : il ne se modifie plus.")
    exiger(permissions.can_saisir_bilan(acteur, bilan))
    collectif = bilan.convention.declaration.collectif  # type: ignore[union-attr]  # a collectif's convention
    indicateurs = list(Indicateur.objects.filter(declaration__convention=bilan.convention).order_by("ordre", "pk"))
    erreurs = _verifier(bilan, donnees, indicateurs)
    pour_le_compte = permissions.saisit_pour_le_compte(acteur, bilan)
    if pour_le_compte and consentement is None:
        erreurs["consentement"] = [
            "Vous saisissez pour le compte du collectif : indiquez qui a donné son accord, comment et quand."
        ]
    if erreurs:
        raise ValidationError(erreurs)
    accord: Consentement | None = None
    if pour_le_compte:
        assert consentement is not None
        accord = consentement_enregistrer(acteur=acteur, collectif=collectif, donnees=consentement)
    bilan.recit = donnees.recit.strip()
    bilan.difficultes = donnees.difficultes.strip()
    bilan.niveau_participation = donnees.niveau_participation
    bilan.nombre_rencontres = donnees.nombre_rencontres
    bilan.nombre_participants = donnees.nombre_participants
    bilan.nombre_habitants = donnees.nombre_habitants
    bilan.enregistre_le = timezone.now()
    bilan.saisi_par = personne(acteur)
    bilan.consentement = accord
    bilan.save(
        update_fields=[
            "recit",
            "difficultes",
            "niveau_participation",
            "nombre_rencontres",
            "nombre_participants",
            "nombre_habitants",
            "enregistre_le",
            "saisi_par",
            "consentement",
        ]
    )
    for indicateur in indicateurs:
        texte, nombre = donnees.valeurs.get(indicateur.pk, ("", None))
        ValeurIndicateur.objects.update_or_create(
            bilan=bilan, indicateur=indicateur, defaults={"texte": texte.strip(), "nombre": nombre}
        )
    return bilan


@transaction.atomic(durable=True)
def bilan_enregistrer(
    *, acteur: Acteur, bilan: BilanAnnuel, donnees: DonneesBilan, consentement: DonneesConsentement | None = None
) -> BilanAnnuel:
    """R11: save the check-in as a draft (référents; the accompagnateur with the collectif's consent, R10). A draft
    may be incomplete; it is kept as typed until it is filed."""
    return _enregistrer(acteur, _verrouiller_bilan(bilan), donnees, consentement)


@transaction.atomic(durable=True)
def bilan_deposer(
    *, acteur: Acteur, bilan: BilanAnnuel, donnees: DonneesBilan, consentement: DonneesConsentement | None = None
) -> BilanAnnuel:
    """R11: save and file the check-in (first filing, or the answer to « à compléter »). It must hold the
    narrative, the participation level and a value for each of the collectif's indicators; otherwise nothing is
    saved and the missing parts are named."""
    bilan = _enregistrer(acteur, _verrouiller_bilan(bilan), donnees, consentement)
    indicateurs = list(Indicateur.objects.filter(declaration__convention=bilan.convention))
    manques = _manques(bilan, indicateurs)
    if manques:
        raise ValidationError(manques)
    bilan.depose_par = personne(acteur)
    transition_appliquer(
        bilan,
        "deposer",
        acteur=acteur,
        commentaire=f"Bilan de l'année {bilan.rang} déposé.",
        update_fields=["depose_le", "depose_par"],
    )
    return bilan


def _verrouiller_pour_validation(bilan: BilanAnnuel) -> tuple[BilanAnnuel, Tranche | None]:
    """ADR 0005 lock order: the campaign, the convention, its next tranche, then the check-in.

    The campaign and convention rows are taken FOR NO KEY UPDATE: it serialises with every other writer of them,
    but not with a payment, which holds the tranche and then only needs a key-share lock on the convention for its
    ledger lines (a FOR UPDATE here would deadlock with it: the payment waits for the convention, we for the
    tranche)."""
    apercu = BilanAnnuel.objects.select_related("convention").get(pk=bilan.pk)
    if apercu.convention.campagne_id is not None:
        Campagne.objects.select_for_update(of=("self",), no_key=True).filter(pk=apercu.convention.campagne_id).first()
    Convention.objects.select_for_update(of=("self",), no_key=True).filter(pk=apercu.convention_id).first()
    suivante = (
        Tranche.objects.select_for_update(of=("self",))
        .filter(convention_id=apercu.convention_id, rang=apercu.rang + 1)
        .first()
    )
    return _verrouiller_bilan(bilan), suivante


@transaction.atomic(durable=True)
def bilan_valider(*, acteur: Acteur, bilan: BilanAnnuel) -> BilanAnnuel:
    """R11, R7: the instructeur validates a filed check-in. In the same transaction, the next tranche becomes
    payable when it can be (`Tranche.liberable`: the convention is active and signed, the previous tranche paid);
    otherwise it stays « prévue » and is released later (`tranche_liberer`)."""
    bilan, suivante = _verrouiller_pour_validation(bilan)
    exiger(permissions.can_voir_bilan(acteur, bilan))
    if bilan.etat != EtatBilan.DEPOSE:
        raise ValidationError(f"Ce bilan est {bilan.get_etat_display().lower()} : seul un bilan déposé s'instruit.")
    exiger(permissions.can_instruire_bilan(acteur, bilan))
    bilan.valide_par = personne(acteur)
    transition_appliquer(
        bilan,
        "valider",
        acteur=acteur,
        commentaire=f"Bilan de l'année {bilan.rang} validé.",
        update_fields=["valide_le", "valide_par"],
    )
    if suivante is not None and suivante.etat == EtatTranche.PREVUE and suivante.liberable():
        transition_appliquer(
            suivante,
            "rendre_exigible",
            acteur=acteur,
            commentaire=f"Bilan de l'année {bilan.rang} validé le {en_clair(timezone.localdate())}.",
        )
    return bilan


@transaction.atomic(durable=True)
def bilan_retourner(*, acteur: Acteur, bilan: BilanAnnuel, message: str) -> BilanAnnuel:
    """R11: the instructeur returns a filed check-in « à compléter », saying what is missing; the collectif answers
    and files again."""
    bilan = _verrouiller_bilan(bilan)
    exiger(permissions.can_voir_bilan(acteur, bilan))
    if bilan.etat != EtatBilan.DEPOSE:
        raise ValidationError(f"Ce bilan est {bilan.get_etat_display().lower()} : seul un bilan déposé s'instruit.")
    exiger(permissions.can_instruire_bilan(acteur, bilan))
    message = message.strip()
    if not message:
        raise ValidationError({"message": ["Dites au collectif ce qu'il faut compléter."]})
    if len(message) > LONGUEUR_MESSAGE:
        raise ValidationError({"message": [f"{LONGUEUR_MESSAGE:,} caractères au plus.".replace(",", " ")]})
    bilan.message_retour = message
    bilan.retourne_par = personne(acteur)
    transition_appliquer(
        bilan,
        "retourner",
        acteur=acteur,
        commentaire=message,
        update_fields=["message_retour", "retourne_le", "retourne_par"],
    )
    return bilan


def bilan_est_en_retard(bilan: BilanAnnuel, jour: date | None = None) -> bool:
    """R11: past its due date and not filed (awaited, or returned and not filed again)."""
    jour = jour or timezone.localdate()
    return bilan.etat in (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER) and bilan.echeance < jour
