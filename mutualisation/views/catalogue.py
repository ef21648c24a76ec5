"""The public catalogue of inspiring practices (R14, SPEC §8 `/pratiques/`): anyone, without an account, searches
the published sheets by words, theme, département and year, reads a sheet on a page that prints well, and downloads
its numbered PDF. Drafts and proposed sheets are never shown: 404.

Thin adapters: a GET form, the `mutualisation.selectors.fiches` reads, the documents app to serve the PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.pagination import paginer
from documents.views import reponse_pdf
from mutualisation.documents_fiches import pdf_de_la_fiche
from mutualisation.forms.catalogue import RechercheForm
from mutualisation.selectors import fiches as selecteurs

PAR_PAGE = 20


@login_not_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """R14: the catalogue: the search form, then the ranked results with their highlighted extracts, paginated."""
    themes = list(selecteurs.themes().values_list("code", "libelle"))
    form = RechercheForm(
        request.GET or None,
        themes=themes,
        departements=selecteurs.departements_du_catalogue(),
        annees=selecteurs.annees_du_catalogue(),
    )
    criteres = form.cleaned_data if form.is_bound and form.is_valid() else {}
    recherche = bool(criteres.get("q"))
    fiches = selecteurs.fiches_publiques(
        q=criteres.get("q", ""),
        theme=criteres.get("theme", ""),
        departement=criteres.get("departement", ""),
        annee=criteres.get("annee"),
    )
    page = paginer(request, fiches, par_page=PAR_PAGE)
    lignes = [{"fiche": fiche, "extrait": selecteurs.extrait(fiche)} for fiche in page.lignes]
    filtre_actif = any(criteres.get(nom) for nom in ("q", "theme", "departement", "annee"))
    return render(
        request,
        "mutualisation/catalogue/catalogue.html",
        {"form": form, "lignes": lignes, "page": page, "recherche": recherche, "filtre_actif": filtre_actif},
    )


@login_not_required
@require_GET
def fiche(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: a public sheet's page (published or retained; 404 otherwise), with a print stylesheet and its PDF."""
    objet = get_object_or_404(selecteurs.fiches_publiques_toutes().prefetch_related("themes"), pk=pk)
    return render(request, "mutualisation/catalogue/fiche.html", {"fiche": objet, "document": pdf_de_la_fiche(objet)})


@login_not_required
@require_GET
def fiche_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """R14, SPEC §6: the sheet's numbered PDF, issued once at publication by the worker; until then a page says it
    is being prepared."""
    objet = get_object_or_404(selecteurs.fiches_publiques_toutes(), pk=pk)
    document = pdf_de_la_fiche(objet)
    if document is None:
        return render(request, "mutualisation/catalogue/pdf_en_preparation.html", {"fiche": objet})
    return reponse_pdf(document)
