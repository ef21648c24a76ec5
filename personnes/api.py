"""API of a person's data (R20), under /api/v1/personnes/:

- `moi/donnees/`: what the platform holds about the caller;
- `membres/{id}/donnees/`: a collectif member without an account, for the collectif's référent·es and national staff;
- `comptes/{id}/donnees/`: an account, for national staff (and the person themself);
- `membres/{id}/anonymiser/`, `comptes/{id}/anonymiser/`: national staff anonymise a person, with a reason.

Each export answers the JSON of `donnees.json`, or the whole ZIP (`donnees.json` and `resume.pdf`) with
`?format=zip` or `Accept: application/zip`. Same rules as the pages (personnes.views): a person one may not see is
404, a visible member one may not export or an anonymisation by anybody but national staff is 403, a refused
reason 400 with French messages per field. Thin adapters over personnes.selectors, exports and services."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs import permissions as permissions_collectifs
from collectifs.models import Membre
from comptes.models import User
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, RenduBinaire, exiger
from personnes import services
from personnes.exports import archive_zip, donnees_json
from personnes.selectors import (
    Personne,
    can_anonymiser_personne,
    can_exporter_personne,
    donnees_de,
    membre_sans_compte,
    personne_du_compte,
    personne_du_membre,
)
from personnes.services import LONGUEUR_MOTIF

RESERVE = "Cette action est réservée à l'équipe nationale."
INTROUVABLE = OpenApiResponse(description="Personne inexistante ou hors de votre périmètre.")


class ZipRenderer(RenduBinaire):
    """Passes ZIP bytes through (`Accept: application/zip`, `?format=zip`)."""

    media_type = "application/zip"
    format = "zip"


# --- Serializers (the schema of the answers) ----------------------------------------------------------------------


def _section(description: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.DictField(), help_text=description)


class DonneesPersonnellesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Everything the platform holds about one person: the content of `donnees.json` (dates in ISO 8601, amounts
    as decimal strings). Nothing names anybody else."""

    identite = serializers.DictField(
        help_text="Identité : `type` (« compte » ou « membre sans compte »), `prenom`, `nom`, `email` ; pour un "
        "compte `inscrit_le`, `derniere_connexion`, `actif` ; pour un membre `telephone`, `collectif`."
    )
    adhesions_collectifs = _section("Adhésions aux collectifs (collège, fonction, organisation, dates, accord).")
    referent_de = _section("Collectifs dont la personne est référente.")
    instances = _section("Sièges en instance départementale (institution, collège, droit de vote, fin).")
    accompagnement = _section("Fiches d'accompagnateur·rice.")
    jurys = _section("Jurys de prix.")
    invitations = _section("Invitations reçues (rôle, adresse, dates).")
    acces = _section("Accès financeur ou employeur (adresse, dates).")
    declarations = _section("Déclarations déposées par la personne, ou qui la listaient lors du dépôt.")
    messages = _section("Messages écrits par la personne.")
    consentements = _section("Accords recueillis pour la personne ou saisis par elle (`saisi_par_vous`).")
    adhesions_charte = _section("Adhésions à la charte.")
    votes = _section("Votes en instance (séance, instance, collectif, choix).")
    journal = _section("Entrées du journal faites par la personne ou qui la nomment.")
    documents = _section("Documents en vigueur qui nomment la personne (numéro, titre, date, empreinte SHA-256).")


class AnonymisationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The reason of an anonymisation (the person's request), which must not name them."""

    motif = serializers.CharField(
        max_length=LONGUEUR_MOTIF,
        allow_blank=True,
        trim_whitespace=False,  # the service trims it and says « Indiquez le motif » when nothing is left
        help_text="Motif de l'anonymisation : par exemple « demande reçue par courrier le 3 mars ». Ne citez pas "
        "la personne.",
        error_messages={"max_length": f"Le motif tient en {LONGUEUR_MOTIF} caractères au plus."},
    )


class PseudonymeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    pseudonyme = serializers.CharField(
        help_text="Le nom sous lequel la personne apparaît désormais (« Personne 8F3A »)."
    )


# --- Shared answers -----------------------------------------------------------------------------------------------

REPONSES_DONNEES: dict[Any, Any] = {
    (200, "application/json"): DonneesPersonnellesSerializer,
    (200, "application/zip"): OpenApiResponse(
        OpenApiTypes.BINARY, description="L'archive ZIP : `donnees.json` et `resume.pdf`, un résumé lisible."
    ),
}
REPONSES_ANONYMISER = {200: PseudonymeSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE}
DESCRIPTION_ANONYMISER = (
    "Équipe nationale, à la demande de la personne : son nom, son adresse et son téléphone sont remplacés partout "
    "par un pseudonyme stable, les documents qui la nommaient sont réémis. Sans retour possible. Les nombres, "
    "montants, votes et le journal restent."
)


def _donnees(request: Request, personne: Personne, nom: str) -> HttpResponse | Response:
    """The person's data as JSON, or as the ZIP the pages give when the client asks for it."""
    donnees = donnees_de(personne)
    if request.accepted_renderer.format == ZipRenderer.format:
        reponse = HttpResponse(archive_zip(donnees), content_type=ZipRenderer.media_type)
        reponse["Content-Disposition"] = f'attachment; filename="{nom}-{timezone.localdate():%Y%m%d}.zip"'
    else:
        reponse = Response(donnees_json(donnees))
    reponse["Cache-Control"] = "no-store"
    return reponse


def _anonymiser(request: Request, personne: Personne) -> Response:
    serializer = AnonymisationSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    anonymisation = services.personne_anonymiser(
        acteur=request.user, personne=personne, motif=serializer.validated_data["motif"]
    )
    return Response(PseudonymeSerializer({"pseudonyme": anonymisation.pseudonyme}).data)


# --- Viewsets -----------------------------------------------------------------------------------------------------


class MesDonneesViewSet(IdentifiantsMixin):
    """Mes données personnelles."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Mes données personnelles",
        description="Tout ce que la plateforme conserve sur vous. En JSON, ou l'archive ZIP avec `?format=zip` "
        "(ou l'en-tête `Accept: application/zip`).",
        responses={**REPONSES_DONNEES, 404: OpenApiResponse(description="Format demandé inconnu.")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, ZipRenderer])
    def donnees(self, request: Request) -> HttpResponse | Response:
        assert isinstance(request.user, User)  # IsAuthenticated
        return _donnees(request, personne_du_compte(request.user), "mes-donnees")


class MembrePersonneViewSet(IdentifiantsMixin):
    """Données personnelles d'un membre de collectif sans compte."""

    queryset = Membre.objects.all()  # the type of the path's id, for the schema
    http_method_names = ["get", "post", "head", "options"]

    def _membre_visible(self) -> Membre:
        """The member without an account, in a collectif the user sees (404 otherwise, as on the pages)."""
        membre = get_object_or_404(Membre.objects.select_related("collectif__departement"), pk=self.kwargs["pk"])
        if not permissions_collectifs.can_voir_collectif(self.request.user, membre.collectif):
            raise Http404
        trouve = membre_sans_compte(membre.collectif_id, membre.pk)
        if trouve is None:
            raise Http404  # a member with an account: the person exports their data themself
        return trouve

    @extend_schema(
        summary="Données personnelles d'un membre sans compte",
        description="Référent·es du collectif et équipe nationale. Un membre qui a un compte exporte ses données "
        "lui-même (404 ici). En JSON, ou l'archive ZIP avec `?format=zip`.",
        responses={**REPONSES_DONNEES, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ZipRenderer])
    def donnees(self, request: Request, pk: str | None = None) -> HttpResponse | Response:
        membre = self._membre_visible()
        personne = personne_du_membre(membre)
        exiger(
            can_exporter_personne(request.user, personne),
            "Seul·es les référent·es du collectif et l'équipe nationale exportent ces données.",
        )
        return _donnees(request, personne, f"donnees-membre-{membre.pk}")

    @extend_schema(
        summary="Anonymiser un membre sans compte",
        description=DESCRIPTION_ANONYMISER + " Un membre qui a un compte s'anonymise par son compte (404 ici).",
        request=AnonymisationSerializer,
        responses=REPONSES_ANONYMISER,
    )
    @action(detail=True, methods=["post"])
    def anonymiser(self, request: Request, pk: str | None = None) -> Response:
        exiger(can_anonymiser_personne(request.user), RESERVE)
        membre = get_object_or_404(Membre.objects.only("pk", "collectif_id"), pk=pk)
        trouve = membre_sans_compte(membre.collectif_id, membre.pk)
        if trouve is None:
            raise Http404
        return _anonymiser(request, personne_du_membre(trouve))


class ComptePersonneViewSet(IdentifiantsMixin):
    """Données personnelles d'un compte."""

    queryset = User.objects.all()  # the type of the path's id, for the schema
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        summary="Données personnelles d'un compte",
        description="Équipe nationale (et la personne elle-même). En JSON, ou l'archive ZIP avec `?format=zip`.",
        responses={**REPONSES_DONNEES, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ZipRenderer])
    def donnees(self, request: Request, pk: str | None = None) -> HttpResponse | Response:
        personne = personne_du_compte(get_object_or_404(User, pk=pk))
        if not can_exporter_personne(request.user, personne):
            raise Http404
        return _donnees(request, personne, f"donnees-compte-{pk}")

    @extend_schema(
        summary="Anonymiser un compte",
        description=DESCRIPTION_ANONYMISER + " Le compte est désactivé et ses jetons supprimés.",
        request=AnonymisationSerializer,
        responses=REPONSES_ANONYMISER,
    )
    @action(detail=True, methods=["post"])
    def anonymiser(self, request: Request, pk: str | None = None) -> Response:
        exiger(can_anonymiser_personne(request.user), RESERVE)
        personne = personne_du_compte(get_object_or_404(User, pk=pk))
        return _anonymiser(request, personne)
