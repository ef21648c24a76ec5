"""Account forms: sign-up and login by e-mail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBoundField

from comptes.models import User, normaliser_email
from core.ui import Formulaire


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
        help_text="Au moins 10 caractères, pas uniquement des chiffres.",
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
