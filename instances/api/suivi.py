"""API of what the instance adds to a declaration's file: its documents, decisions included (R5), and the
collectif's accompagnateur (R10).

DeclarationViewSet extends collectifs' viewset (the instance layer sits above collectifs). R10: only the
département's instructeurs assign an accompagnateur, chosen among the département's active registry; a new
assignment ends the previous one. Documents are those of the declaration's file (documents_de_la_declaration):
never the séance's minutes, which speak of other collectifs."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.api import INTROUVABLE as DECLARATION_INTROUVABLE
from collectifs.api import DeclarationViewSet as DeclarationBaseViewSet
from collectifs.api import DocumentSerializer
from core.api import INVALIDE, SANS_DROIT, IdentifiantRelatedField, PageMixin, PDFRenderer, exiger
from documents.views import reponse_pdf
from instances.api.instances import AccompagnateurSerializer
from instances.models import Accompagnateur
from instances.permissions import can_affecter_accompagnateur
from instances.selectors import accompagnement_en_cours, documents_visibles_de_la_declaration
from instances.services import accompagnateur_affecter


class AccompagnementSerializer(serializers.Serializer):
    accompagnateur = AccompagnateurSerializer(
        allow_null=True, help_text="L'accompagnateur·rice du collectif (R10), s'il ou elle est affecté·e."
    )
    affecte_le = serializers.DateTimeField(allow_null=True, help_text="Date et heure de l'affectation.")


ACCOMPAGNATEUR_HORS_REGISTRE = "Choisissez un·e accompagnateur·rice actif·ve du registre du département."


class AffectationSerializer(serializers.Serializer):
    accompagnateur = IdentifiantRelatedField(
        queryset=Accompagnateur.objects.all(),
        label="accompagnateur·rice",
        help_text="Identifiant d'un·e accompagnateur·rice du registre du département.",
        error_messages={"does_not_exist": ACCOMPAGNATEUR_HORS_REGISTRE},
    )


class DeclarationViewSet(DeclarationBaseViewSet, PageMixin):
    """Les déclarations, avec ce que l'instance ajoute à leur dossier : décisions et accompagnement (R5, R10)."""

    @extend_schema(
        summary="Accompagnateur·rice du collectif",
        description="L'accompagnateur·rice affecté·e au collectif (R10), ou rien.",
        responses={200: AccompagnementSerializer, 404: DECLARATION_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def accompagnateur(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        return Response(AccompagnementSerializer(accompagnement_en_cours(declaration.collectif)).data)

    @extend_schema(
        summary="Affecter un·e accompagnateur·rice",
        description="Instructeur·rices du département, parmi le registre du département (R10). Une nouvelle "
        "affectation met fin à la précédente.",
        request=AffectationSerializer,
        responses={201: AccompagnementSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: DECLARATION_INTROUVABLE},
    )
    @accompagnateur.mapping.post
    def affecter_accompagnateur(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        collectif = declaration.collectif
        exiger(can_affecter_accompagnateur(request.user, collectif.departement_id))
        serializer = AffectationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        affectation = accompagnateur_affecter(
            acteur=request.user, collectif=collectif, accompagnateur=serializer.validated_data["accompagnateur"]
        )
        donnees = {"accompagnateur": affectation.accompagnateur, "affecte_le": affectation.affecte_le}
        return Response(AccompagnementSerializer(donnees).data, status=status.HTTP_201_CREATED)

    # --- Documents --------------------------------------------------------------------------------

    @extend_schema(
        summary="Lister les documents",
        description="Les PDF émis pour la déclaration : récépissé, demandes de compléments et décisions (les membres "
        "de l'instance ne voient pas les demandes de compléments).",
        responses={200: DocumentSerializer(many=True), 404: DECLARATION_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        return self.page_repondre(
            documents_visibles_de_la_declaration(request.user, declaration),
            DocumentSerializer,
            contexte=lambda _: {"declaration": declaration},
        )

    @extend_schema(
        summary="Télécharger un document",
        description="Un PDF émis pour la déclaration, par son numéro, vérifié par son empreinte SHA-256.",
        parameters=[OpenApiParameter("numero", str, OpenApiParameter.PATH, description="Numéro du document.")],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le document (PDF)."),
            404: DECLARATION_INTROUVABLE,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<numero>[A-Z0-9-]+)",
        url_name="document",
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def document(self, request: Request, pk: str | None = None, numero: str | None = None) -> HttpResponse:
        declaration = self.get_object()
        document = documents_visibles_de_la_declaration(request.user, declaration).filter(numero=numero).first()
        if document is None:
            raise exceptions.NotFound("Aucun document de ce numéro pour cette déclaration.")
        return reponse_pdf(document)
