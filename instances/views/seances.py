"""Pages of a séance (R5): the séance page with its agenda, attendance and quorum, and its actions (open,
attendance, close, relaunch the issue of missing documents), the actions on each point (conflict of interest,
votes, reasons for a refusal, decision), and the downloads of the minutes and of each decision.

R5: the secretariat and the current president conduct the séance (chaired by the current presidency, R6); a
member declares their own conflict of interest and then does not vote; only present voting members vote; no
decision without quorum nor without any vote cast (such a point is adjourned at closing); a refusal must be
reasoned. Thin adapters over instances.services: a form validates, a
scoped selector fetches (404 when hidden), a predicate gives 403 when visible but not allowed, one service
writes. The instance page and the preparation of a séance are in views/instances.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from collectifs.enums import EtatDeclaration
from core.ui import appliquer_erreurs
from documents.enums import TypeDocument
from documents.selectors import derniers_documents, documents_de
from documents.views import reponse_pdf
from instances import permissions, selectors, services
from instances.deliberation import compter_votes
from instances.enums import EtatSeance
from instances.equite import alertes_equite
from instances.forms import ConflitForm, MontantsForm, MotifsEquiteForm, MotifsRefusForm, PresencesForm, VotesForm
from instances.models import MembreInstance, PointOrdreDuJour, Seance
from journal.fsm import TransitionInterdite, transitions_disponibles


def _seance(request: HttpRequest, pk: int) -> Seance:
    return get_object_or_404(selectors.seance_visible_to(request.user), pk=pk)


def _point(request: HttpRequest, pk: int, point_pk: int) -> tuple[Seance, PointOrdreDuJour]:
    seance_ = _seance(request, pk)
    point = get_object_or_404(seance_.points.select_related("declaration__collectif"), pk=point_pk)
    point.seance = seance_
    return seance_, point


def _exiger_gestion(request: HttpRequest, seance_: Seance) -> None:
    if not permissions.can_gerer_seance(request.user, seance_):
        raise PermissionDenied("Seuls le secrétariat et la présidence de l'instance conduisent la séance.")


def _retour(seance_: Seance, point: PointOrdreDuJour | None = None) -> HttpResponse:
    ancre = f"#point-{point.pk}" if point is not None else ""
    return redirect(reverse("instances:seance", args=[seance_.pk]) + ancre)


def _prefixe(point: PointOrdreDuJour) -> str:
    return f"point-{point.pk}"


def _nom_point(point: PointOrdreDuJour) -> str:
    """« Point 2 — Collectif des Jardins »: how an error names its point."""
    return f"Point {point.rang} — {point.declaration.collectif}"


# The forms of one point, in page order, with the anchor of their block (the error summary links to it).
FORMULAIRES_DU_POINT = ("conflit", "votes", "montants", "refus", "equite")


def _ancre(cle: tuple[str, int]) -> str:
    genre, pk = cle
    return "presences" if genre == "presences" else f"point-{pk}-{genre}"


def _liens_erreurs(form: Any, ancre: str) -> list[tuple[str, str]]:
    """(href, text) of each error of a bound form: a field's error links to the field, the others to the form."""
    liens = [(f"#{ancre}", str(message)) for message in form.non_field_errors()]
    for champ in form:
        for message in champ.errors:
            # A group of radios or checkboxes has no single label target: link to its first box.
            cible = champ.id_for_label or f"{champ.auto_id}_0"
            liens.append((f"#{cible}", f"{champ.label} : {message}"))
    return liens


def _formulaires_en_erreur(
    point: PointOrdreDuJour, campagne: Any, champs: dict[str, list[str]]
) -> dict[tuple[str, int], Any]:
    """The point's forms bound with what is recorded, carrying a decision's refusal (statuer, or clore for every
    point) next to the fields it names; the rest goes on the point itself."""
    prefixe = _prefixe(point)
    formulaires: dict[tuple[str, int], Any] = {}
    if {"motif_refus", "motifs"} & champs.keys():
        refus = MotifsRefusForm(
            {f"{prefixe}-motif_refus": point.motif_refus, f"{prefixe}-motifs": point.motifs}, prefix=prefixe
        )
        refus.is_valid()
        for champ in ("motif_refus", "motifs"):
            for message in champs.get(champ, []):
                refus.add_error(champ, message)
        formulaires["refus", point.pk] = refus
    if "motifs_equite" in champs:
        # R17: an agreement under the equity warning without written reasons: back to the reasons' field.
        equite = MotifsEquiteForm({f"{prefixe}-equite-motifs_equite": point.motifs_equite}, prefix=f"{prefixe}-equite")
        equite.is_valid()
        for message in champs["motifs_equite"]:
            equite.add_error("motifs_equite", message)
        formulaires["equite", point.pk] = equite
    montants = {champ: liste for champ, liste in champs.items() if champ.startswith("montant")}
    if montants:
        # R7: the reservation no longer covers the tranches: back to the amounts, as recorded.
        form = MontantsForm(
            {
                f"{prefixe}-montants-montant_annee_{rang}": str(montant)
                for rang, montant in enumerate(services.montants_du_point(point, campagne), start=1)
            },
            prefix=f"{prefixe}-montants",
            campagne=campagne,
            montants=[None] * 3,
        )
        form.is_valid()
        _erreurs_montants(form, ValidationError(montants), campagne)
        formulaires["montants", point.pk] = form
    connus = {"motif_refus", "motifs", "motifs_equite", *montants}
    autres = [message for champ, liste in champs.items() if champ not in connus for message in liste]
    if autres:
        formulaires["point", point.pk] = autres
    return formulaires


def _page_seance(
    request: HttpRequest,
    seance_: Seance,
    formulaires: dict[tuple[str, int], Any] | None = None,
    status: int = 200,
    erreurs_points: dict[int, dict[str, list[str]]] | None = None,
    cloture_refusee: bool = False,
) -> HttpResponse:
    """The séance page; `formulaires` holds the bound forms of a failed submission, shown with their errors;
    `erreurs_points` the errors of a refused decision (statuer, clore) by point and field, put next to the point's
    fields. An error summary on top names each point and links to each field in error."""
    formulaires = dict(formulaires or {})
    erreurs_points = erreurs_points or {}
    user = request.user
    transitions = transitions_disponibles(seance_, user)
    gerer = permissions.can_gerer_seance(user, seance_)
    en_seance = "clore" in transitions  # running, and this user conducts it
    ouverte = seance_.etat != EtatSeance.CLOSE
    membres = list(seance_.instance.membres.filter(actif=True).order_by("rang_rotation"))
    miens = [m for m in membres if m.user_id is not None and m.user_id == user.pk]
    presents = list(seance_.presents.order_by("rang_rotation"))
    votants_presents = [m for m in presents if m.votant and m.actif]
    points = list(selectors.points_de(seance_))
    # Only a closed séance has decisions: the newest one issued for each point.
    decisions = (
        derniers_documents(PointOrdreDuJour, TypeDocument.DECISION, [p.pk for p in points])
        if seance_.etat == EtatSeance.CLOSE
        else {}
    )
    proces_verbal = (
        documents_de(seance_, TypeDocument.PROCES_VERBAL).first() if seance_.etat == EtatSeance.CLOSE else None
    )
    # R5: what a closed séance still lacks (its job died or failed), read from the documents already fetched.
    manquants = ["Procès-verbal de la séance"] if seance_.etat == EtatSeance.CLOSE and proces_verbal is None else []
    # R17: the equity warnings of the points still to decide, for the whole agenda at once.
    alertes = alertes_equite(
        [p.declaration.collectif_id for p in points if not p.resultat and ouverte], seance_.campagne
    )
    lignes = []
    for point in points:
        if point.pk in erreurs_points:
            formulaires.update(_formulaires_en_erreur(point, seance_.campagne, erreurs_points[point.pk]))
        conflits = list(point.conflits.all())
        en_conflit = {c.membre_id for c in conflits}
        votes = list(point.votes.all())
        # Undecided and still on the agenda (a declaration withdrawn meanwhile is not decided, R19).
        a_decider = not point.resultat and point.declaration.etat == EtatDeclaration.INSCRITE_EN_SEANCE
        resultat = compter_votes(v.choix for v in votes)
        # R5: with no vote cast there is no decision: the point cannot be decided yet (adjourned at closing).
        ligne: dict[str, Any] = {
            "point": point,
            "resultat": resultat,
            "conflits": conflits,
            "decision": decisions.get(point.pk),
            "peut_statuer": en_seance and a_decider and resultat.exprimes > 0,
            "sans_suffrage": en_seance and a_decider and resultat.exprimes == 0,
            "ajourne": not ouverte and a_decider,
            "refus_a_motiver": en_seance and a_decider and resultat.exprimes > 0 and not resultat.adopte,
            "alertes": alertes.get(point.declaration.collectif_id, []) if a_decider else [],
            "erreurs": formulaires.get(("point", point.pk), []),
        }
        if point.resultat and point.pk not in decisions and not ouverte:
            manquants.append(f"Décision concernant {point.declaration.collectif}")
        prefixe = _prefixe(point)
        declarants = membres if gerer else miens
        if ("conflit", point.pk) in formulaires:
            ligne["form_conflit"] = formulaires["conflit", point.pk]
        elif ouverte and a_decider and declarants:
            ligne["form_conflit"] = ConflitForm(
                prefix=prefixe, membres=[m for m in declarants if m.pk not in en_conflit]
            )
        if ("votes", point.pk) in formulaires:
            ligne["form_votes"] = formulaires["votes", point.pk]
        elif en_seance and a_decider:
            ligne["form_votes"] = VotesForm(
                prefix=prefixe,
                votants=[m for m in votants_presents if m.pk not in en_conflit],
                votes={v.membre_id: v.choix for v in votes},
            )
        if ("montants", point.pk) in formulaires:
            ligne["form_montants"] = formulaires["montants", point.pk]
        elif en_seance and a_decider:
            ligne["form_montants"] = MontantsForm(
                prefix=f"{prefixe}-montants",
                campagne=seance_.campagne,
                montants=[point.montant_annee_1, point.montant_annee_2, point.montant_annee_3],
            )
        # R5: the reasons of a refusal are asked only where the votes recorded still allow one (the members yet
        # to vote could all vote « contre »); before any vote, folded under « En cas de refus ».
        ont_vote = {v.membre_id for v in votes}
        restants = sum(1 for m in votants_presents if m.pk not in en_conflit and m.pk not in ont_vote)
        refus_possible = resultat.pour <= resultat.contre + restants and (resultat.exprimes > 0 or restants > 0)
        if ("refus", point.pk) in formulaires:
            ligne["form_refus"], ligne["refus_affichage"] = formulaires["refus", point.pk], "ouvert"
        elif en_seance and a_decider and (not votes or refus_possible):
            ligne["form_refus"] = MotifsRefusForm(
                prefix=prefixe, initial={"motif_refus": point.motif_refus, "motifs": point.motifs}
            )
            ligne["refus_affichage"] = "ouvert" if votes else "replie"
        if ("equite", point.pk) in formulaires:
            ligne["form_equite"] = formulaires["equite", point.pk]
        elif en_seance and ligne["alertes"]:
            ligne["form_equite"] = MotifsEquiteForm(
                prefix=f"{prefixe}-equite", initial={"motifs_equite": point.motifs_equite}
            )
        lignes.append(ligne)
    convoques = list(seance_.convoques.order_by("rang_rotation"))
    presences = formulaires.get(("presences", 0))
    if presences is None and en_seance:
        presences = PresencesForm(
            membres=membres, convoques={m.pk for m in convoques}, initial={"presents": [m.pk for m in presents]}
        )
    courante = selectors.presidence_en_cours(seance_.instance) if seance_.president is None else None
    return render(
        request,
        "instances/seance.html",
        {
            "seance": seance_,
            "instance": seance_.instance,
            "president": seance_.president or (courante.membre if courante else None),
            "transitions": transitions,
            "convoques": convoques,
            "presents": presents,
            "quorum": selectors.quorum_de(seance_),
            "places_restantes": selectors.places_restantes(seance_.campagne),
            "lignes": lignes,
            "form_presences": presences,
            "proces_verbal": proces_verbal,
            "documents_manquants": manquants,
            "peut_emettre_documents": bool(manquants) and gerer,
            "resume_erreurs": _resume_erreurs(formulaires, points),
            "cloture_refusee": cloture_refusee,
        },
        status=status,
    )


def _resume_erreurs(formulaires: dict[tuple[str, int], Any], points: list[PointOrdreDuJour]) -> list[dict[str, Any]]:
    """The error summary on top of the page: one entry per point (named by its rank and collectif), or for the
    attendance, each with the links to its fields in error."""
    resume = []
    presences = formulaires.get(("presences", 0))
    if presences is not None and presences.errors:
        resume.append({"titre": "Présences", "liens": _liens_erreurs(presences, "presences")})
    for point in points:
        liens = [(f"#point-{point.pk}-erreurs", message) for message in formulaires.get(("point", point.pk), [])]
        for genre in FORMULAIRES_DU_POINT:
            form = formulaires.get((genre, point.pk))
            if form is not None and form.errors:
                liens += _liens_erreurs(form, _ancre((genre, point.pk)))
        if liens:
            resume.append({"titre": _nom_point(point), "liens": liens})
    return resume


@require_GET
def seance(request: HttpRequest, pk: int) -> HttpResponse:
    return _page_seance(request, _seance(request, pk))


def _action_seance(request: HttpRequest, pk: int, appel: Callable[[Seance], Any], succes: str) -> HttpResponse:
    """A button of the séance (open, close): refusals come back as messages on the séance page."""
    seance_ = _seance(request, pk)
    _exiger_gestion(request, seance_)
    try:
        appel(seance_)
    except (ValidationError, TransitionInterdite) as erreur:
        for message in erreur.messages if isinstance(erreur, ValidationError) else [str(erreur)]:
            messages.error(request, message)
    else:
        messages.success(request, succes)
    return _retour(seance_)


@require_POST
def seance_ouvrir(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_seance(
        request,
        pk,
        lambda s: services.seance_ouvrir(acteur=request.user, seance=s),
        "La séance est ouverte : enregistrez les présences.",
    )


@require_POST
def seance_clore(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: close the séance; the points on which no vote was cast are adjourned, and the message names them."""
    seance_ = _seance(request, pk)
    _exiger_gestion(request, seance_)
    try:
        close = services.seance_clore(acteur=request.user, seance=seance_)
    except ValidationError as erreur:
        par_point = services.erreurs_par_point(erreur) if hasattr(erreur, "error_dict") else {}
        if not par_point:
            for message in erreur.messages:
                messages.error(request, message)
            return _retour(seance_)
        # Points that cannot be decided as they stand: each named on top, its fields in error, nothing decided.
        return _page_seance(request, seance_, erreurs_points=par_point, cloture_refusee=True, status=422)
    except TransitionInterdite as erreur:
        messages.error(request, str(erreur))
        return _retour(seance_)
    messages.success(
        request, "La séance est close. Le procès-verbal et les décisions vont être émis, et chaque collectif prévenu."
    )
    ajournes = [str(p.declaration.collectif) for p in selectors.points_ajournes(close)]
    if ajournes:
        messages.warning(
            request,
            "Faute de suffrage exprimé, l'instance n'a pas statué sur : "
            f"{', '.join(ajournes)}. Ces déclarations seront inscrites à l'ordre du jour de la prochaine séance.",
        )
    return _retour(seance_)


@require_POST
def seance_emettre_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: the séance's managers relaunch the issue of the documents a closed séance still lacks."""
    seance_ = _seance(request, pk)
    _exiger_gestion(request, seance_)
    try:
        manquants = services.seance_emettre_documents_manquants(acteur=request.user, seance=seance_)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Émission relancée : {', '.join(manquants)}.")
    return _retour(seance_)


@require_POST
def seance_presences(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: attendance; the quorum follows."""
    seance_ = _seance(request, pk)
    _exiger_gestion(request, seance_)
    form = PresencesForm(
        request.POST,
        membres=list(seance_.instance.membres.filter(actif=True).order_by("rang_rotation")),
        convoques=set(seance_.convoques.values_list("pk", flat=True)),
    )
    return _traiter(
        request,
        seance_,
        None,
        ("presences", 0),
        form,
        lambda d: services.seance_enregistrer_presences(acteur=request.user, seance=seance_, presents=d["presents"]),
        lambda quorum: f"Présences enregistrées. {quorum.message}",
    )


def _traiter(
    request: HttpRequest,
    seance_: Seance,
    point: PointOrdreDuJour | None,
    cle: tuple[str, int],
    form: Any,
    appel: Callable[[dict[str, Any]], Any],
    succes: Callable[[Any], str],
) -> HttpResponse:
    """Validate, call the service, then back to the séance page; errors about fields stay next to them (422),
    the others come back as messages."""
    if form.is_valid():
        try:
            resultat = appel(form.cleaned_data)
        except ValidationError as erreur:
            if not hasattr(erreur, "error_dict"):
                for message in erreur.messages:
                    messages.error(request, f"{_nom_point(point)} : {message}" if point is not None else message)
                return _retour(seance_, point)
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, succes(resultat))
            return _retour(seance_, point)
    return _page_seance(request, seance_, {cle: form}, status=422)


@require_POST
def point_conflit(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    """R5: a member declares their own conflict of interest; the séance's managers record anyone's."""
    seance_, point = _point(request, pk, point_pk)
    membres = list(seance_.instance.membres.filter(actif=True).order_by("rang_rotation"))
    if not permissions.can_gerer_seance(request.user, seance_):
        membres = [m for m in membres if m.user_id is not None and m.user_id == request.user.pk]
        if not membres:
            raise PermissionDenied("Seul·e un membre de l'instance déclare son propre conflit d'intérêts.")
    form = ConflitForm(request.POST, prefix=_prefixe(point), membres=membres)
    return _traiter(
        request,
        seance_,
        point,
        ("conflit", point.pk),
        form,
        lambda d: services.conflit_declarer(
            acteur=request.user, point=point, membre=d["membre"], commentaire=d["commentaire"]
        ),
        lambda conflit: (
            f"Conflit d'intérêts enregistré : {conflit.membre} ne vote pas sur {point.declaration.collectif}."
            if conflit.membre.votant
            # Kept on purpose for a consultative member (see services.conflit_declarer): they leave the debate.
            else f"Conflit d'intérêts enregistré : {conflit.membre} (voix consultative) se retire du débat sur "
            f"{point.declaration.collectif}."
        ),
    )


def _votants(seance_: Seance, point: PointOrdreDuJour) -> list[MembreInstance]:
    """Who may vote on the point: present voting members without a declared conflict (R5)."""
    return list(
        seance_.presents.filter(votant=True, actif=True).exclude(conflits__point=point).order_by("rang_rotation")
    )


@require_POST
def point_votes(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    seance_, point = _point(request, pk, point_pk)
    _exiger_gestion(request, seance_)
    form = VotesForm(request.POST, prefix=_prefixe(point), votants=_votants(seance_, point), votes={})
    return _traiter(
        request,
        seance_,
        point,
        ("votes", point.pk),
        form,
        lambda d: services.votes_enregistrer(acteur=request.user, point=point, votes=d["votes"]),
        lambda resultat: f"Votes enregistrés pour {point.declaration.collectif} : {resultat.libelle}.",
    )


def _erreurs_montants(form: MontantsForm, erreur: ValidationError, campagne: Any) -> None:
    """R7: each refused amount gets its French message next to its field: « La tranche 2 (2028) doit être… »
    next to tranche 2; a reservation too small, next to the year(s) it names."""
    if not hasattr(erreur, "error_dict"):
        form.add_error(None, erreur.messages)
        return
    for champ, liste in erreur.message_dict.items():
        if champ != "montants":
            form.add_error(champ if champ in form.fields else None, liste)
            continue
        for message in liste:
            rangs = [rang for rang in range(1, 4) if f"tranche {rang} (" in message.lower()] or [
                rang for rang in range(1, 4) if f"{campagne.annee + rang - 1} :" in message
            ]
            for rang in rangs or [1]:
                form.add_error(f"montant_annee_{rang}", message)


@require_POST
def point_montants(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    """R7: before deciding, the instance sets the three yearly tranches (the campaign's minimum by default)."""
    seance_, point = _point(request, pk, point_pk)
    _exiger_gestion(request, seance_)
    if seance_.etat != EtatSeance.EN_COURS:
        messages.error(request, "Les montants des tranches se fixent en séance, avant de statuer.")
        return _retour(seance_, point)
    form = MontantsForm(
        request.POST, prefix=f"{_prefixe(point)}-montants", campagne=seance_.campagne, montants=[None] * 3
    )
    if form.is_valid():
        try:
            services.point_fixer_montants(acteur=request.user, point=point, montants=form.cleaned_data["montants"])
        except ValidationError as erreur:
            if not hasattr(erreur, "error_dict"):
                for message in erreur.messages:
                    messages.error(request, f"{_nom_point(point)} : {message}")
                return _retour(seance_, point)
            _erreurs_montants(form, erreur, seance_.campagne)
        else:
            messages.success(request, f"Montants des tranches enregistrés pour {point.declaration.collectif}.")
            return _retour(seance_, point)
    return _page_seance(request, seance_, {("montants", point.pk): form}, status=422)


@require_POST
def point_refus(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    seance_, point = _point(request, pk, point_pk)
    _exiger_gestion(request, seance_)
    form = MotifsRefusForm(request.POST, prefix=_prefixe(point))
    return _traiter(
        request,
        seance_,
        point,
        ("refus", point.pk),
        form,
        lambda d: services.point_motiver_refus(
            acteur=request.user, point=point, motif_refus=d["motif_refus"], motifs=d["motifs"]
        ),
        lambda _: f"Motifs de refus enregistrés pour {point.declaration.collectif}.",
    )


@require_POST
def point_equite(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    """R17: the written reasons for agreeing a collectif despite the equity warning."""
    seance_, point = _point(request, pk, point_pk)
    _exiger_gestion(request, seance_)
    form = MotifsEquiteForm(request.POST, prefix=f"{_prefixe(point)}-equite")
    return _traiter(
        request,
        seance_,
        point,
        ("equite", point.pk),
        form,
        lambda d: services.point_motiver_derogation_equite(
            acteur=request.user, point=point, motifs_equite=d["motifs_equite"]
        ),
        lambda _: f"Motifs de la dérogation au plafond enregistrés pour {point.declaration.collectif}.",
    )


@require_POST
def point_statuer(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    """R5: decide one point. A refusal without reasons sends the user back to the reasons' fields."""
    seance_, point = _point(request, pk, point_pk)
    _exiger_gestion(request, seance_)
    try:
        decide = services.point_statuer(acteur=request.user, point=point)
    except ValidationError as erreur:
        if not hasattr(erreur, "error_dict"):
            for message in erreur.messages:
                messages.error(request, f"{_nom_point(point)} : {message}")
            return _retour(seance_, point)
        # A refusal without reasons, an agreement without the equity reasons, tranches no longer covered: each
        # message next to its field, named on top.
        return _page_seance(request, seance_, erreurs_points={point.pk: erreur.message_dict}, status=422)
    messages.success(
        request,
        f"{point.declaration.collectif} : {decide.get_resultat_display().lower()} "
        f"({selectors.resultat_de(decide).libelle}).",
    )
    return _retour(seance_, point)


@require_GET
def seance_proces_verbal(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes, to whoever sees the séance."""
    document = documents_de(_seance(request, pk), TypeDocument.PROCES_VERBAL).first()
    if document is None:
        raise Http404("Le procès-verbal n'est pas encore émis.")
    return reponse_pdf(document)


@require_GET
def point_decision(request: HttpRequest, pk: int, point_pk: int) -> HttpResponse:
    """One decision, to whoever sees the séance (the collectif downloads it from its declaration page)."""
    _, point = _point(request, pk, point_pk)
    document = documents_de(point, TypeDocument.DECISION).first()
    if document is None:
        raise Http404("La décision n'est pas encore émise.")
    return reponse_pdf(document)
