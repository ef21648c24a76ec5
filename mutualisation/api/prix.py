"""API of the prizes (R18): list and read the prizes a user sees, create one, nominate, add jurors, open the jury
phase, score (jurors; refused on a conflict of interest), proclaim.

Who sees what is `mutualisation.selectors.prix.prix_visibles`; who may act is `mutualisation.permissions.prix`,
checked here for the 403 and again by the service."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.enums import College
from core.api import INVALIDE, SANS_DROIT, IdentifiantField, IdentifiantsMixin, exiger
from core.api_champs import ChampCode
from fonds.api.serializers import schema_enum
from mutualisation.enums import EtatPrix, NiveauPrix
from mutualisation.models import FichePratique, MembreJury, Nomination, Prix
from mutualisation.models.prix import NOTE_MAX
from mutualisation.permissions import prix as permissions
from mutualisation.selectors.prix import prix_visibles
from mutualisation.services import prix as services
from territoires.models import Departement

PRIX_INTROUVABLE = OpenApiResponse(description="Prix inexistant ou hors de votre périmètre.")


@extend_schema_field(schema_enum(EtatPrix.values), component_name="EtatPrixEnum")
class EtatPrixField(serializers.ChoiceField):
    """The step of a prize: nominations, jury or proclame."""


@extend_schema_field(schema_enum(NiveauPrix.values), component_name="NiveauPrixEnum")
class NiveauPrixField(serializers.ChoiceField):
    """A departmental or the national prize."""


class NominationPrixSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    fiche = serializers.IntegerField(source="fiche_id", read_only=True, help_text="Identifiant de la fiche.")
    titre = serializers.CharField(source="fiche.titre", read_only=True, help_text="Titre de la fiche.")
    collectif = serializers.CharField(source="fiche.collectif.nom", read_only=True, help_text="Collectif auteur.")

    class Meta:
        model = Nomination
        fields = ["id", "fiche", "titre", "collectif", "laureat", "rang"]
        read_only_fields = fields


class MembreJurySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    compte = serializers.SerializerMethodField(help_text="La personne note en ligne (elle a un compte).")

    class Meta:
        model = MembreJury
        fields = ["id", "prenom", "nom", "college", "compte"]
        read_only_fields = fields

    def get_compte(self, membre: MembreJury) -> bool:
        return membre.user_id is not None


class PrixSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    departement = serializers.CharField(source="departement_id", read_only=True, allow_null=True)
    nominations = NominationPrixSerializer(many=True, read_only=True)
    jury = MembreJurySerializer(many=True, read_only=True)
    etat = EtatPrixField(choices=EtatPrix.choices, read_only=True, help_text="nominations, jury ou proclame.")
    niveau = NiveauPrixField(choices=NiveauPrix.choices, read_only=True, help_text="departemental ou national.")

    class Meta:
        model = Prix
        fields = ["id", "niveau", "departement", "annee", "titre", "etat", "proclame_le", "nominations", "jury"]
        read_only_fields = fields


class CreationPrixSerializer(serializers.Serializer):  # type: ignore[type-arg]
    niveau = NiveauPrixField(choices=NiveauPrix.choices, help_text="departemental ou national.")
    departement = ChampCode(queryset=Departement.objects.all(), required=False, allow_null=True, default=None)
    annee = serializers.IntegerField(min_value=services.ANNEE_MIN, max_value=services.ANNEE_MAX)
    titre = serializers.CharField(max_length=services.LONGUEUR_TITRE)


class NominerPrixSerializer(serializers.Serializer):  # type: ignore[type-arg]
    fiche = serializers.PrimaryKeyRelatedField(queryset=FichePratique.objects.all(), help_text="Fiche à nominer.")


class JurePrixSerializer(serializers.Serializer):  # type: ignore[type-arg]
    prenom = serializers.CharField(max_length=services.LONGUEUR_NOM)
    nom = serializers.CharField(max_length=services.LONGUEUR_NOM)
    college = serializers.ChoiceField(choices=College.choices)
    email = serializers.EmailField(required=False, allow_blank=True, default="", help_text="Compte pour noter.")


class NoteJurySerializer(serializers.Serializer):  # type: ignore[type-arg]
    nomination = IdentifiantField(help_text="Identifiant de la nomination.")
    note = serializers.IntegerField(min_value=0, max_value=NOTE_MAX)
    commentaire = serializers.CharField(
        max_length=services.LONGUEUR_COMMENTAIRE, required=False, allow_blank=True, default=""
    )


class ProclamationPrixSerializer(serializers.Serializer):  # type: ignore[type-arg]
    nombre_laureats = serializers.IntegerField(min_value=1, max_value=20, required=False, default=1)


REPONSES = {200: PrixSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: PRIX_INTROUVABLE}


@extend_schema_view(
    list=extend_schema(summary="Lister les prix", responses={200: PrixSerializer(many=True)}),
    retrieve=extend_schema(summary="Consulter un prix", responses={200: PrixSerializer, 404: PRIX_INTROUVABLE}),
)
class PrixViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Prix départementaux et national des pratiques inspirantes (R18) : nominations, jury, notes, lauréates."""

    serializer_class = PrixSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Prix]:
        return (
            prix_visibles(self.request.user)
            .prefetch_related(
                Prefetch("nominations", queryset=Nomination.objects.select_related("fiche__collectif")),
                "jury",
            )
            .order_by("-annee", "-niveau", "departement_id", "pk")
        )

    def _reponse(self, prix: Prix, statut: int = status.HTTP_200_OK) -> Response:
        return Response(PrixSerializer(self.get_queryset().get(pk=prix.pk)).data, status=statut)

    def _gere(self) -> Prix:
        prix: Prix = self.get_object()
        exiger(permissions.can_gerer_prix(self.request.user, prix))
        return prix

    @extend_schema(
        summary="Créer un prix",
        request=CreationPrixSerializer,
        responses={201: PrixSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationPrixSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        prix = services.prix_creer(
            acteur=request.user, niveau=d["niveau"], annee=d["annee"], titre=d["titre"], departement=d["departement"]
        )
        return self._reponse(prix, status.HTTP_201_CREATED)

    @extend_schema(summary="Nominer une fiche", request=NominerPrixSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def nominer(self, request: Request, pk: str | None = None) -> Response:
        prix = self._gere()
        serializer = NominerPrixSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.nomination_ajouter(acteur=request.user, prix=prix, fiche=serializer.validated_data["fiche"])
        return self._reponse(prix)

    @extend_schema(
        summary="Nominer les lauréates départementales",
        description="Prix national : nomine toutes les lauréates des prix départementaux proclamés de l'année.",
        request=None,
        responses=REPONSES,
    )
    @action(detail=True, methods=["post"], url_path="nominer-laureates")
    def nominer_laureates(self, request: Request, pk: str | None = None) -> Response:
        prix = self._gere()
        services.prix_nominer_laureats_departementaux(acteur=request.user, prix=prix)
        return self._reponse(prix)

    @extend_schema(summary="Ajouter un·e juré·e", request=JurePrixSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def jury(self, request: Request, pk: str | None = None) -> Response:
        prix = self._gere()
        serializer = JurePrixSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membre_jury_ajouter(acteur=request.user, prix=prix, **serializer.validated_data)
        return self._reponse(prix)

    @extend_schema(
        summary="Ouvrir la délibération du jury",
        description="Au moins une nomination, et au moins un·e juré·e dans chacun des trois collèges.",
        request=None,
        responses=REPONSES,
    )
    @action(detail=True, methods=["post"], url_path="ouvrir-jury")
    def ouvrir_jury(self, request: Request, pk: str | None = None) -> Response:
        prix = self._gere()
        services.prix_ouvrir_jury(acteur=request.user, prix=prix)
        return self._reponse(prix)

    @extend_schema(
        summary="Noter une nomination",
        description="Juré·es avec un compte, pendant la délibération ; refusé (403) en cas de conflit d'intérêts.",
        request=NoteJurySerializer,
        responses=REPONSES,
    )
    @action(detail=True, methods=["post"])
    def noter(self, request: Request, pk: str | None = None) -> Response:
        prix: Prix = self.get_object()
        serializer = NoteJurySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        nomination = Nomination.objects.filter(prix=prix, pk=d["nomination"]).first()
        if nomination is None:
            raise serializers.ValidationError({"nomination": ["Cette nomination n'appartient pas à ce prix."]})
        services.note_enregistrer(
            acteur=request.user, nomination=nomination, note=d["note"], commentaire=d["commentaire"]
        )
        return self._reponse(prix)

    @extend_schema(summary="Proclamer les lauréates", request=ProclamationPrixSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def proclamer(self, request: Request, pk: str | None = None) -> Response:
        prix = self._gere()
        serializer = ProclamationPrixSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.prix_proclamer(
            acteur=request.user, prix=prix, nombre_laureats=serializer.validated_data["nombre_laureats"]
        )
        return self._reponse(prix)
