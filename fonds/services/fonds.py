"""Writes of the fund (R8): the fund, its funders, their yearly contributions and the distribution into
departmental envelopes. Every money movement writes balanced ledger lines in the same transaction (R19,
ADR 0005); the rows that guard a limit are locked first (the fund for a distribution)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from comptes.models import Acteur, personne
from core.permissions import exiger
from fonds import permissions
from fonds.enums import Compte, GestionFonds, NatureFinanceur
from fonds.models import Abondement, EcritureFonds, Enveloppe, Financeur, Fonds
from fonds.selectors import enveloppes_du_departement, solde
from fonds.services.grand_livre import ecrire, euros, valider
from territoires.models import Departement


@transaction.atomic(durable=True)
def fonds_creer(
    *, acteur: Acteur, nom: str, gestion: str = GestionFonds.NATIONALE, departement: Departement | None = None
) -> Fonds:
    """R8: create the fund, managed nationally by default, or by one département."""
    exiger(permissions.can_creer_fonds(acteur))
    fonds = Fonds(nom=nom.strip(), gestion=gestion, departement=departement)
    valider(fonds)
    if (gestion == GestionFonds.DEPARTEMENTALE) != (departement is not None):
        raise ValidationError({"departement": ["Un fonds géré par un département nomme ce département, et lui seul."]})
    if gestion == GestionFonds.NATIONALE and Fonds.objects.filter(gestion=GestionFonds.NATIONALE).exists():
        raise ValidationError({"gestion": ["Le fonds national existe déjà : il n'y en a qu'un."]})
    if departement is not None and Fonds.objects.filter(departement=departement).exists():
        raise ValidationError({"departement": [f"{departement} gère déjà son propre fonds."]})
    fonds.save()
    return fonds


@transaction.atomic(durable=True)
def financeur_creer(*, acteur: Acteur, nom: str, nature: str, siret: str = "") -> Financeur:
    """R8: register a funder with its kind (État, département, fondation…)."""
    exiger(permissions.can_gerer_financeurs(acteur))
    if nature not in NatureFinanceur.values:
        raise ValidationError({"nature": ["Choisissez la nature du financeur."]})
    financeur = Financeur(nom=nom.strip(), nature=nature, siret=siret.replace(" ", ""))
    valider(financeur)
    if Financeur.objects.filter(nom__iexact=financeur.nom).exists():
        raise ValidationError({"nom": [f"Le financeur « {financeur.nom} » est déjà enregistré."]})
    financeur.save()
    return financeur


@transaction.atomic(durable=True)
def abondement_enregistrer(
    *,
    acteur: Acteur,
    fonds: Fonds,
    financeur: Financeur,
    annee: int,
    montant: Decimal,
    departement_fleche: Departement | None = None,
) -> Abondement:
    """R8: a funder's contribution for a budget year, optionally earmarked for one département. The ledger
    takes it from the funder's contributions and makes it available to distribute."""
    exiger(permissions.can_gerer_fonds(acteur, fonds))
    if (
        departement_fleche is not None
        and fonds.departement_id is not None
        and departement_fleche.code != fonds.departement_id
    ):
        raise ValidationError({"departement_fleche": ["Ce fonds ne finance que son propre département."]})
    abondement = Abondement(
        fonds=fonds,
        financeur=financeur,
        annee=annee,
        montant=montant,
        departement_fleche=departement_fleche,
        enregistre_par=personne(acteur),
    )
    valider(abondement, exclure=["enregistre_par"])
    abondement.save()
    commun = {"fonds": fonds, "annee": annee, "abondement": abondement, "acteur": personne(acteur)}
    libelle = f"Abondement de {financeur} pour {annee}"
    ecrire(
        [
            EcritureFonds(compte=Compte.APPORT, financeur=financeur, montant=-montant, libelle=libelle, **commun),
            EcritureFonds(
                compte=Compte.DISPONIBLE, departement=departement_fleche, montant=montant, libelle=libelle, **commun
            ),
        ]
    )
    return abondement


@transaction.atomic(durable=True)
def enveloppe_repartir(
    *, acteur: Acteur, fonds: Fonds, departement: Departement, annee: int, montant: Decimal
) -> Enveloppe:
    """R8: distribute part of a year's contributions into a département's envelope. Money earmarked for that
    département goes first, then the unearmarked pool; Σ envelopes never exceeds Σ contributions, and earmarked
    money never funds another département. The fund row is locked: concurrent distributions wait."""
    fonds = Fonds.objects.select_for_update().get(pk=fonds.pk)
    exiger(permissions.can_gerer_fonds(acteur, fonds))
    if montant <= 0:
        raise ValidationError({"montant": ["Le montant à répartir doit être positif."]})
    if fonds.departement_id is not None and departement.code != fonds.departement_id:
        raise ValidationError({"departement": ["Ce fonds ne finance que son propre département."]})
    fleche = solde(fonds, Compte.DISPONIBLE, annee, departement=departement)
    commun_pool = solde(fonds, Compte.DISPONIBLE, annee, departement=None)
    if montant > fleche + commun_pool:
        raise ValidationError(
            {
                "montant": [
                    f"Il reste {euros(fleche + commun_pool)} à répartir pour {departement} en {annee} "
                    f"(dont {euros(fleche)} fléchés vers ce département) : il manque "
                    f"{euros(montant - fleche - commun_pool)}."
                ]
            }
        )
    enveloppe, _ = Enveloppe.objects.get_or_create(fonds=fonds, departement=departement, annee=annee)
    depuis_fleche = min(fleche, montant)
    commun = {"fonds": fonds, "annee": annee, "acteur": personne(acteur)}
    libelle = f"Répartition {annee} vers {departement}"
    lignes = [
        EcritureFonds(compte=Compte.ENVELOPPE, departement=departement, montant=montant, libelle=libelle, **commun)
    ]
    if depuis_fleche > 0:
        lignes.append(
            EcritureFonds(
                compte=Compte.DISPONIBLE, departement=departement, montant=-depuis_fleche, libelle=libelle, **commun
            )
        )
    if montant - depuis_fleche > 0:
        lignes.append(
            EcritureFonds(compte=Compte.DISPONIBLE, montant=-(montant - depuis_fleche), libelle=libelle, **commun)
        )
    ecrire(lignes)
    _verifier_couverture(fonds, departement, annee)
    return enveloppe


def _verifier_couverture(fonds: Fonds, departement: Departement, annee: int) -> None:
    """R3, R8: campaigns may have reserved a year before it was distributed, against the projection (the last
    amount known). Distributing that year, or an earlier one, sets or moves that projection: it is refused when an
    envelope would no longer cover what is already reserved and committed in it (Σ reservations ≤ envelope holds
    at every moment). The envelope rows of the later years are locked, as an opening locks them."""
    list(
        Enveloppe.objects.select_for_update()
        .filter(fonds=fonds, departement=departement, annee__gte=annee)
        .order_by("annee")
    )
    annees = sorted(
        set(
            EcritureFonds.objects.filter(
                fonds=fonds, compte=Compte.ENVELOPPE, departement=departement, annee__gte=annee
            ).values_list("annee", flat=True)
        )
    )
    erreurs = [
        f"Après cette répartition, l'enveloppe {etat.annee} de {departement} "
        f"({'projetée à ' if etat.projetee else ''}{euros(etat.base)}) ne couvrirait plus les "
        f"{euros(etat.prise)} déjà réservés ou engagés : il manquerait {euros(etat.prise - etat.base)}."
        for etat in enveloppes_du_departement(fonds, departement.code, annees).values()
        if etat.prise > etat.base
    ]
    if erreurs:
        raise ValidationError({"montant": erreurs})


@transaction.atomic(durable=True)
def mouvement_extourner(*, acteur: Acteur, fonds: Fonds, mouvement: uuid.UUID, motif: str) -> list[EcritureFonds]:
    """R8, R19: correct a contribution or a distribution recorded by mistake. Nothing is changed or deleted: a new
    movement takes its lines back at the opposite sign and points to it (`extourne_de`). Refused when the money is
    no longer there (already distributed, or already reserved), when it was already reversed, and for the
    movements of campaigns and conventions, which their own transitions undo (cancellation). The fund row is locked,
    as a distribution locks it."""
    fonds = Fonds.objects.select_for_update().get(pk=fonds.pk)
    exiger(permissions.can_gerer_fonds(acteur, fonds))
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": ["Indiquez pourquoi ce mouvement est extourné."]})
    if len(motif) > 150:
        raise ValidationError({"motif": ["150 caractères au plus."]})
    lignes = list(EcritureFonds.objects.filter(fonds=fonds, mouvement=mouvement).select_related("departement"))
    if not lignes:
        raise ValidationError("Ce mouvement n'existe pas dans le grand livre de ce fonds.")
    comptes = {ligne.compte for ligne in lignes}
    if lignes[0].extourne_de is not None:
        raise ValidationError("Ce mouvement est déjà une extourne : enregistrez à nouveau l'opération voulue.")
    if not (comptes == {Compte.APPORT, Compte.DISPONIBLE} or comptes == {Compte.ENVELOPPE, Compte.DISPONIBLE}):
        raise ValidationError(
            "Seuls un abondement ou une répartition s'extournent ici ; une réservation, un engagement ou un "
            "versement se défont par l'annulation de la convention."
        )
    if EcritureFonds.objects.filter(extourne_de=mouvement).exists():
        raise ValidationError("Ce mouvement a déjà été extourné.")
    annee = lignes[0].annee
    for ligne in lignes:
        if ligne.compte == Compte.DISPONIBLE and ligne.montant > 0:
            reste = solde(fonds, Compte.DISPONIBLE, annee, departement=ligne.departement)
            if reste < ligne.montant:
                raise ValidationError(
                    f"Il ne reste que {euros(reste)} à répartir de cet abondement en {annee} : répartition faite, "
                    "il ne peut plus être extourné en entier. Extournez d'abord les répartitions concernées."
                )
    ecrire(
        [
            EcritureFonds(
                compte=ligne.compte,
                fonds=fonds,
                annee=ligne.annee,
                departement=ligne.departement,
                financeur=ligne.financeur,
                abondement=ligne.abondement,
                montant=-ligne.montant,
                libelle=f"Extourne : {motif}"[:200],
                acteur=personne(acteur),
            )
            for ligne in lignes
        ],
        extourne_de=mouvement,
    )
    enveloppe = next((ligne for ligne in lignes if ligne.compte == Compte.ENVELOPPE), None)
    if enveloppe is not None and enveloppe.departement is not None:
        _verifier_couverture(fonds, enveloppe.departement, annee)
    return lignes
