"""Helpers to run a django-fsm-2 transition, save it and journal it in one place (R19)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django_fsm import can_proceed, has_transition_perm

from comptes.models import Acteur, personne
from core.exceptions import ActionImpossible
from journal.models import TransitionLog
from journal.signals import transition_validee


class TransitionInterdite(ActionImpossible):
    """The transition is not available from the object's current state."""


def transition_appliquer(
    obj: models.Model,
    transition: str,
    *,
    acteur: Acteur | None,
    commentaire: str = "",
    champ: str = "etat",
    update_fields: list[str] | None = None,
    verifier_permission: bool = True,
) -> TransitionLog:
    """Run `obj.<transition>()`, save the object and write its TransitionLog row.

    Call it inside the caller's transaction: the state change and the journal row land together.
    The transition method only checks guards and sets fields; side effects belong to the service.
    """
    method = getattr(obj, transition)
    if not can_proceed(method):
        libelle = getattr(obj, f"get_{champ}_display", lambda: getattr(obj, champ))()
        raise TransitionInterdite(f"Cette action n'est pas possible dans l'état actuel ({str(libelle).lower()}).")
    auteur = personne(acteur)
    if verifier_permission and not has_transition_perm(method, auteur or AnonymousUser()):
        raise PermissionDenied("Vous n'avez pas le droit d'effectuer cette action.")
    source = getattr(obj, champ)
    method()
    fields = [champ, *(update_fields or [])]
    obj.save(update_fields=fields)
    cible = getattr(obj, champ)
    acteur_id = auteur.pk if auteur is not None else None
    modele, pk = type(obj), obj.pk
    transaction.on_commit(
        lambda: transition_validee.send(
            sender=modele, modele=modele, pk=pk, transition=transition, source=source, cible=cible, acteur_id=acteur_id
        )
    )
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        champ=champ,
        transition=transition,
        source=source,
        cible=getattr(obj, champ),
        acteur=auteur,
        commentaire=commentaire,
    )


def transitions_disponibles(obj: models.Model, user: Acteur, champ: str = "etat") -> list[str]:
    """Names of the transitions this user may run now: templates show actions from this, never from
    hand-written state checks (CONVENTIONS §3.4)."""
    methode = getattr(obj, f"get_available_user_{champ}_transitions")
    return [t.name for t in methode(user)]


def historique(obj: models.Model) -> models.QuerySet[TransitionLog]:
    """The journal rows of one object, oldest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("acteur")
