"""Account forms: sign-up and login by e-mail, password reset and change, name and e-mail changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from dsfr.forms import DsfrBoundField

from comptes.models import User, normaliser_email
from comptes.selectors import email_pris
from comptes.services import reinitialisation_autorisee
from core.ui import Formulaire

AIDE_MOT_DE_PASSE = "Au moins 10 caractères, pas uniquement des chiffres."
MOTS_DE_PASSE_DIFFERENTS = "Les deux mots de passe ne sont pas identiques."


class ConnexionForm(AuthenticationForm):
    """Login with the e-mail address (any case) and the password."""

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField
    username = forms.EmailField(
        label="Adresse électronique", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class InscriptionForm(Formulaire):
    """Create an account; the e-mail is the identifier."""

    email = forms.EmailField(label="Adresse électronique", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    prenom = forms.CharField(
        label="Prénom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    nom = forms.CharField(label="Nom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label="Mot de passe",
        help_text=AIDE_MOT_DE_PASSE,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean_email(self) -> str:
        email = normaliser_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse : connectez-vous.")
        return email

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        p1, p2 = donnees.get("password1"), donnees.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1:
            utilisateur = User(
                email=donnees.get("email", ""), prenom=donnees.get("prenom", ""), nom=donnees.get("nom", "")
            )
            try:
                password_validation.validate_password(p1, utilisateur)
            except forms.ValidationError as erreur:
                self.add_error("password1", erreur)
        return donnees


class MotDePasseOublieForm(Formulaire, PasswordResetForm):
    """Ask for a reset link. Django's form sends it only to an active account with that address, and the page
    that follows says the same thing whether or not an account exists."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="L'adresse avec laquelle vous vous connectez.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        # Beyond a few e-mails an hour, an account gets no more (and the visitor sees the same page).
        return (utilisateur for utilisateur in super().get_users(email) if reinitialisation_autorisee(utilisateur))


class NouveauMotDePasseForm(Formulaire, SetPasswordForm):
    """Choose a new password (from a reset link, or after giving the current one): Django's validators apply."""

    error_messages = {"password_mismatch": MOTS_DE_PASSE_DIFFERENTS}
    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        help_text=AIDE_MOT_DE_PASSE,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    new_password2 = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        # As on sign-up, a weak password is reported next to the field where it was typed (Django: the second).
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self) or {}


class MotDePasseChangerForm(NouveauMotDePasseForm):
    """Change the password while logged in: the current password is required."""

    mot_de_passe_actuel = forms.CharField(
        label="Mot de passe actuel",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    field_order = ["mot_de_passe_actuel", "new_password1", "new_password2"]

    def clean_mot_de_passe_actuel(self) -> str:
        mot_de_passe: str = self.cleaned_data["mot_de_passe_actuel"]
        if not self.user.check_password(mot_de_passe):
            raise forms.ValidationError("Ce n'est pas votre mot de passe actuel.", code="password_incorrect")
        return mot_de_passe


class IdentiteForm(Formulaire):
    """The first and last names shown to others (instructeurs, instance members)."""

    prenom = forms.CharField(
        label="Prénom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    nom = forms.CharField(label="Nom", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))


class EmailChangerForm(Formulaire):
    """Ask to change the login address; the current password is required, and the change waits for the new
    address to be confirmed."""

    nouvel_email = forms.EmailField(
        label="Nouvelle adresse électronique",
        max_length=254,
        help_text="Un lien de confirmation y sera envoyé ; l'adresse ne change qu'une fois ce lien ouvert.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mot_de_passe = forms.CharField(
        label="Mot de passe actuel",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_nouvel_email(self) -> str:
        email = normaliser_email(self.cleaned_data["nouvel_email"])
        if email == self.user.email:
            raise forms.ValidationError("C'est déjà votre adresse actuelle.")
        if email_pris(email, sauf=self.user):
            raise forms.ValidationError("Cette adresse est déjà celle d'un autre compte.")
        return email

    def clean_mot_de_passe(self) -> str:
        mot_de_passe: str = self.cleaned_data["mot_de_passe"]
        if not self.user.check_password(mot_de_passe):
            raise forms.ValidationError("Ce n'est pas votre mot de passe actuel.")
        return mot_de_passe
