"""API of the current user's account: the personal token (`Authorization: Token …`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comptes import services
from comptes.selectors import jeton_de


class JetonEtatSerializer(serializers.Serializer):
    actif = serializers.BooleanField(help_text="Vrai si vous avez un jeton en service.")
    cree_le = serializers.DateTimeField(allow_null=True, help_text="Date et heure de création du jeton en service.")


class JetonCreeSerializer(serializers.Serializer):
    cle = serializers.CharField(
        help_text="Le jeton, affiché une seule fois : transmettez-le dans l'en-tête `Authorization: Token <jeton>`."
    )
    cree_le = serializers.DateTimeField(help_text="Date et heure de création.")


class JetonView(APIView):
    """Le jeton personnel d'accès à l'API de la personne connectée : il agit avec ses droits."""

    @extend_schema(
        summary="État de mon jeton",
        description="Dit si un jeton est en service, sans le montrer (il n'est affiché qu'à sa création).",
        responses={200: JetonEtatSerializer},
    )
    def get(self, request: Request) -> Response:
        jeton = jeton_de(request.user)
        donnees = {"actif": jeton is not None, "cree_le": jeton.created if jeton else None}
        return Response(JetonEtatSerializer(donnees).data)

    @extend_schema(
        summary="Créer ou régénérer mon jeton",
        description="L'ancien jeton, s'il existe, cesse aussitôt de fonctionner.",
        request=None,
        responses={201: JetonCreeSerializer},
    )
    def post(self, request: Request) -> Response:
        jeton = services.jeton_creer(acteur=request.user)
        donnees = {"cle": jeton.key, "cree_le": jeton.created}
        return Response(JetonCreeSerializer(donnees).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Révoquer mon jeton",
        request=None,
        responses={204: OpenApiResponse(description="Le jeton est révoqué (ou il n'y en avait pas).")},
    )
    def delete(self, request: Request) -> Response:
        services.jeton_revoquer(acteur=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
