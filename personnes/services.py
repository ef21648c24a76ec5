"""Anonymising a person on request (R20), without breaking the audit trail or the totals (R19).

The person's identity rows get the pseudonym « Personne 8F3A »; every free-text column of every model loses the
mentions of their name and e-mail; the documents that named them are re-issued from the anonymised data and the
old ones marked replaced, their files purged. Rows, counts, amounts, votes and transitions stay. Append-only
rows change only through `journal.anonymisation.lignes_reecrire`, under the chained `Anonymisation` record.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration, InvitationReferent, cle_personne
from comptes.models import Acteur, User
from core.permissions import exiger
from documents.models import Document
from documents.reemission import document_reemettre
from fonds.models import AccesEmployeur, AccesFinanceur
from instances.models import Invitation
from journal.anonymisation import anonymisation_enregistrer, lignes_reecrire
from journal.models import Anonymisation
from personnes.selectors import (
    Personne,
    can_anonymiser_personne,
    documents_nommant,
    motif_personne,
    pseudonyme_code,
)

LONGUEUR_MOTIF = 2000


@dataclass(frozen=True)
class Pseudonyme:
    """What replaces the person: « Personne 8F3A », and an address that reaches nobody."""

    code: str

    @property
    def prenom(self) -> str:
        return "Personne"

    @property
    def nom(self) -> str:
        return self.code

    @property
    def texte(self) -> str:
        return f"Personne {self.code}"

    @property
    def email(self) -> str:
        return f"personne-{self.code.lower()}@anonyme.invalid"


def reference_de(personne: Personne) -> str:
    """An opaque reference of the person for the Anonymisation record (never their name): HMAC of their key."""
    return hmac.new(settings.SECRET_KEY.encode(), personne.cle.encode(), hashlib.sha256).hexdigest()


def remplacer(texte: str, expression: re.Pattern[str], pseudonyme: Pseudonyme) -> str:
    """The text with each mention of the person (name or e-mail) replaced by the pseudonym or its address."""
    return expression.sub(lambda m: pseudonyme.email if "@" in m.group(0) else pseudonyme.texte, texte)


def colonnes_texte(modele: type[models.Model]) -> list[str]:
    """The free-text columns of a model that may mention a person. Hash-chained tables declare theirs
    (`TEXTES_LIBRES`); elsewhere, every character or text column but choices and keys."""
    declarees = getattr(modele, "TEXTES_LIBRES", None)
    if declarees is not None:
        return list(declarees)
    return [
        f.attname
        for f in modele._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.primary_key
    ]


def _ajout_seul(modele: type[models.Model]) -> bool:
    return hasattr(modele, "TEXTES_LIBRES")


def _reecrire(anonymisation: Anonymisation, objet: models.Model, valeurs: dict[str, Any]) -> None:
    """Change a row: append-only ones through the journal's single door, the others directly (no signals)."""
    modele = type(objet)
    if _ajout_seul(modele):
        lignes_reecrire(anonymisation, objet, valeurs)
    else:
        modele._base_manager.filter(pk=objet.pk).update(**valeurs)


def _tronquer(modele: type[models.Model], colonne: str, valeur: str) -> str:
    champ = modele._meta.get_field(colonne)
    longueur = champ.max_length if isinstance(champ, models.Field) else None
    return valeur[:longueur] if longueur else valeur


def lignes_mentionnant(motif: str, modeles: Iterable[type[models.Model]]) -> list[models.Model]:
    """The rows of `modeles` whose free-text columns match `motif`: one query per model (a case-insensitive regular
    expression, accent-insensitive by construction)."""
    lignes: list[models.Model] = []
    for modele in modeles:
        colonnes = colonnes_texte(modele)
        if not colonnes or modele._meta.proxy or not modele._meta.managed:
            continue
        filtre = Q()
        for colonne in colonnes:
            filtre |= Q(**{f"{colonne}__iregex": motif})
        lignes += modele._base_manager.filter(filtre).order_by("pk")
    return lignes


def mentions_remplacer(
    *, anonymisation: Anonymisation, motif: str, pseudonyme: Pseudonyme, lignes: Iterable[models.Model]
) -> int:
    """Replace every mention matching `motif` in the free-text columns of `lignes`, each changed row written once.
    Returns the number of rows changed."""
    expression = re.compile(motif, re.IGNORECASE)
    modifiees = 0
    for objet in lignes:
        modele = type(objet)
        valeurs = {}
        for colonne in colonnes_texte(modele):
            avant = getattr(objet, colonne)
            if isinstance(avant, str) and expression.search(avant):
                valeurs[colonne] = _tronquer(modele, colonne, remplacer(avant, expression, pseudonyme))
        if valeurs:
            _reecrire(anonymisation, objet, valeurs)
            modifiees += 1
    return modifiees


def _identite_remplacer(personne: Personne, pseudonyme: Pseudonyme) -> None:
    """The rows that carry the person get the pseudonym; optional contact details are dropped."""
    emails = personne.emails
    if personne.compte is not None:
        compte = User.objects.select_for_update().get(pk=personne.compte.pk)
        compte.prenom, compte.nom, compte.email, compte.is_active = (
            pseudonyme.prenom,
            pseudonyme.nom,
            pseudonyme.email,
            False,
        )
        compte.set_unusable_password()
        compte.save(update_fields=["prenom", "nom", "email", "is_active", "password"])
        Token.objects.filter(user=compte).delete()
    for membre in personne.membres:
        type(membre)._base_manager.filter(pk=membre.pk).update(
            prenom=pseudonyme.prenom,
            nom=pseudonyme.nom,
            cle=cle_personne(pseudonyme.prenom, pseudonyme.nom),
            email="",
            telephone="",
        )
    for lignes in (personne.membres_instance, personne.jurys):
        for ligne in lignes:
            type(ligne)._base_manager.filter(pk=ligne.pk).update(prenom=pseudonyme.prenom, nom=pseudonyme.nom)
    for accompagnateur in personne.accompagnateurs:
        type(accompagnateur)._base_manager.filter(pk=accompagnateur.pk).update(
            prenom=pseudonyme.prenom, nom=pseudonyme.nom, email=""
        )
    if emails:
        par_email = Q()
        for email in emails:
            par_email |= Q(email__iexact=email)
        for modele in (Invitation, InvitationReferent, AccesFinanceur, AccesEmployeur):
            modele._base_manager.filter(par_email).update(email=pseudonyme.email)


def _documents_reemettre(*, acteur: Acteur, anonymisation: Anonymisation, documents: list[Document]) -> list[Document]:
    """Re-issue each document from the anonymised data; the old row stays, marked replaced, and loses its file
    once the transaction commits. Rows that point to the old document (a synthesis, a report) follow the new."""
    nouveaux = []
    renvois: list[tuple[type[models.Model], str]] = [
        (relation.field.model, relation.field.name)
        for relation in Document._meta.get_fields(include_hidden=True)  # hidden: related_name="+" counts too
        if isinstance(relation, models.ForeignObjectRel)
        and isinstance(relation.field, models.ForeignKey)
        and relation.field.model is not Document
    ]
    for ancien in documents:
        nouveau = document_reemettre(acteur=acteur, document=ancien)
        lignes_reecrire(anonymisation, ancien, {"remplace_par": nouveau})
        for modele, champ in renvois:
            modele._base_manager.filter(**{champ: ancien}).update(**{champ: nouveau})
        transaction.on_commit(partial(ancien.fichier.storage.delete, ancien.fichier.name))
        nouveaux.append(nouveau)
    return nouveaux


@transaction.atomic(durable=True)
def personne_anonymiser(*, acteur: Acteur, personne: Personne, motif: str) -> Anonymisation:
    """R20: replace the person's name, e-mail and phone everywhere by a stable pseudonym, re-issue the documents
    that named them, and record who did it, when and why (not the old name). National staff only, with a reason.
    Counts, totals, votes, transitions and ledger rows stay (R19)."""
    exiger(can_anonymiser_personne(acteur))
    motif = motif.strip()
    expression = motif_personne(personne)
    if not motif:
        raise ValidationError({"motif": ["Indiquez le motif de l'anonymisation (la demande de la personne)."]})
    if len(motif) > LONGUEUR_MOTIF:
        raise ValidationError({"motif": [f"Le motif tient en {LONGUEUR_MOTIF} caractères au plus."]})
    if expression and re.search(expression, motif, re.IGNORECASE):
        raise ValidationError({"motif": ["Le motif ne doit citer ni le nom ni l'adresse de la personne."]})
    if not expression:
        raise ValidationError("Cette personne n'a ni nom ni adresse à anonymiser.")
    pseudonyme = Pseudonyme(pseudonyme_code(personne))
    if (personne.prenom, personne.nom) == (pseudonyme.prenom, pseudonyme.nom):
        raise ValidationError("Cette personne est déjà anonymisée.")
    # Found before anything changes: the rows that mention the person, and the documents whose text names them
    # (about an object tied to the person, or about one of those rows: a synthesis that thanks them by name).
    lignes = lignes_mentionnant(expression, apps.get_models())
    documents = documents_nommant(personne, lignes)
    anonymisation = anonymisation_enregistrer(
        acteur=acteur, motif=motif, pseudonyme=pseudonyme.texte, reference=reference_de(personne)
    )
    _identite_remplacer(personne, pseudonyme)
    # Read again: the identity rows have just changed.
    lignes = lignes_mentionnant(expression, apps.get_models())
    mentions_remplacer(anonymisation=anonymisation, motif=expression, pseudonyme=pseudonyme, lignes=lignes)
    _documents_reemettre(acteur=acteur, anonymisation=anonymisation, documents=documents)
    return anonymisation


# --- Retention (R20) ---------------------------------------------------------------------------------------------

CONSERVATION = timedelta(days=3 * 365)  # drafts never filed and accounts never used: three years


@dataclass
class Purge:
    """What a retention run deleted (or would delete), and what it kept because something protected refers to it."""

    brouillons: list[str]
    comptes: list[str]
    conserves: list[str]


def _supprimer(objet: models.Model, libelle: str, purge_liste: list[str], conserves: list[str]) -> None:
    try:
        with transaction.atomic():
            objet.delete()
    except ProtectedError:
        conserves.append(f"{libelle} (encore référencé : conservé)")
    else:
        purge_liste.append(libelle)


def donnees_purger(*, maintenant: datetime | None = None, simulation: bool = False) -> Purge:
    """R20: delete the draft declarations never filed and untouched for three years, and the accounts never used
    (no login) created more than three years ago, unless a protected row refers to them (the audit trail wins).
    `simulation`: say what would go, delete nothing."""
    limite = (maintenant or timezone.now()) - CONSERVATION
    brouillons = Declaration.objects.filter(
        etat=EtatDeclaration.BROUILLON, deposee_le__isnull=True, modifiee_le__lt=limite
    ).select_related("collectif")
    comptes = User.objects.filter(
        last_login__isnull=True, date_joined__lt=limite, is_staff=False, is_superuser=False, est_equipe_nationale=False
    )
    purge = Purge(brouillons=[], comptes=[], conserves=[])
    for declaration in brouillons.order_by("pk"):
        libelle = f"Brouillon n° {declaration.pk} du collectif « {declaration.collectif.nom} »"
        if simulation:
            purge.brouillons.append(libelle)
        else:
            _supprimer(declaration, libelle, purge.brouillons, purge.conserves)
    for compte in comptes.order_by("pk"):
        libelle = f"Compte n° {compte.pk} créé le {timezone.localtime(compte.date_joined):%d/%m/%Y}"
        if simulation:
            purge.comptes.append(libelle)
        else:
            _supprimer(compte, libelle, purge.comptes, purge.conserves)
    return purge
