"""Writes of the comptes app: account creation, the person's own name, password and e-mail, personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from comptes.models import Acteur, User, normaliser_email, personne
from comptes.permissions import can_gerer_jeton, can_modifier_compte
from comptes.selectors import email_pris
from core.emails import courriel_envoyer, url_absolue

# The link that confirms a new e-mail address: signed, valid this long, and only while the account still has the
# address it was asked from (so it works once).
SEL_CHANGEMENT_EMAIL = "comptes.changement-email"
DUREE_LIEN_CHANGEMENT_EMAIL = timedelta(days=3)
LIEN_EXPIRE = "Ce lien a expiré (il est valable 3 jours). Demandez à nouveau le changement d'adresse."
LIEN_INVALIDE = "Ce lien n'est pas valable : il a déjà servi, ou il est incomplet. Demandez à nouveau le changement."
ADRESSE_PRISE = "Cette adresse est déjà celle d'un autre compte."

# Forgotten password: at most this many reset e-mails per account and per hour (the page says the same either way).
REINITIALISATIONS_PAR_HEURE = 3


@transaction.atomic(durable=True)
def utilisateur_inscrire(*, email: str, prenom: str, nom: str, mot_de_passe: str) -> User:
    """Create an account. Roles (référent, instructeur, national) are given elsewhere, never self-declared."""
    return User.objects.create_user(email=email, password=mot_de_passe, prenom=prenom, nom=nom)


def reinitialisation_autorisee(utilisateur: User) -> bool:
    """Whether one more reset e-mail may go to this account now (REINITIALISATIONS_PAR_HEURE), and count it.
    Keeps the form from being used to flood someone's mailbox; the visitor is never told."""
    cle = f"comptes:reinitialisations:{utilisateur.pk}"
    cache.add(cle, 0, timeout=3600)
    try:
        envoyes = cache.incr(cle)
    except ValueError:  # expired between add and incr
        cache.set(cle, 1, timeout=3600)
        envoyes = 1
    return envoyes <= REINITIALISATIONS_PAR_HEURE


def _titulaire(acteur: Acteur) -> User:
    """The logged-in person changing their own account; anyone else is refused."""
    utilisateur = personne(acteur)
    if utilisateur is None or not can_modifier_compte(utilisateur):
        raise PermissionDenied("Connectez-vous pour modifier votre compte.")
    return utilisateur


@transaction.atomic(durable=True)
def utilisateur_renommer(*, acteur: Acteur, prenom: str, nom: str) -> User:
    """A person changes their own first and last names."""
    utilisateur = _titulaire(acteur)
    utilisateur.prenom, utilisateur.nom = prenom.strip(), nom.strip()
    utilisateur.full_clean(exclude=["password", "email"])
    utilisateur.save(update_fields=["prenom", "nom"])
    return utilisateur


@transaction.atomic(durable=True)
def mot_de_passe_changer(*, acteur: Acteur, mot_de_passe: str) -> User:
    """A person sets their own new password (the form has checked the current one and Django's validators).
    Their other sessions end, since Django ties a session to the password; the caller keeps the current one."""
    utilisateur = _titulaire(acteur)
    utilisateur.set_password(mot_de_passe)
    utilisateur.save(update_fields=["password"])
    return utilisateur


def _jeton_changement_email(utilisateur: User, nouvel_email: str) -> str:
    donnees = {"u": utilisateur.pk, "ancien": utilisateur.email, "nouveau": nouvel_email}
    return signing.TimestampSigner(salt=SEL_CHANGEMENT_EMAIL).sign_object(donnees, compress=True)


def changement_email_lire(*, acteur: Acteur, jeton: str) -> str:
    """The new address a confirmation link carries, if the link is still good for this account: signed, at most
    3 days old, sent to this account, and its address unchanged since (so the link works once)."""
    utilisateur = _titulaire(acteur)
    try:
        donnees: dict[str, Any] = signing.TimestampSigner(salt=SEL_CHANGEMENT_EMAIL).unsign_object(
            jeton, max_age=DUREE_LIEN_CHANGEMENT_EMAIL
        )
    except signing.SignatureExpired as erreur:
        raise ValidationError(LIEN_EXPIRE, code="expire") from erreur
    except signing.BadSignature as erreur:
        raise ValidationError(LIEN_INVALIDE, code="invalide") from erreur
    if donnees.get("u") != utilisateur.pk:
        raise ValidationError(
            "Ce lien a été envoyé pour un autre compte : connectez-vous avec le compte qui a demandé le changement.",
            code="autre_compte",
        )
    if donnees.get("ancien") != utilisateur.email:
        raise ValidationError(LIEN_INVALIDE, code="invalide")
    return str(donnees["nouveau"])


@transaction.atomic(durable=True)
def email_changement_demander(*, acteur: Acteur, nouvel_email: str) -> None:
    """A person asks to log in with another address: the new address gets a confirmation link, and the current
    one is told that a change was asked (in case it was not them). Nothing changes until the link is opened."""
    utilisateur = _titulaire(acteur)
    nouvel_email = normaliser_email(nouvel_email)
    if nouvel_email == utilisateur.email:
        raise ValidationError({"nouvel_email": "C'est déjà votre adresse actuelle."})
    if email_pris(nouvel_email, sauf=utilisateur):
        raise ValidationError({"nouvel_email": ADRESSE_PRISE})
    contexte = {
        "utilisateur": utilisateur,
        "nouvel_email": nouvel_email,
        "url": url_absolue("comptes:email_confirmer", _jeton_changement_email(utilisateur, nouvel_email)),
        "url_mot_de_passe": url_absolue("comptes:mot_de_passe_oublie"),
    }
    ancien_email = utilisateur.email
    transaction.on_commit(
        lambda: courriel_envoyer(
            "Confirmez votre nouvelle adresse électronique",
            "comptes/courriel_email_confirmer.txt",
            contexte,
            [nouvel_email],
        )
    )
    transaction.on_commit(
        lambda: courriel_envoyer(
            "Demande de changement de votre adresse électronique",
            "comptes/courriel_email_ancien.txt",
            contexte,
            [ancien_email],
        )
    )


@transaction.atomic(durable=True)
def email_changement_confirmer(*, acteur: Acteur, jeton: str) -> User:
    """The link is opened: the account now logs in with the new address (see changement_email_lire for when the
    link is good)."""
    utilisateur = User.objects.select_for_update().get(pk=_titulaire(acteur).pk)
    nouvel_email = changement_email_lire(acteur=utilisateur, jeton=jeton)
    if email_pris(nouvel_email, sauf=utilisateur):
        raise ValidationError(ADRESSE_PRISE, code="prise")
    utilisateur.email = nouvel_email
    utilisateur.full_clean(exclude=["password"])
    utilisateur.save(update_fields=["email"])
    return utilisateur


@transaction.atomic(durable=True)
def jeton_creer(*, acteur: Acteur) -> Token:
    """Create (or regenerate) the user's personal API token; the old one stops working."""
    utilisateur = personne(acteur)
    if utilisateur is None or not can_gerer_jeton(utilisateur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    Token.objects.filter(user=utilisateur).delete()
    return Token.objects.create(user=utilisateur)


@transaction.atomic(durable=True)
def jeton_revoquer(*, acteur: Acteur) -> int:
    """Revoke the user's personal API token."""
    utilisateur = personne(acteur)
    if utilisateur is None or not can_gerer_jeton(utilisateur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    supprimes, _ = Token.objects.filter(user=utilisateur).delete()
    return supprimes
