"""API of declarations up to filing, and their withdrawal: the draft's texts, indicators, charter (R16),
filing conditions and filing (R1, R2), withdrawal (SPEC §5). Writes go through services.depot.

`DeclarationViewSet` is the base the instance layer extends (instances.api); the instruction endpoints (R4,
R17) come from `InstructionMixin` (api.instruction)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from campagnes.selectors import campagne_de_depot
from collectifs import permissions, selectors, services
from collectifs.api.collectifs import INTROUVABLE
from collectifs.api.instruction import InstructionMixin
from collectifs.api.serializers import DeclarationSerializer, IndicateurSerializer, recepisses_des, url_recepisse
from collectifs.enums import EtatDeclaration
from collectifs.models import (
    LONGUEUR_MOTIF,
    Declaration,
)
from collectifs.services import DonneesIndicateur
from core.api import INVALIDE, SANS_DROIT, IdentifiantField, PageMixin, PDFRenderer, exiger
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.views import reponse_pdf


class IndicateursSerializer(serializers.Serializer):
    indicateurs = IndicateurSerializer(
        many=True, help_text="Les indicateurs que le collectif se donne (5 au plus) ; remplace la liste existante."
    )


class DeclarationTextesSerializer(serializers.ModelSerializer):
    """The draft's texts. A draft can be saved at any time, even incomplete (R2)."""

    class Meta:
        model = Declaration
        fields = ["dynamique_preexistante", "projet", "additionnalite"]
        extra_kwargs = {
            "dynamique_preexistante": {
                "help_text": "Décrivez la dynamique collaborative qui existe déjà entre vous "
                "(5 000 caractères au plus)."
            },
            "projet": {"help_text": "Le projet du collectif (5 000 caractères au plus)."},
            "additionnalite": {"help_text": "Ce qui n'existerait pas sans le collectif (5 000 caractères au plus)."},
        }


class FiltresDeclarationSerializer(serializers.Serializer):
    collectif = IdentifiantField(required=False, help_text="Seulement les déclarations de ce collectif.")
    etat = serializers.ChoiceField(
        choices=EtatDeclaration.choices, required=False, help_text="Seulement les déclarations dans cet état."
    )


class RetraitSerializer(serializers.Serializer):
    motif = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_MOTIF,
        help_text="Motif du retrait (obligatoire, 5 000 caractères au plus).",
    )


class ConditionsSerializer(serializers.Serializer):
    peut_deposer = serializers.BooleanField(help_text="Vrai quand toutes les conditions de dépôt sont réunies (R2).")
    campagne = serializers.IntegerField(allow_null=True, help_text="Campagne de dépôt du département.")
    erreurs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Ce qui empêche le dépôt, en français, par champ (membres, charte, textes, campagne…).",
    )


class DepotSerializer(serializers.Serializer):
    numero = serializers.CharField(help_text="Numéro du récépissé émis.")
    recepisse_url = serializers.URLField(help_text="Adresse de téléchargement du récépissé PDF.")
    declaration = DeclarationSerializer(help_text="La déclaration déposée.")


MESSAGE_NON_MODIFIABLE = "Cette déclaration ne peut plus être modifiée."


@extend_schema_view(
    list=extend_schema(
        summary="Lister les déclarations",
        description="Référent·es : celles de leurs collectifs, brouillons compris ; instructeur·rices : les "
        "déclarations déposées de leurs départements ; équipe nationale : toutes les déclarations déposées.",
        parameters=[FiltresDeclarationSerializer],
    ),
    retrieve=extend_schema(
        summary="Consulter une déclaration", responses={200: DeclarationSerializer, 404: INTROUVABLE}
    ),
)
class DeclarationViewSet(InstructionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Déclarations des collectifs (auto-proclamation, R2). Le brouillon est ouvert à la création du collectif."""

    serializer_class = DeclarationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Declaration]:
        qs = selectors.declaration_visible_to(self.request.user).prefetch_related("indicateurs")
        if self.action == "list":
            filtres = FiltresDeclarationSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            if "collectif" in filtres.validated_data:
                qs = qs.filter(collectif_id=filtres.validated_data["collectif"])
            if "etat" in filtres.validated_data:
                qs = qs.filter(etat=filtres.validated_data["etat"])
        return qs.order_by("-cree_le", "-pk")

    def _representation(self, declarations: list[Declaration]) -> Any:
        contexte = {**self.get_serializer_context(), "recepisses": recepisses_des(declarations)}
        return DeclarationSerializer(declarations, many=True, context=contexte).data

    def _reponse(self, declaration: Declaration, statut: int = status.HTTP_200_OK) -> Response:
        declaration = get_object_or_404(self.get_queryset(), pk=declaration.pk)
        return Response(self._representation([declaration])[0], status=statut)

    def _brouillon(self) -> Declaration:
        """The draft the user may edit: 404 when hidden, 403 when visible but not theirs to edit (or filed)."""
        declaration = self.get_object()
        exiger(permissions.can_modifier_declaration(self.request.user, declaration), MESSAGE_NON_MODIFIABLE)
        return declaration

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.page_repondre(
            self.filter_queryset(self.get_queryset()),
            DeclarationSerializer,
            contexte=lambda declarations: {"recepisses": recepisses_des(declarations)},
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._representation([self.get_object()])[0])

    @extend_schema(
        summary="Enregistrer le brouillon",
        description="Référent·es du collectif, tant que la déclaration est un brouillon. Les champs absents restent "
        "inchangés ; un brouillon incomplet s'enregistre.",
        request=DeclarationTextesSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        serializer = DeclarationTextesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        services.declaration_enregistrer(
            acteur=request.user,
            declaration=declaration,
            dynamique_preexistante=donnees.get("dynamique_preexistante", declaration.dynamique_preexistante),
            projet=donnees.get("projet", declaration.projet),
            additionnalite=donnees.get("additionnalite", declaration.additionnalite),
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Remplacer les indicateurs",
        description="Cinq indicateurs au plus, qualitatifs en premier.",
        request=IndicateursSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["put"])
    def indicateurs(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        serializer = IndicateursSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.indicateurs_enregistrer(
            acteur=request.user,
            declaration=declaration,
            indicateurs=[DonneesIndicateur(**donnees) for donnees in serializer.validated_data["indicateurs"]],
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Accepter la charte",
        description="Enregistre l'adhésion de la personne connectée à la version en vigueur de la charte (R16).",
        request=None,
        responses={200: DeclarationSerializer, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="accepter-charte")
    def accepter_charte(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        services.charte_accepter(acteur=request.user, declaration=declaration)
        return self._reponse(declaration)

    @extend_schema(
        summary="Conditions de dépôt (R2)",
        description="Tout ce qui empêche aujourd'hui le dépôt, en français, par champ.",
        responses={200: ConditionsSerializer, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def conditions(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        campagne = campagne_de_depot(declaration.collectif.departement)
        erreurs = services.conditions_de_depot(declaration, campagne)
        donnees = {
            "peut_deposer": declaration.etat == EtatDeclaration.BROUILLON and not erreurs,
            "campagne": campagne.pk if campagne else None,
            "erreurs": erreurs,
        }
        return Response(ConditionsSerializer(donnees).data)

    @extend_schema(
        summary="Déposer la déclaration",
        description="Référent·es du collectif. Vérifie les conditions (R2), émet le récépissé numéroté et prévient "
        "les instructeur·rices du département.",
        request=None,
        responses={201: DepotSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def deposer(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_deposer_declaration(request.user, declaration))
        document = services.declaration_deposer(acteur=request.user, declaration=declaration)
        declaration = get_object_or_404(self.get_queryset(), pk=declaration.pk)
        donnees = {
            "numero": document.numero,
            "recepisse_url": url_recepisse(request, declaration.pk),
            "declaration": self._representation([declaration])[0],
        }
        return Response(donnees, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Retirer la déclaration",
        description="Référent·es du collectif, une fois la déclaration déposée, avec un motif.",
        request=RetraitSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def retirer(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_retirer_declaration(request.user, declaration))
        serializer = RetraitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.declaration_retirer(
            acteur=request.user, declaration=declaration, motif=serializer.validated_data["motif"]
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Télécharger le récépissé",
        description="Le PDF du récépissé émis au dépôt, vérifié par son empreinte SHA-256.",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le récépissé (PDF)."),
            404: INTROUVABLE,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def recepisse(self, request: Request, pk: str | None = None) -> HttpResponse:
        declaration = self.get_object()
        document = documents_de(declaration, TypeDocument.RECEPISSE).first()
        if document is None:
            raise exceptions.NotFound("Aucun récépissé pour cette déclaration.")
        return reponse_pdf(document)
