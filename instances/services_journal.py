"""Writes of the research-action journal (R10): the accompagnateur currently assigned to a collectif keeps a
journal of dated entries on it. Entries are never edited; a correction is a new entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from collectifs.models import Collectif
from comptes.models import Acteur, personne
from core.permissions import exiger
from instances import permissions
from instances.models import LONGUEUR_ENTREE_JOURNAL, AffectationAccompagnateur, EntreeJournal


@transaction.atomic(durable=True)
def entree_journal_ajouter(*, acteur: Acteur, collectif: Collectif, date_entree: date, texte: str) -> EntreeJournal:
    """R10: the collectif's current accompagnateur adds a dated entry to its journal. The date is not in the
    future and not before the assignment's first day; the text is not empty."""
    exiger(permissions.can_ecrire_journal(acteur, collectif))
    auteur = personne(acteur)
    assert auteur is not None  # can_ecrire_journal lets only logged-in users through
    affectation = (
        AffectationAccompagnateur.objects.filter(collectif=collectif, fin__isnull=True, accompagnateur__user=auteur)
        .select_related("accompagnateur")
        .get()
    )
    erreurs: dict[str, list[str]] = {}
    texte = texte.strip()
    if not texte:
        erreurs["texte"] = ["Écrivez l'entrée du journal."]
    elif len(texte) > LONGUEUR_ENTREE_JOURNAL:
        erreurs["texte"] = [f"{LONGUEUR_ENTREE_JOURNAL} caractères au plus."]
    if date_entree > timezone.localdate():
        erreurs["date"] = ["La date ne peut pas être dans le futur."]
    elif date_entree < timezone.localdate(affectation.affecte_le):
        erreurs["date"] = [
            f"La date ne peut pas précéder votre affectation au collectif "
            f"(le {timezone.localdate(affectation.affecte_le):%d/%m/%Y})."
        ]
    if erreurs:
        raise ValidationError(erreurs)
    return EntreeJournal.objects.create(
        collectif=collectif, accompagnateur=affectation.accompagnateur, auteur=auteur, date=date_entree, texte=texte
    )
