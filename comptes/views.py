"""Account pages: sign-up, login, logout, account (API token). The dashboard is in config (it reads every app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from comptes import services
from comptes.forms import ConnexionForm, InscriptionForm
from comptes.selectors import jeton_de


@method_decorator(login_not_required, name="dispatch")
class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True


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
