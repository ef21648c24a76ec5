"""R8: a funder's login. National staff invite a person by e-mail; that person, logged in with the invited
address, accepts, and the account then reads the funder's own view (what its money financed), nothing else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.models import Acteur, normaliser_email, personne
from comptes.permissions import connecte
from core.permissions import REFUS, exiger
from fonds import permissions
from fonds.models import AccesFinanceur, Financeur
from fonds.services.grand_livre import valider
from fonds.tasks import envoyer_invitation_financeur


@transaction.atomic(durable=True)
def financeur_inviter(*, acteur: Acteur, financeur: Financeur, email: str) -> AccesFinanceur:
    """R8: national staff give a funder a login by inviting a person by e-mail (sent after commit)."""
    exiger(permissions.can_inviter_financeur(acteur))
    email = normaliser_email(email)
    invitant = personne(acteur)
    assert invitant is not None  # can_inviter_financeur lets only logged-in national staff through
    acces = AccesFinanceur(financeur=financeur, email=email, invite_par=invitant)
    valider(acces, exclure=["jeton", "utilisateur"])
    if AccesFinanceur.objects.filter(financeur=financeur, email=email, accepte_le__isnull=False).exists():
        raise ValidationError({"email": [f"{email} a déjà accès à la vue de {financeur}."]})
    acces.save()
    transaction.on_commit(lambda: envoyer_invitation_financeur.enqueue(acces.pk))
    return acces


@transaction.atomic(durable=True)
def acces_financeur_accepter(*, acteur: Acteur, acces: AccesFinanceur) -> Financeur:
    """R8: the invited person, logged in with the invited e-mail, accepts once: the account becomes the funder's.
    An account reads one funder's view at most."""
    if not connecte(acteur):
        raise PermissionDenied(REFUS)
    acces = AccesFinanceur.objects.select_for_update(of=("self",)).select_related("financeur").get(pk=acces.pk)
    if acces.accepte_le is not None:
        raise ValidationError("Cette invitation a déjà été utilisée.")
    if normaliser_email(acteur.email) != normaliser_email(acces.email):
        raise ValidationError(
            f"Cette invitation est adressée à {acces.email} : connectez-vous avec cette adresse pour l'accepter."
        )
    if AccesFinanceur.objects.filter(utilisateur=acteur).exists():
        raise ValidationError("Votre compte donne déjà accès à la vue d'un financeur : un compte n'en lit qu'une.")
    acces.utilisateur = acteur
    acces.accepte_le = timezone.now()
    acces.save(update_fields=["utilisateur", "accepte_le"])
    return acces.financeur
