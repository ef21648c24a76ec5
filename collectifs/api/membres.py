"""API of a collectif's members, in the three colleges (R1): a person counts once; a membership ends with a
date, nothing is deleted (R19); inhabitants need no e-mail (R20). Writes go through services.collectif."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs import permissions, selectors, services
from collectifs.api.collectifs import INTROUVABLE, OrganisationSerializer, donnees_organisation
from collectifs.models import (
    Collectif,
    Membre,
    Organisation,
)
from collectifs.services import DonneesMembre, DonneesOrganisation
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger


def _organisation_actuelle(organisation: Organisation | None) -> DonneesOrganisation | None:
    if organisation is None:
        return None
    return DonneesOrganisation(nom=organisation.nom, siret=organisation.siret, rna=organisation.rna)


AIDE_MEMBRE = {
    "college": {"help_text": "Collège de la personne ; une personne ne compte qu'une fois, dans un seul collège."},
    "prenom": {"help_text": "Prénom."},
    "nom": {"help_text": "Nom de famille."},
    "fonction": {"help_text": "Facultatif. Fonction ou qualité."},
    "email": {"help_text": "Facultatif : un·e habitant·e peut ne pas avoir d'adresse électronique."},
    "telephone": {"help_text": "Facultatif."},
    "date_debut": {"help_text": "Membre depuis (aujourd'hui par défaut)."},
    "date_fin": {"help_text": "Fin de l'adhésion : la personne ne compte plus après cette date. Rien n'est supprimé."},
    "saisi_le": {"help_text": "Date et heure de saisie."},
}


class MembreSerializer(serializers.ModelSerializer):
    """A member as read, and as added (no end date at creation)."""

    college_libelle = serializers.CharField(
        source="get_college_display", read_only=True, help_text="Collège, en toutes lettres."
    )
    organisation = OrganisationSerializer(
        required=False,
        allow_null=True,
        help_text="Facultative pour une association informelle ; SIRET et RNA sont vérifiés s'ils sont donnés.",
    )
    consentement = serializers.BooleanField(
        required=True,
        label="accord de la personne recueilli",
        help_text="La personne a donné son accord pour figurer dans la déclaration (obligatoire).",
    )
    est_actuel = serializers.SerializerMethodField(
        help_text="Vrai si la personne compte aujourd'hui dans la composition (R1)."
    )

    class Meta:
        model = Membre
        fields = [
            "id",
            "college",
            "college_libelle",
            "prenom",
            "nom",
            "fonction",
            "organisation",
            "email",
            "telephone",
            "date_debut",
            "date_fin",
            "consentement",
            "est_actuel",
            "saisi_le",
        ]
        read_only_fields = ["id", "date_fin", "saisi_le"]
        extra_kwargs = AIDE_MEMBRE
        validators: list[Any] = []

    def get_est_actuel(self, membre: Membre) -> bool:
        return membre.est_actuel(timezone.localdate())


class MembreModificationSerializer(serializers.ModelSerializer):
    """Correct a member, or end the membership with `date_fin`. Fields left out keep their value."""

    organisation = OrganisationSerializer(
        required=False, allow_null=True, help_text="null retire l'organisation ; absente, elle reste inchangée."
    )

    class Meta:
        model = Membre
        fields = [
            "college",
            "prenom",
            "nom",
            "fonction",
            "organisation",
            "email",
            "telephone",
            "date_debut",
            "date_fin",
            "consentement",
        ]
        extra_kwargs = AIDE_MEMBRE
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        membre: Membre = self.instance  # type: ignore[assignment]
        debut = attrs.get("date_debut", membre.date_debut)
        fin = attrs.get("date_fin", membre.date_fin)
        if fin is not None and fin < debut:
            raise serializers.ValidationError({"date_fin": ["La fin de l'adhésion ne peut pas précéder son début."]})
        return attrs


@extend_schema(
    parameters=[OpenApiParameter("collectif_pk", int, OpenApiParameter.PATH, description="Identifiant du collectif.")]
)
@extend_schema_view(
    list=extend_schema(summary="Lister les membres d'un collectif", description="Membres actuels et passés."),
    retrieve=extend_schema(summary="Consulter un membre", responses={200: MembreSerializer, 404: INTROUVABLE}),
)
class MembreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Membres d'un collectif, dans les trois collèges (R1). Rien ne se supprime : une adhésion prend fin."""

    serializer_class = MembreSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _collectif(self) -> Collectif:
        if not hasattr(self, "_collectif_visible"):
            self._collectif_visible = get_object_or_404(
                selectors.collectif_visible_to(self.request.user), pk=self.kwargs["collectif_pk"]
            )
        return self._collectif_visible

    def get_queryset(self) -> QuerySet[Membre]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Membre.objects.none()
        return selectors.membres_du_collectif(self._collectif()).order_by("college", "nom", "prenom", "pk")

    @extend_schema(
        summary="Ajouter un membre",
        description="Référent·es du collectif seulement. Une même personne ne peut pas être saisie deux fois.",
        request=MembreSerializer,
        responses={201: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def create(self, request: Request, collectif_pk: str | None = None) -> Response:
        collectif = self._collectif()
        exiger(permissions.can_modifier_collectif(request.user, collectif))
        serializer = MembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        membre = services.membre_ajouter(
            acteur=request.user,
            collectif=collectif,
            donnees=DonneesMembre(
                college=donnees["college"],
                prenom=donnees["prenom"],
                nom=donnees["nom"],
                consentement=donnees["consentement"],
                fonction=donnees.get("fonction", ""),
                organisation=donnees_organisation(donnees.get("organisation")),
                email=donnees.get("email", ""),
                telephone=donnees.get("telephone", ""),
                date_debut=donnees.get("date_debut"),
            ),
        )
        return Response(MembreSerializer(membre).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un membre ou mettre fin à son adhésion",
        description="Référent·es du collectif seulement. `date_fin` met fin à l'adhésion ; rien n'est supprimé.",
        request=MembreModificationSerializer,
        responses={200: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None, collectif_pk: str | None = None) -> Response:
        membre = self.get_object()
        exiger(permissions.can_modifier_collectif(request.user, self._collectif()))
        serializer = MembreModificationSerializer(membre, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        organisation = (
            donnees_organisation(donnees["organisation"])
            if "organisation" in donnees
            else _organisation_actuelle(membre.organisation)
        )
        membre = services.membre_modifier(
            acteur=request.user,
            membre=membre,
            donnees=DonneesMembre(
                college=donnees.get("college", membre.college),
                prenom=donnees.get("prenom", membre.prenom),
                nom=donnees.get("nom", membre.nom),
                consentement=donnees.get("consentement", membre.consentement),
                fonction=donnees.get("fonction", membre.fonction),
                organisation=organisation,
                email=donnees.get("email", membre.email),
                telephone=donnees.get("telephone", membre.telephone),
                date_debut=donnees.get("date_debut", membre.date_debut),
                date_fin=donnees.get("date_fin", membre.date_fin),
            ),
        )
        return Response(MembreSerializer(membre).data)
