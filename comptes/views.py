"""Account pages: sign-up, login (local, or ProConnect when enabled), logout, forgotten password, account (name,
password, e-mail, API token). The dashboard is in config (it reads every app)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from comptes import services
from comptes.backends import identifiant_axes
from comptes.forms import (
    ConnexionForm,
    EmailChangerForm,
    IdentiteForm,
    InscriptionForm,
    MotDePasseChangerForm,
    MotDePasseOublieForm,
    NouveauMotDePasseForm,
)
from comptes.models import User, personne
from comptes.oidc import SESSION_JETON_IDENTITE, motif_refus, proconnect_active, url_fin_de_session
from comptes.selectors import jeton_de
from core.ui import appliquer_erreurs


@method_decorator(login_not_required, name="dispatch")
class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "proconnect": proconnect_active()}


class DeconnexionView(auth_views.LogoutView):
    """Local logout; after a ProConnect login, also the provider's session when its end-session URL is configured."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(SESSION_JETON_IDENTITE, "")
        reponse = super().post(request, *args, **kwargs)
        url = url_fin_de_session(request, id_token)
        return redirect(url) if url else reponse


# --- ProConnect (routes exist only when enabled: comptes/urls.py) ----------------------------------------------------

# The button's target: redirects to the provider with a fresh state and nonce kept in the session.
proconnect_connexion = login_not_required(OIDCAuthenticationRequestView.as_view())


@method_decorator(login_not_required, name="dispatch")
class ProConnectRetourView(OIDCAuthenticationCallbackView):
    """The provider's return: opens the session of the matching agent (comptes.oidc.ProConnectBackend), or explains
    in French why it did not."""

    def login_failure(self) -> HttpResponse:
        contexte = {"motif": motif_refus(self.request).value}
        return render(self.request, "comptes/proconnect_refus.html", contexte, status=403)


@login_not_required
@require_http_methods(["GET", "POST"])
def inscription(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tableau_de_bord")
    form = InscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        utilisateur = services.utilisateur_inscrire(
            email=form.cleaned_data["email"],
            prenom=form.cleaned_data["prenom"],
            nom=form.cleaned_data["nom"],
            mot_de_passe=form.cleaned_data["password1"],
        )
        login(request, utilisateur, backend="comptes.backends.EmailBackend")
        messages.success(request, "Votre compte est créé.")
        return redirect(request.GET.get("next") or "tableau_de_bord")
    return render(request, "comptes/inscription.html", {"form": form})


# --- Forgotten password: Django's views, with our templates and forms -----------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class MotDePasseOublieView(auth_views.PasswordResetView):
    """Ask for a reset link. The next page says the same thing whether or not the address has an account."""

    template_name = "comptes/mot_de_passe/oublie.html"
    form_class = MotDePasseOublieForm
    email_template_name = "comptes/mot_de_passe/courriel_reinitialisation.txt"
    subject_template_name = "comptes/mot_de_passe/courriel_reinitialisation_sujet.txt"
    success_url = reverse_lazy("comptes:mot_de_passe_oublie_envoye")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        # The link is built on SITE_URL, never on the request's Host header.
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "jours": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }


@method_decorator(login_not_required, name="dispatch")
class MotDePasseOublieEnvoyeView(auth_views.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe/oublie_envoye.html"


@method_decorator(login_not_required, name="dispatch")
class MotDePasseNouveauView(auth_views.PasswordResetConfirmView):
    """The e-mail's link: choose a new password. Django's token expires after PASSWORD_RESET_TIMEOUT and stops
    working once the password has changed."""

    template_name = "comptes/mot_de_passe/nouveau.html"
    form_class = NouveauMotDePasseForm
    success_url = reverse_lazy("comptes:mot_de_passe_reinitialise")

    def form_valid(self, form: NouveauMotDePasseForm) -> HttpResponse:
        reponse = super().form_valid(form)
        # Whoever proved they own the address may log in again at once, even after too many failures.
        axes_reset(username=identifiant_axes(None, {"username": form.user.email}))
        return reponse


@method_decorator(login_not_required, name="dispatch")
class MotDePasseReinitialiseView(auth_views.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe/reinitialise.html"


# --- Mon compte ------------------------------------------------------------------------------------------------------


def _moi(request: HttpRequest) -> User:
    """The logged-in person (LoginRequiredMiddleware has sent anyone else to the login page)."""
    utilisateur = personne(request.user)
    if utilisateur is None:
        raise PermissionDenied
    return utilisateur


@require_http_methods(["GET"])
def compte(request: HttpRequest) -> HttpResponse:
    return render(request, "comptes/compte.html", {"jeton": jeton_de(request.user)})


@require_POST
def jeton_creer(request: HttpRequest) -> HttpResponse:
    jeton = services.jeton_creer(acteur=request.user)
    messages.success(request, "Votre jeton d'accès à l'API est créé. Gardez-le secret.")
    return render(request, "comptes/compte.html", {"jeton": jeton, "jeton_nouveau": True})


@require_POST
def jeton_revoquer(request: HttpRequest) -> HttpResponse:
    services.jeton_revoquer(acteur=request.user)
    messages.success(request, "Votre jeton d'accès à l'API est révoqué.")
    return redirect("comptes:compte")


@require_http_methods(["GET", "POST"])
def identite(request: HttpRequest) -> HttpResponse:
    moi = _moi(request)
    form = IdentiteForm(request.POST or None, initial={"prenom": moi.prenom, "nom": moi.nom})
    if request.method == "POST" and form.is_valid():
        try:
            services.utilisateur_renommer(
                acteur=request.user, prenom=form.cleaned_data["prenom"], nom=form.cleaned_data["nom"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Votre nom est modifié.")
            return redirect("comptes:compte")
    return render(request, "comptes/identite.html", {"form": form})


@require_http_methods(["GET", "POST"])
def mot_de_passe_changer(request: HttpRequest) -> HttpResponse:
    form = MotDePasseChangerForm(_moi(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        utilisateur = services.mot_de_passe_changer(
            acteur=request.user, mot_de_passe=form.cleaned_data["new_password1"]
        )
        # This session stays open; the person's other sessions end.
        update_session_auth_hash(request, utilisateur)
        messages.success(request, "Votre mot de passe est modifié.")
        return redirect("comptes:compte")
    return render(request, "comptes/mot_de_passe/changer.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_changer(request: HttpRequest) -> HttpResponse:
    form = EmailChangerForm(_moi(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_changement_demander(acteur=request.user, nouvel_email=form.cleaned_data["nouvel_email"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(
                request,
                f"Un lien de confirmation est envoyé à {form.cleaned_data['nouvel_email']}. "
                "Votre adresse changera quand vous l'ouvrirez (il est valable 3 jours).",
            )
            return redirect("comptes:compte")
    return render(request, "comptes/email_changer.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_confirmer(request: HttpRequest, jeton: str) -> HttpResponseBase:
    """GET shows what will change (mail scanners that open links change nothing); POST changes it."""
    try:
        if request.method == "POST":
            utilisateur = services.email_changement_confirmer(acteur=request.user, jeton=jeton)
            messages.success(
                request, f"Votre adresse est modifiée : connectez-vous désormais avec {utilisateur.email}."
            )
            return redirect("comptes:compte")
        nouvel_email = services.changement_email_lire(acteur=request.user, jeton=jeton)
    except ValidationError as erreur:
        return render(request, "comptes/email_confirmer.html", {"erreur": " ".join(erreur.messages)}, status=400)
    return render(request, "comptes/email_confirmer.html", {"nouvel_email": nouvel_email})
