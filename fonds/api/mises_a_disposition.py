"""API of the secondments (R9): the secondments a user may read (`fonds.selectors.mises_a_disposition`), the
employer's acknowledgement and refusal. Who may act is `fonds.permissions`, checked here for the 403 and again by
the service. Requests are made on the collectif's pages (a référent, with the continuity plan)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from core.api_champs import LibelleChoix
from fonds import permissions, services
from fonds.enums import EtatMiseADisposition
from fonds.models import MiseADisposition
from fonds.models.mises_a_disposition import LONGUEUR_MOTIF_REFUS
from fonds.selectors.mises_a_disposition import mises_a_disposition_visibles

INTROUVABLE = OpenApiResponse(description="Mise à disposition inexistante ou hors de votre périmètre.")


class MiseADispositionSerializer(serializers.ModelSerializer):
    """A secondment of a professional member (R9): who, by which employer, how much, when, and its state."""

    reference = serializers.CharField(read_only=True, help_text="Référence (MAD-00012).")
    personne = serializers.SerializerMethodField(help_text="Prénom et nom de la personne mise à disposition.")
    collectif_nom = serializers.CharField(source="collectif.nom", read_only=True, help_text="Nom du collectif.")
    employeur_nom = serializers.CharField(source="employeur.nom", read_only=True, help_text="Nom de l'employeur.")
    quotite = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, help_text="% du temps.")
    etat = serializers.ChoiceField(choices=EtatMiseADisposition.choices, read_only=True, help_text="État.")
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="En lettres.")

    class Meta:
        model = MiseADisposition
        fields = [
            "id",
            "reference",
            "collectif",
            "collectif_nom",
            "convention",
            "personne",
            "employeur",
            "employeur_nom",
            "quotite",
            "date_debut",
            "date_fin",
            "plan_continuite",
            "etat",
            "etat_libelle",
            "reponse_le",
            "motif_refus",
        ]
        read_only_fields = fields

    def get_personne(self, mise: MiseADisposition) -> str:
        return f"{mise.membre.prenom} {mise.membre.nom}"


class RefusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    motif = serializers.CharField(max_length=LONGUEUR_MOTIF_REFUS, help_text="Motif du refus, vu par le collectif.")


class MiseADispositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Mises à disposition de professionnel·les (R9) : lues par les référent·es du collectif, l'employeur et
    l'instance du département ; l'employeur en prend acte avant le début ou les décline."""

    serializer_class = MiseADispositionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[MiseADisposition]:
        return mises_a_disposition_visibles(self.request.user).order_by("date_debut", "pk")

    def _employeur(self) -> MiseADisposition:
        mise = self.get_object()
        exiger(permissions.can_repondre_mise_a_disposition(self.request.user, mise))
        return mise

    def _reponse(self, mise: MiseADisposition) -> Response:
        return Response(MiseADispositionSerializer(get_object_or_404(self.get_queryset(), pk=mise.pk)).data)

    @extend_schema(
        summary="Prendre acte d'une mise à disposition",
        description="L'employeur prend acte de la mise à disposition et de son plan de continuité, avant son début "
        "(R9) ; la convention de mise à disposition est alors émise.",
        request=None,
        responses={200: MiseADispositionSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="prendre-acte")
    def prendre_acte(self, request: Request, pk: str | None = None) -> Response:
        mise = services.mise_a_disposition_prendre_acte(acteur=request.user, mise=self._employeur())
        return self._reponse(mise)

    @extend_schema(
        summary="Décliner une mise à disposition",
        description="L'employeur décline la mise à disposition en indiquant un motif (R9).",
        request=RefusSerializer,
        responses={200: MiseADispositionSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def decliner(self, request: Request, pk: str | None = None) -> Response:
        mise = self._employeur()
        serializer = RefusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mise = services.mise_a_disposition_decliner(
            acteur=request.user, mise=mise, motif=serializer.validated_data["motif"]
        )
        return self._reponse(mise)
