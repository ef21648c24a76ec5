"""R7, R8: conventions and their tranches. An agreement in séance creates the triannual convention of a collectif,
charged to its campaign's reservation; a project of another kind of beneficiary is charged to the envelopes
directly. Signature releases tranche 1; a payment pays one payable tranche, once; a cancellation before the first
payment gives the unpaid tranches back. Every money movement writes balanced ledger lines in the same
transaction (R19, ADR 0005). Lock order: campaign, then envelopes by year, then convention, then tranches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.models import Declaration
from collectifs.signals import place_liberee
from comptes.models import Acteur, personne
from core.dates import en_clair
from core.permissions import exiger
from fonds import permissions, tasks
from fonds.enums import Compte, EtatConvention, EtatTranche, NatureBeneficiaire
from fonds.models import Convention, EcritureFonds, Fonds, Reservation, Tranche, Versement
from fonds.selectors import annees_de_campagne, enveloppes_du_departement, reservation_restante
from fonds.services.bilans import bilans_prevoir
from fonds.services.grand_livre import ecrire, euros, valider
from fonds.services.reservations import message_depassement, verrouiller_enveloppes
from journal.fsm import transition_appliquer
from territoires.models import Departement

ZERO = Decimal("0")
SUSPENSION = (
    "La convention est suspendue : la composition du collectif n'est plus conforme et le délai de grâce est "
    "terminé (R12). Elle reprend quand la composition est rétablie."
)


def montants_par_defaut(campagne: Campagne) -> list[Decimal]:
    """R7: each tranche is at least the campaign's minimum; without a decision to give more, it is the minimum."""
    return [campagne.montant_minimal_annuel] * 3


def verifier_montants(campagne: Campagne, montants: list[Decimal]) -> None:
    """R7: three tranches, each at least the campaign's `montant_minimal_annuel`."""
    if len(montants) != 3:
        raise ValidationError({"montants": ["Une convention triennale a trois tranches, une par année."]})
    erreurs = [
        f"La tranche {rang} ({annee}) doit être d'au moins {euros(campagne.montant_minimal_annuel)}."
        for rang, (annee, montant) in enumerate(zip(annees_de_campagne(campagne), montants, strict=True), start=1)
        if montant < campagne.montant_minimal_annuel
    ]
    if erreurs:
        raise ValidationError({"montants": erreurs})


def reservation_couvre(campagne: Campagne, montants: list[Decimal]) -> bool | None:
    """R7: whether the campaign's reservation still covers these tranches in every year (None: the campaign holds
    no reservation, it opened before the fund existed). Call with the campaign row locked."""
    restant = reservation_restante(campagne)
    if restant is None:
        return None
    return all(montant <= restant[annee] for annee, montant in zip(annees_de_campagne(campagne), montants, strict=True))


def message_reservation(campagne: Campagne, montants: list[Decimal]) -> str:
    """R7: which year of the campaign's reservation cannot cover the tranches asked, in French."""
    restant = reservation_restante(campagne) or {}
    manques = [
        f"{annee} : il reste {euros(restant.get(annee, ZERO))} pour {euros(montant)}"
        for annee, montant in zip(annees_de_campagne(campagne), montants, strict=True)
        if montant > restant.get(annee, ZERO)
    ]
    return "La réservation de la campagne ne couvre pas ces tranches (" + " ; ".join(manques) + ")."


def _identifiants(declaration: Declaration) -> tuple[str, str]:
    """SCDL: the beneficiary's SIRET (first originating institution that has one) and RNA (first that has one)."""
    institutions = list(declaration.collectif.institutions_origine.order_by("nom", "pk"))
    siret = next((o.siret for o in institutions if o.siret), "")
    rna = next((o.rna for o in institutions if o.rna), "")
    return siret, rna


def _lignes_engagement(
    convention: Convention, tranche: Tranche, depuis: str, acteur: Acteur | None, libelle: str
) -> list[EcritureFonds]:
    """Commit a tranche: taken from the campaign's reservation (collectif) or the envelope (other kinds)."""
    commun = {
        "fonds": convention.fonds,
        "annee": tranche.annee,
        "departement_id": convention.departement_id,
        "acteur": personne(acteur),
        "libelle": libelle,
    }
    source = {"campagne": convention.campagne} if depuis == Compte.RESERVATION else {}
    return [
        EcritureFonds(compte=depuis, montant=-tranche.montant, **source, **commun),
        EcritureFonds(
            compte=Compte.ENGAGEMENT, convention=convention, tranche=tranche, montant=tranche.montant, **commun
        ),
    ]


def _creer_tranches(convention: Convention, tranches: list[tuple[int, Decimal]]) -> list[Tranche]:
    return [
        Tranche.objects.create(convention=convention, rang=rang, annee=annee, montant=montant)
        for rang, (annee, montant) in enumerate(tranches, start=1)
    ]


def convention_creer_pour_agrement(
    *, acteur: Acteur | None, campagne: Campagne, declaration: Declaration, montants: list[Decimal]
) -> Convention:
    """R7: the agreement creates the collectif's triannual convention, in the séance's transaction, with the
    campaign row already locked by the decision (the quota's lock, ADR 0004). Tranches in Y, Y+1, Y+2 are taken
    from the campaign's reservation; the caller checked `reservation_couvre` first."""
    verifier_montants(campagne, montants)
    if not reservation_couvre(campagne, montants):
        raise ValidationError({"montants": [message_reservation(campagne, montants)]})
    fonds = Reservation.objects.select_related("fonds").filter(campagne=campagne).first().fonds  # type: ignore[union-attr]
    siret, rna = _identifiants(declaration)
    annees = annees_de_campagne(campagne)
    convention = Convention.objects.create(
        fonds=fonds,
        departement_id=campagne.departement_id,
        nature_beneficiaire=NatureBeneficiaire.COLLECTIF,
        declaration=declaration,
        campagne=campagne,
        beneficiaire=declaration.collectif.nom,
        siret_beneficiaire=siret,
        rna_beneficiaire=rna,
        objet=f"Financement triennal du collectif local de développement social « {declaration.collectif.nom} »"[:256],
        date_debut=date(annees[0], 1, 1),
        date_fin=date(annees[-1], 12, 31),
        creee_par=personne(acteur),
    )
    tranches = _creer_tranches(convention, list(zip(annees, montants, strict=True)))
    libelle = f"Engagement de la convention {convention.reference}"
    lignes = []
    for tranche in tranches:
        lignes += _lignes_engagement(convention, tranche, Compte.RESERVATION, acteur, libelle)
    ecrire(lignes)
    return convention


@dataclass(frozen=True)
class DonneesProjet:
    """A project of another kind of beneficiary of R8, as typed by staff."""

    nature_beneficiaire: str
    beneficiaire: str
    objet: str
    date_debut: date
    date_fin: date
    tranches: list[tuple[int, Decimal]]
    siret_beneficiaire: str = ""
    rna_beneficiaire: str = ""


def _verifier_projet(donnees: DonneesProjet) -> None:
    erreurs: dict[str, list[str]] = {}
    if donnees.nature_beneficiaire not in NatureBeneficiaire.values or (
        donnees.nature_beneficiaire == NatureBeneficiaire.COLLECTIF
    ):
        erreurs["nature_beneficiaire"] = [
            "Choisissez la nature du projet (un collectif est financé par son agrément en séance)."
        ]
    if not 1 <= len(donnees.tranches) <= 3:
        erreurs["tranches"] = ["Un projet est versé en une à trois tranches."]
    elif any(montant <= 0 for _, montant in donnees.tranches):
        erreurs["tranches"] = ["Chaque tranche a un montant positif."]
    elif any(not donnees.date_debut.year <= annee <= donnees.date_fin.year for annee, _ in donnees.tranches):
        erreurs["tranches"] = [
            f"Les tranches tombent dans la période du projet ({donnees.date_debut.year}–{donnees.date_fin.year})."
        ]
    elif [annee for annee, _ in donnees.tranches] != sorted({annee for annee, _ in donnees.tranches}):
        erreurs["tranches"] = ["Une tranche par année, dans l'ordre des années."]
    if donnees.date_fin < donnees.date_debut:
        erreurs["date_fin"] = ["La fin du projet suit son début."]
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic(durable=True)
def projet_financer(*, acteur: Acteur, fonds: Fonds, departement_code: str, donnees: DonneesProjet) -> Convention:
    """R8: fund a project of another kind of beneficiary (expérimentation hors normes, projet étudiant…): its
    tranches are charged to the département's envelopes, which must cover them (a projected year cannot be
    committed). The collectif rules (R1, R9) do not apply."""
    exiger(permissions.can_financer_projet(acteur, fonds, departement_code))
    _verifier_projet(donnees)
    annees = [annee for annee, _ in donnees.tranches]
    verrouiller_enveloppes(fonds, departement_code, annees)
    etats = enveloppes_du_departement(fonds, departement_code, annees)
    departement = Departement.objects.get(code=departement_code)
    erreurs = []
    for annee, montant in donnees.tranches:
        etat = etats[annee]
        if etat.projetee:
            erreurs.append(
                f"L'enveloppe {annee} de {departement} n'est pas encore répartie : un projet ne peut pas y être engagé."
            )
        elif montant > etat.disponible:
            erreurs.append(message_depassement(departement, etat, montant))
    if erreurs:
        raise ValidationError({"tranches": erreurs})
    convention = Convention(
        fonds=fonds,
        departement_id=departement_code,
        nature_beneficiaire=donnees.nature_beneficiaire,
        beneficiaire=donnees.beneficiaire.strip(),
        siret_beneficiaire=donnees.siret_beneficiaire.replace(" ", ""),
        rna_beneficiaire=donnees.rna_beneficiaire.strip().upper(),
        objet=donnees.objet.strip(),
        date_debut=donnees.date_debut,
        date_fin=donnees.date_fin,
        creee_par=personne(acteur),
    )
    valider(convention, exclure=["creee_par", "declaration", "campagne", "etat"])
    convention.save()
    tranches = _creer_tranches(convention, donnees.tranches)
    libelle = f"Engagement du projet {convention.reference}"
    lignes = []
    for tranche in tranches:
        lignes += _lignes_engagement(convention, tranche, Compte.ENVELOPPE, acteur, libelle)
    ecrire(lignes)
    return convention


def _verrouiller_convention(convention: Convention) -> Convention:
    if convention.campagne_id is not None:
        Campagne.objects.select_for_update(of=("self",)).filter(pk=convention.campagne_id).first()
    # FOR NO KEY UPDATE: a concurrent payment holds its tranche and inserts ledger lines whose foreign key takes a
    # KEY SHARE lock on the convention; FOR UPDATE would wait for it while it waits for the tranche (deadlock).
    return (
        Convention.objects.select_for_update(of=("self",), no_key=True)
        .select_related("departement")
        .get(pk=convention.pk)
    )


@transaction.atomic(durable=True)
def convention_signer(
    *,
    acteur: Acteur,
    convention: Convention,
    signee_le: date,
    signataire_beneficiaire: str,
    signataire_departement: str,
) -> Convention:
    """R7: record the signature (date and both signatories): tranche 1 becomes payable, and the numbered
    Convention triannuelle de financement is issued after commit."""
    convention = _verrouiller_convention(convention)
    exiger(permissions.can_gerer_convention(acteur, convention))
    if convention.etat != EtatConvention.ACTIVE:
        raise ValidationError("Une convention annulée ne se signe pas.")
    if convention.signee_le is not None:
        raise ValidationError(f"La convention est déjà signée (le {en_clair(convention.signee_le)}).")
    erreurs: dict[str, list[str]] = {}
    if signee_le > timezone.localdate():
        erreurs["signee_le"] = ["La date de signature ne peut pas être dans le futur."]
    elif signee_le < (creee_le := timezone.localdate(convention.creee_le)):
        erreurs["signee_le"] = [
            f"La convention a été créée le {en_clair(creee_le)} : elle n'a pas pu être signée avant."
        ]
    for champ, valeur in (
        ("signataire_beneficiaire", signataire_beneficiaire),
        ("signataire_departement", signataire_departement),
    ):
        if not valeur.strip():
            erreurs[champ] = ["Indiquez le nom et la qualité du ou de la signataire."]
        elif len(valeur.strip()) > 200:
            erreurs[champ] = ["200 caractères au plus."]
    if erreurs:
        raise ValidationError(erreurs)
    convention.signee_le = signee_le
    convention.signataire_beneficiaire = signataire_beneficiaire.strip()
    convention.signataire_departement = signataire_departement.strip()
    convention.save(update_fields=["signee_le", "signataire_beneficiaire", "signataire_departement"])
    premiere = convention.tranches.select_for_update(of=("self",)).get(rang=1)
    transition_appliquer(
        premiere, "rendre_exigible", acteur=acteur, commentaire=f"Convention signée le {en_clair(signee_le)}."
    )
    bilans_prevoir(convention=convention)
    transaction.on_commit(partial(tasks.emettre_convention_financement.enqueue, convention.pk))
    return convention


@transaction.atomic(durable=True)
def tranche_liberer(*, acteur: Acteur, tranche: Tranche) -> Tranche:
    """R7: a later tranche becomes payable: for another kind of beneficiary once the previous one is paid; for a
    collectif once, in addition, the previous year's check-in is validated (`bilan_valider` releases it itself when
    the previous tranche is already paid; this is for a validation that came before that payment)."""
    tranche = Tranche.objects.select_for_update(of=("self",)).select_related("convention").get(pk=tranche.pk)
    exiger(permissions.can_liberer_tranche(acteur, tranche))
    if tranche.etat != EtatTranche.PREVUE:
        raise ValidationError(f"La tranche {tranche.rang} n'est pas « prévue » : elle ne peut pas être libérée.")
    if not tranche.liberable():
        raise ValidationError(pourquoi_pas_liberable(tranche))
    transition_appliquer(tranche, "rendre_exigible", acteur=acteur)
    return tranche


def pourquoi_pas_liberable(tranche: Tranche) -> str:
    convention = tranche.convention
    if convention.etat == EtatConvention.SUSPENDUE:  # R12
        return SUSPENSION
    if convention.etat not in (EtatConvention.ACTIVE, EtatConvention.NON_CONFORME):
        return "La convention n'est plus active."
    if convention.signee_le is None:
        return "La convention n'est pas encore signée."
    precedente = convention.tranches.filter(rang=tranche.rang - 1).first()
    if precedente is not None and precedente.etat != EtatTranche.VERSEE:
        return f"La tranche {precedente.rang} n'est pas encore versée."
    return f"La tranche {tranche.rang} attend la validation du bilan annuel {tranche.annee - 1} du collectif."


@transaction.atomic(durable=True)
def versement_enregistrer(
    *, acteur: Acteur, tranche: Tranche, date_versement: date, montant: Decimal, reference_bancaire: str
) -> Versement:
    """R7: pay one payable tranche, of its amount, once. The tranche row is locked, and the database refuses a
    second payment of it (one-to-one); the ledger moves the amount from committed to paid. The Attestation de
    versement is issued after commit."""
    tranche = (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("convention", "convention__departement")
        .get(pk=tranche.pk)
    )
    exiger(permissions.can_liberer_tranche(acteur, tranche))
    convention = tranche.convention
    if tranche.etat == EtatTranche.VERSEE:
        raise ValidationError(f"La tranche {tranche.rang} est déjà versée : une tranche n'est jamais payée deux fois.")
    if tranche.etat == EtatTranche.SUSPENDUE or convention.etat == EtatConvention.SUSPENDUE:  # R12
        raise ValidationError(
            f"La tranche {tranche.rang} ne peut pas être versée : {SUSPENSION[0].lower()}{SUSPENSION[1:]}"
        )
    # R12: during the grace period of a non-compliant collectif, its payable tranche is still paid.
    if tranche.etat != EtatTranche.EXIGIBLE or convention.etat not in (
        EtatConvention.ACTIVE,
        EtatConvention.NON_CONFORME,
    ):
        raise ValidationError(
            f"La tranche {tranche.rang} n'est pas exigible ({tranche.get_etat_display().lower()}) : "
            "elle ne peut pas être versée."
        )
    erreurs: dict[str, list[str]] = {}
    if montant != tranche.montant:
        erreurs["montant"] = [f"Une tranche se verse en une fois, de son montant : {euros(tranche.montant)}."]
    if date_versement > timezone.localdate():
        erreurs["date_versement"] = ["La date du versement ne peut pas être dans le futur."]
    elif convention.signee_le is not None and date_versement < convention.signee_le:
        erreurs["date_versement"] = [
            f"La convention a été signée le {en_clair(convention.signee_le)} : le versement ne peut pas la précéder."
        ]
    if not reference_bancaire.strip():
        erreurs["reference_bancaire"] = ["Indiquez la référence bancaire du virement."]
    elif len(reference_bancaire.strip()) > 100:
        erreurs["reference_bancaire"] = ["100 caractères au plus."]
    etat = enveloppes_du_departement(convention.fonds, convention.departement_id, [tranche.annee])[tranche.annee]
    if etat.projetee or etat.repartie < etat.prise:
        erreurs.setdefault("montant", []).append(
            f"L'enveloppe {tranche.annee} de {convention.departement} n'est pas encore couverte par la répartition "
            "du fonds : le versement attend que l'équipe nationale la répartisse."
        )
    if erreurs:
        raise ValidationError(erreurs)
    versement = Versement.objects.create(
        tranche=tranche,
        date_versement=date_versement,
        montant=montant,
        reference_bancaire=reference_bancaire.strip(),
        enregistre_par=personne(acteur),
    )
    commun = {
        "fonds": convention.fonds,
        "annee": tranche.annee,
        "departement_id": convention.departement_id,
        "convention": convention,
        "tranche": tranche,
        "acteur": personne(acteur),
        "libelle": f"Versement de la tranche {tranche.rang} de la convention {convention.reference}",
    }
    ecrire(
        [
            EcritureFonds(compte=Compte.ENGAGEMENT, montant=-montant, **commun),
            EcritureFonds(compte=Compte.VERSE, montant=montant, **commun),
        ]
    )
    transition_appliquer(
        tranche,
        "verser",
        acteur=acteur,
        commentaire=f"Versement {reference_bancaire.strip()} du {en_clair(date_versement)}.",
    )
    transaction.on_commit(partial(tasks.emettre_attestation_versement.enqueue, versement.pk))
    return versement


def _annuler(acteur: Acteur | None, convention: Convention, motifs: str, *, verifier: bool) -> Convention:
    """Cancel an unpaid convention with its campaign and convention rows locked: its tranches are cancelled and
    their amounts go back where they were taken from (the campaign's reservation, or the envelope)."""
    tranches = list(convention.tranches.select_for_update(of=("self",)).order_by("rang"))
    if any(t.etat == EtatTranche.VERSEE for t in tranches):
        raise ValidationError("Une convention dont une tranche est versée ne peut plus être annulée.")
    vers = Compte.RESERVATION if convention.campagne_id is not None else Compte.ENVELOPPE
    lignes = []
    libelle = f"Annulation de la convention {convention.reference}"
    for tranche in tranches:
        if tranche.etat == EtatTranche.ANNULEE:
            continue
        commun = {
            "fonds": convention.fonds,
            "annee": tranche.annee,
            "departement_id": convention.departement_id,
            "acteur": personne(acteur),
            "libelle": libelle,
        }
        source = {"campagne_id": convention.campagne_id} if vers == Compte.RESERVATION else {}
        lignes += [
            EcritureFonds(
                compte=Compte.ENGAGEMENT, convention=convention, tranche=tranche, montant=-tranche.montant, **commun
            ),
            EcritureFonds(compte=vers, montant=tranche.montant, **source, **commun),
        ]
        transition_appliquer(tranche, "annuler", acteur=acteur, commentaire=motifs, verifier_permission=verifier)
    ecrire(lignes)
    convention.motifs_annulation = motifs
    transition_appliquer(
        convention,
        "annuler",
        acteur=acteur,
        commentaire=motifs,
        update_fields=["motifs_annulation", "annulee_le"],
        verifier_permission=verifier,
    )
    return convention


@transaction.atomic(durable=True)
def convention_annuler(*, acteur: Acteur, convention: Convention, motifs: str) -> Convention:
    """R7, R5: cancel a convention before its first payment, with reasons. Its unpaid tranches are cancelled and
    given back to the campaign's reservation; for a collectif this frees a place, and the first waitlisted
    declaration goes back on the next séance's agenda (`place_liberee`, received by the instances layer)."""
    convention = _verrouiller_convention(convention)
    exiger(permissions.can_gerer_convention(acteur, convention))
    if convention.etat != EtatConvention.ACTIVE:
        raise ValidationError("Cette convention n'est plus active.")
    motifs = motifs.strip()
    if not motifs:
        raise ValidationError({"motifs": ["Indiquez les motifs de l'annulation."]})
    if len(motifs) > 5000:
        raise ValidationError({"motifs": ["5 000 caractères au plus."]})
    _annuler(acteur, convention, motifs, verifier=True)
    if convention.campagne is not None:
        place_liberee.send(sender=Convention, campagne=convention.campagne, acteur=acteur)
    return convention


def sur_declaration_retiree(
    sender: Any, *, campagne: Campagne, declaration: Declaration | None = None, **kwargs: Any
) -> None:
    """R7: an agreed declaration withdrawn by its collectif: its convention, if nothing was paid yet, is cancelled
    in the withdrawal's transaction, and its money goes back to the campaign's reservation. The place itself was
    freed by the withdrawal. A convention already paid stays as it is (the staff follow it up)."""
    if sender is not Declaration or declaration is None:
        return
    convention = Convention.objects.filter(declaration=declaration, etat=EtatConvention.ACTIVE).first()
    if convention is None or convention.tranches.filter(etat=EtatTranche.VERSEE).exists():
        return
    convention = Convention.objects.select_for_update(of=("self",), no_key=True).get(pk=convention.pk)
    _annuler(None, convention, f"Déclaration retirée par le collectif : {declaration.motif_retrait}", verifier=False)
