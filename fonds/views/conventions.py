"""Pages of the conventions (R7, R8) for the instructeurs of their départements, read-only for national staff:
the list, the convention page (parties, tranches, payments, documents, journal) and its actions — signature,
payment of a payable tranche, release of a later tranche, cancellation before the first payment — and the form of
a project of another kind of beneficiary (R8).

Thin adapters over fonds.services: a scoped selector fetches (404 when hidden), a predicate gives 403 when
visible but not allowed, one service writes. Service errors about a field are shown next to it with the input
kept (422); the others come back as messages on the convention page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale, est_instructeur
from comptes.selectors import departements_instruits_par
from core.ui import appliquer_erreurs
from documents.models import Document
from documents.views import reponse_pdf
from fonds import permissions, services
from fonds.enums import EtatConvention, EtatTranche, GestionFonds
from fonds.filtres import ListeConventions, perimetre_conventions
from fonds.forms.conventions import AnnulationForm, ProjetForm, SignatureForm, VersementForm
from fonds.models import Convention, Fonds, Tranche, Versement
from fonds.selectors.visibilite import conventions_visibles
from fonds.services.conventions import pourquoi_pas_liberable
from journal.models import TransitionLog

REFUS = "Les conventions sont gérées par les instructeur·rices du département ; l'équipe nationale les consulte."


def _exiger_personnel(request: HttpRequest) -> None:
    """The conventions' pages are the staff's: instructeurs and national staff (a collectif reads its convention on
    its follow-up page; a funder its own view)."""
    if not (est_equipe_nationale(request.user) or est_instructeur(request.user)):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices et à l'équipe nationale.")


def _convention(request: HttpRequest, pk: int) -> Convention:
    _exiger_personnel(request)
    return get_object_or_404(perimetre_conventions(request.user), pk=pk)


def _convention_geree(request: HttpRequest, pk: int) -> Convention:
    convention = _convention(request, pk)
    if not permissions.can_gerer_convention(request.user, convention):
        raise PermissionDenied(REFUS)
    return convention


# --- The list -----------------------------------------------------------------------------------------------------


@require_GET
def conventions(request: HttpRequest) -> HttpResponseBase:
    """R7: the conventions of the user's départements (every one for national staff), searched, filtered (state,
    département, starting year, kind of beneficiary), sorted, 50 a page with their tranches, exported
    (`fonds.filtres.ListeConventions`); a constant number of queries whatever the number of rows."""
    _exiger_personnel(request)
    liste = ListeConventions(request, perimetre_conventions(request.user), user=request.user)
    if (export := liste.export()) is not None:
        return export
    page = liste.page()
    lignes = [{"convention": c, "tranches": list(c.tranches.all())} for c in page.lignes]
    return render(
        request,
        "fonds/conventions/conventions.html",
        {
            "lignes": lignes,
            "page": page,
            "liste": liste,
            "peut_financer": _peut_financer(request.user),
        },
    )


# --- The convention page ------------------------------------------------------------------------------------------


def _documents(convention: Convention, tranches: list[Tranche]) -> list[Document]:
    """The documents issued for the convention (the Convention triannuelle de financement) and for its payments
    (the Attestations de versement), oldest first, in one query."""
    versements = [t.versement.pk for t in tranches if _versement(t) is not None]
    types = ContentType.objects.get_for_models(Convention, Versement)
    return list(
        Document.objects.filter(
            Q(content_type=types[Convention], object_id=convention.pk)
            | Q(content_type=types[Versement], object_id__in=versements)
        ).order_by("emis_le", "pk")
    )


def _versement(tranche: Tranche) -> Versement | None:
    try:
        return tranche.versement
    except Versement.DoesNotExist:
        return None


def _journal(convention: Convention, tranches: list[Tranche]) -> list[dict[str, Any]]:
    """The transitions of the convention and of its tranches, oldest first, in one query."""
    types = ContentType.objects.get_for_models(Convention, Tranche)
    par_pk = {t.pk: t for t in tranches}
    lignes = TransitionLog.objects.filter(
        Q(content_type=types[Convention], object_id=convention.pk)
        | Q(content_type=types[Tranche], object_id__in=list(par_pk))
    ).select_related("acteur")
    etats_convention, etats_tranche = dict(EtatConvention.choices), dict(EtatTranche.choices)
    resultat = []
    for ligne in lignes:
        tranche = par_pk.get(ligne.object_id) if ligne.content_type_id == types[Tranche].pk else None
        resultat.append(
            {
                "log": ligne,
                "objet": f"Tranche {tranche.rang} ({tranche.annee})" if tranche else "Convention",
                "etat": (etats_tranche if tranche else etats_convention).get(ligne.cible, ligne.cible),
            }
        )
    return resultat


def _page_convention(
    request: HttpRequest,
    convention: Convention,
    formulaires: dict[tuple[str, int], Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The convention page; `formulaires` holds the bound forms of a failed submission, shown with their errors."""
    formulaires = formulaires or {}
    gerer = permissions.can_gerer_convention(request.user, convention)
    active = convention.etat == EtatConvention.ACTIVE
    # R12: during the grace period of a non-compliant collectif its tranches are still released and paid.
    versable = convention.etat in (EtatConvention.ACTIVE, EtatConvention.NON_CONFORME)
    tranches = list(convention.tranches.select_related("versement").order_by("rang"))
    versee = any(t.etat == EtatTranche.VERSEE for t in tranches)
    lignes = []
    for tranche in tranches:
        ligne: dict[str, Any] = {"tranche": tranche, "versement": _versement(tranche)}
        if gerer and versable and tranche.etat == EtatTranche.EXIGIBLE:
            ligne["form_versement"] = formulaires.get(("versement", tranche.pk)) or VersementForm(
                prefix=f"tranche-{tranche.pk}", montant=tranche.montant
            )
        if gerer and versable and tranche.etat == EtatTranche.PREVUE and convention.signee_le is not None:
            tranche.convention = convention
            if tranche.rang > 1 and tranche.liberable():
                ligne["liberable"] = True
            elif tranche.rang > 1:
                ligne["pourquoi_pas"] = pourquoi_pas_liberable(tranche)
        lignes.append(ligne)
    contexte: dict[str, Any] = {
        "convention": convention,
        "lignes": lignes,
        "total": sum((t.montant for t in tranches), start=0),
        "verse": sum((t.versement.montant for t in tranches if _versement(t) is not None), start=0),
        "documents": _documents(convention, tranches),
        "journal": _journal(convention, tranches),
        "gerer": gerer,
        "peut_annuler": gerer and active and not versee,
    }
    if gerer and active and convention.signee_le is None:
        contexte["form_signature"] = formulaires.get(("signature", 0)) or SignatureForm(prefix="signature")
    return render(request, "fonds/conventions/convention.html", contexte, status=status)


@require_GET
def convention(request: HttpRequest, pk: int) -> HttpResponse:
    return _page_convention(request, _convention(request, pk))


@require_GET
def convention_document(request: HttpRequest, pk: int, numero: str) -> HttpResponse:
    """A PDF of the convention (the convention itself, an attestation de versement), by its number, for whoever
    reads the convention: its département's instructeurs, national staff and the collectif's référents (it is
    linked from their follow-up page). 404 for a document that belongs to another convention."""
    objet = get_object_or_404(conventions_visibles(request.user), pk=pk)
    if not permissions.can_voir_convention(request.user, objet):
        raise PermissionDenied("Ce document n'est pas le vôtre.")
    tranches = list(objet.tranches.select_related("versement"))
    document = next((d for d in _documents(objet, tranches) if d.numero == numero), None)
    if document is None:
        raise Http404("Ce document n'appartient pas à cette convention.")
    return reponse_pdf(document)


def _retour(convention: Convention, ancre: str = "") -> HttpResponse:
    return redirect(reverse("fonds:convention", args=[convention.pk]) + (f"#{ancre}" if ancre else ""))


def _traiter(
    request: HttpRequest,
    convention: Convention,
    cle: tuple[str, int],
    form: Any,
    appel: Callable[[dict[str, Any]], Any],
    succes: str,
    ancre: str,
) -> HttpResponse:
    """Validate, call the service, then back to the convention page; errors about fields stay next to them with
    the input kept (422), the others come back as messages."""
    if form.is_valid():
        try:
            appel(form.cleaned_data)
        except ValidationError as erreur:
            if not hasattr(erreur, "error_dict"):
                for message in erreur.messages:
                    messages.error(request, message)
                return _retour(convention, ancre)
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, succes)
            return _retour(convention, ancre)
    return _page_convention(request, convention, {cle: form}, status=422)


@require_POST
def convention_signer(request: HttpRequest, pk: int) -> HttpResponse:
    """R7: record the signature; tranche 1 becomes payable and the convention's PDF is issued."""
    objet = _convention_geree(request, pk)
    form = SignatureForm(request.POST, prefix="signature")
    return _traiter(
        request,
        objet,
        ("signature", 0),
        form,
        lambda d: services.convention_signer(acteur=request.user, convention=objet, **d),
        "Signature enregistrée : la tranche 1 est exigible.",
        "tranches",
    )


def _tranche(convention: Convention, tranche_pk: int) -> Tranche:
    tranche = get_object_or_404(convention.tranches.all(), pk=tranche_pk)
    tranche.convention = convention
    return tranche


@require_POST
def versement_enregistrer(request: HttpRequest, pk: int, tranche_pk: int) -> HttpResponse:
    """R7: pay one payable tranche, once; its attestation de versement is issued."""
    objet = _convention_geree(request, pk)
    tranche = _tranche(objet, tranche_pk)
    form = VersementForm(request.POST, prefix=f"tranche-{tranche.pk}", montant=tranche.montant)
    return _traiter(
        request,
        objet,
        ("versement", tranche.pk),
        form,
        lambda d: services.versement_enregistrer(acteur=request.user, tranche=tranche, **d),
        f"Versement de la tranche {tranche.rang} enregistré.",
        f"tranche-{tranche.pk}",
    )


@require_POST
def tranche_liberer(request: HttpRequest, pk: int, tranche_pk: int) -> HttpResponse:
    """R7: a later tranche becomes payable, when its condition holds (the message says why not otherwise)."""
    objet = _convention_geree(request, pk)
    tranche = _tranche(objet, tranche_pk)
    try:
        services.tranche_liberer(acteur=request.user, tranche=tranche)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"La tranche {tranche.rang} est exigible.")
    return _retour(objet, f"tranche-{tranche.pk}")


@require_http_methods(["GET", "POST"])
def convention_annuler(request: HttpRequest, pk: int) -> HttpResponse:
    """R7, R5: cancel before the first payment, with reasons, in two steps that need no JavaScript: the reasons,
    then a confirmation page that shows them again; only the confirmation cancels."""
    objet = _convention_geree(request, pk)
    form = AnnulationForm(request.POST or None)
    confirmer = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmation") != "oui":
            confirmer = True
        else:
            try:
                services.convention_annuler(acteur=request.user, convention=objet, motifs=form.cleaned_data["motifs"])
            except ValidationError as erreur:
                if not hasattr(erreur, "error_dict"):
                    for message in erreur.messages:
                        messages.error(request, message)
                    return _retour(objet)
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, "La convention est annulée : ses tranches non versées sont libérées.")
                return _retour(objet)
    statut = 422 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "fonds/conventions/annuler.html",
        {"convention": objet, "form": form, "confirmer": confirmer},
        status=statut,
    )


# --- Projects of another kind of beneficiary (R8) -----------------------------------------------------------------


def _fonds_et_departements(user: Acteur) -> tuple[QuerySet[Fonds], Any]:
    """What a user may charge a project to: national staff, the national fund and every département; an
    instructeur, their départements and the funds that may finance them (national, or their own)."""
    departements = departements_instruits_par(user)
    fonds = Fonds.objects.none()
    if est_equipe_nationale(user):
        fonds = Fonds.objects.filter(gestion=GestionFonds.NATIONALE)
    if est_instructeur(user):
        fonds = fonds | Fonds.objects.filter(Q(departement__isnull=True) | Q(departement__in=departements))
    return fonds.order_by("nom"), departements.order_by("code")


def _peut_financer(user: Acteur) -> bool:
    return est_equipe_nationale(user) or est_instructeur(user)


def _erreurs_projet(form: ProjetForm, erreur: ValidationError, tranches: list[tuple[int, Any]]) -> None:
    """The service's errors next to their fields; a message about the tranches goes next to the amount of the
    tranche whose year it names (an envelope too small for that year), or next to the first tranche."""
    if not hasattr(erreur, "error_dict"):
        form.add_error(None, erreur.messages)
        return
    for champ, liste in erreur.message_dict.items():
        if champ != "tranches":
            form.add_error(champ if champ in form.fields else None, liste)
            continue
        for message in liste:
            rangs = [rang for rang, (annee, _) in enumerate(tranches, start=1) if str(annee) in message]
            cible = f"montant_{rangs[0]}" if len(rangs) == 1 else "annee_1"
            form.add_error(cible, message)


@require_http_methods(["GET", "POST"])
def projet_nouveau(request: HttpRequest) -> HttpResponse:
    """R8: record a project of another kind of beneficiary, charged to the département's envelopes."""
    _exiger_personnel(request)
    fonds, departements = _fonds_et_departements(request.user)
    form = ProjetForm(request.POST or None, fonds=fonds, departements=departements)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        donnees = services.DonneesProjet(
            nature_beneficiaire=d["nature_beneficiaire"],
            beneficiaire=d["beneficiaire"],
            objet=d["objet"],
            date_debut=d["date_debut"],
            date_fin=d["date_fin"],
            tranches=d["tranches"],
            siret_beneficiaire=d["siret_beneficiaire"],
            rna_beneficiaire=d["rna_beneficiaire"],
        )
        try:
            objet = services.projet_financer(
                acteur=request.user, fonds=d["fonds"], departement_code=d["departement"].code, donnees=donnees
            )
        except ValidationError as erreur:
            _erreurs_projet(form, erreur, d["tranches"])
        except PermissionDenied:
            form.add_error("fonds", "Vous ne pouvez pas engager ce fonds pour ce département.")
        else:
            messages.success(request, f"Projet enregistré : convention {objet.reference}.")
            if permissions.can_voir_convention(request.user, objet):
                return redirect("fonds:convention", objet.pk)
            return redirect("fonds:conventions")
    statut = 422 if request.method == "POST" and form.errors else 200
    return render(request, "fonds/conventions/projet_form.html", {"form": form}, status=statut)
