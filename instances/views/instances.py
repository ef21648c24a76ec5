"""Pages of the departmental instance: the list of instances, the instance page with its presidency (R6), its
members by college, the département's registry of accompagnateurs (R10) and its séances, and the preparation of a
new séance (R5).

R6: only the département's instructeurs pass the presidency on, to the next member in rotation order. R5: whoever
may conduct a séance of the instance (secretariat, current president) prepares one; its agenda is by default the
recevable declarations in filing order. Thin adapters over instances.services: a form validates, a scoped
selector fetches (404 when hidden), a predicate gives 403 when visible but not allowed, one service writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campagnes.permissions import can_voir_campagnes
from campagnes.selectors import campagne_de_depot
from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale
from core.ui import appliquer_erreurs
from fonds.selectors.conformite import conformites_du_departement
from instances import permissions, selectors, selectors_administration, services
from instances.enums import CollegeInstance
from instances.forms import SeanceForm
from instances.models import AffectationAccompagnateur, InstanceDepartementale, Seance


def _instance(request: HttpRequest, pk: int) -> InstanceDepartementale:
    return get_object_or_404(selectors.instance_visible_to(request.user), pk=pk)


def _peut_preparer(user: Acteur, instance: InstanceDepartementale) -> bool:
    """Whoever may conduct a séance of this instance may prepare one (can_gerer_seance)."""
    return permissions.can_gerer_seance(user, Seance(instance=instance))


@require_GET
def instances(request: HttpRequest) -> HttpResponse:
    """The instances the user sees; straight to it when there is only one."""
    liste = list(selectors.instance_visible_to(request.user).order_by("departement__code"))
    if len(liste) == 1:
        return redirect("instances:instance", liste[0].pk)
    if not liste and not can_voir_campagnes(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices et aux membres des instances.")
    return render(
        request,
        "instances/instances.html",
        {
            "instances": liste,
            "sans_instance": list(selectors_administration.departements_sans_instance(request.user)[:200]),
            "peut_administrer": selectors_administration.departements_administres(request.user).exists(),
        },
    )


@require_GET
def instance(request: HttpRequest, pk: int) -> HttpResponse:
    """R6, R10: the presidency (current, proposed next, history), the members by college, the accompagnateurs'
    registry and the séances."""
    objet = _instance(request, pk)
    membres = list(objet.membres.order_by("rang_rotation"))
    colleges = [
        {"libelle": libelle, "membres": [m for m in membres if m.college == college]}
        for college, libelle in CollegeInstance.choices
    ]
    en_cours = AffectationAccompagnateur.objects.filter(fin__isnull=True).select_related("collectif")
    peut_tourner = permissions.can_faire_tourner_presidence(request.user, objet)
    accompagnateurs = selectors.accompagnateurs_disponibles(objet.departement_id).prefetch_related(
        Prefetch("affectations", queryset=en_cours.order_by("collectif__nom"), to_attr="affectations_en_cours")
    )
    return render(
        request,
        "instances/instance.html",
        {
            "instance": objet,
            "presidence": selectors.presidence_en_cours(objet),
            "suivant": selectors.presidence_suivante_proposee(objet),
            "historique": objet.presidences.select_related("membre"),
            "colleges": colleges,
            "nombre_membres": len(membres),
            "accompagnateurs": accompagnateurs,
            "seances": objet.seances.select_related("campagne").annotate(nombre_points=Count("points")),
            "peut_tourner": peut_tourner,
            # can_administrer_instance (national staff or the département's instructeurs) without a query more:
            # an instructeur of the département is exactly who may pass the presidency on.
            "peut_administrer": peut_tourner or est_equipe_nationale(request.user),
            "peut_preparer": _peut_preparer(request.user, objet),
            "non_conformes": conformites_du_departement(objet.departement_id),  # R12
        },
    )


@require_GET
def presidence_confirmer(request: HttpRequest, pk: int) -> HttpResponse:
    """R6: the mandate runs for months, so passing the presidency on is confirmed first: this page says who takes
    over, until when; its form POSTs to `presidence_tourner`."""
    objet = _instance(request, pk)
    if not permissions.can_faire_tourner_presidence(request.user, objet):
        raise PermissionDenied(
            "Seul le secrétariat de l'instance (instructeur·rices du département) fait tourner la présidence."
        )
    return render(
        request,
        "instances/presidence_confirmer.html",
        {
            "instance": objet,
            "presidence": selectors.presidence_en_cours(objet),
            "suivant": selectors.presidence_suivante_proposee(objet),
            # The end date presidence_faire_tourner will set (the same computation, not a copy of it).
            "fin_prevue": services._ajouter_mois(timezone.localdate(), objet.duree_mandat_mois),
        },
    )


@require_POST
def presidence_tourner(request: HttpRequest, pk: int) -> HttpResponse:
    """R6: the presidency passes to the next member in rotation order; the only way the president changes."""
    objet = _instance(request, pk)
    if not permissions.can_faire_tourner_presidence(request.user, objet):
        raise PermissionDenied(
            "Seul le secrétariat de l'instance (instructeur·rices du département) fait tourner la présidence."
        )
    try:
        presidence = services.presidence_faire_tourner(acteur=request.user, instance=objet)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"La présidence passe à {presidence.membre}, jusqu'au {presidence.fin_prevue:%d/%m/%Y}.",
        )
    return redirect("instances:instance", objet.pk)


@require_http_methods(["GET", "POST"])
def seance_nouvelle(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: prepare a séance; its agenda is made of the recevable declarations, in filing order."""
    objet = _instance(request, pk)
    if not _peut_preparer(request.user, objet):
        raise PermissionDenied("Seuls le secrétariat et la présidence de l'instance préparent les séances.")
    membres = objet.membres.filter(actif=True).order_by("rang_rotation")
    campagnes = objet.departement.campagnes.order_by("-annee")
    form = SeanceForm(
        request.POST or None,
        campagnes=campagnes,
        membres=membres,
        initial={"campagne": campagne_de_depot(objet.departement), "convoques": list(membres)},
    )
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            seance_ = services.seance_preparer(
                acteur=request.user,
                instance=objet,
                campagne=donnees["campagne"],
                date=donnees["date"],
                lieu=donnees["lieu"],
                convoques=list(donnees["convoques"]),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, {"date": "jour"})
        else:
            messages.success(
                request, f"{seance_} préparée : {seance_.points.count()} déclaration(s) à l'ordre du jour."
            )
            return redirect("instances:seance", seance_.pk)
    # What the agenda will be: per campaign, the declarations seance_preparer takes by default.
    ordres_du_jour = []
    for campagne in campagnes:
        declarations = services._declarations_a_inscrire(campagne)
        prefetch_related_objects(declarations, "collectif")
        if declarations:
            ordres_du_jour.append({"campagne": campagne, "declarations": declarations})
    return render(
        request,
        "instances/seance_form.html",
        {"instance": objet, "form": form, "ordres_du_jour": ordres_du_jour},
    )
