"""API of the departmental meetings (R13): list and read the meetings a user sees, plan one, change it, invite
collectifs, record the attendance (counts only), share the notes, cancel. Documents are uploaded through the page
(the API's body limit is far below a document's 10 Mo); the API lists them with the address of the
permission-checked download.

Who sees what is `mutualisation.selectors.rencontres.rencontres_visibles`; who may act is
`mutualisation.permissions.rencontres`, checked here for the 403 and again by the service."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import INVALIDE, SANS_DROIT, IdentifiantField, IdentifiantsMixin, exiger
from core.api_champs import ChampCode
from mutualisation.models import InvitationRencontre, PieceRencontre, Rencontre
from mutualisation.models.rencontres import LONGUEUR_COMPTE_RENDU, LONGUEUR_DESCRIPTION
from mutualisation.permissions import rencontres as permissions
from mutualisation.selectors.rencontres import rencontres_visibles
from mutualisation.services import rencontres as services
from territoires.models import Departement

RENCONTRE_INTROUVABLE = OpenApiResponse(description="Rencontre inexistante ou hors de votre périmètre.")


class InvitationRencontreSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An invited collectif and its attendance (counts only)."""

    collectif = serializers.IntegerField(source="collectif_id", read_only=True, help_text="Identifiant du collectif.")
    nom = serializers.CharField(source="collectif.nom", read_only=True, help_text="Nom du collectif.")

    class Meta:
        model = InvitationRencontre
        fields = ["collectif", "nom", "invitee_le", "present", "nombre_personnes"]
        read_only_fields = fields
        extra_kwargs = {
            "present": {"help_text": "Présent (true), absent (false), non renseigné (null)."},
            "nombre_personnes": {"help_text": "Nombre de personnes venues (un total, sans nom)."},
        }


class PieceRencontreSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A shared document; `url` downloads it after a permission check."""

    url = serializers.SerializerMethodField(help_text="Adresse du téléchargement (session requise).")

    class Meta:
        model = PieceRencontre
        fields = ["id", "titre", "type_mime", "taille", "sha256", "deposee_le", "url"]
        read_only_fields = fields

    def get_url(self, piece: PieceRencontre) -> str:
        return reverse("mutualisation:rencontre_piece", args=[piece.rencontre_id, piece.pk])


class RencontreSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A meeting, its invited collectifs, notes and documents."""

    departement = serializers.CharField(source="departement_id", read_only=True, help_text="Code du département.")
    invitations = InvitationRencontreSerializer(many=True, read_only=True, help_text="Collectifs invités et présences.")
    pieces = PieceRencontreSerializer(many=True, read_only=True, help_text="Documents partagés.")

    class Meta:
        model = Rencontre
        fields = [
            "id",
            "departement",
            "date",
            "lieu",
            "theme",
            "description",
            "compte_rendu",
            "compte_rendu_le",
            "etat",
            "annulee_le",
            "motif_annulation",
            "invitations",
            "pieces",
        ]
        read_only_fields = fields


class SaisieRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateTimeField(help_text="Date et heure (ISO 8601).")
    lieu = serializers.CharField(max_length=services.LONGUEUR_LIEU, help_text="Lieu.")
    theme = serializers.CharField(max_length=services.LONGUEUR_THEME, help_text="Thème.")
    description = serializers.CharField(
        max_length=LONGUEUR_DESCRIPTION, required=False, allow_blank=True, default="", help_text="Programme."
    )

    def donnees(self) -> services.DonneesRencontre:
        d = self.validated_data
        return services.DonneesRencontre(date=d["date"], lieu=d["lieu"], theme=d["theme"], description=d["description"])


class CreationRencontreSerializer(SaisieRencontreSerializer):
    departement = ChampCode(queryset=Departement.objects.all(), help_text="Code du département.")
    collectifs = serializers.ListField(
        child=IdentifiantField(), required=False, default=list, help_text="Collectifs agréés du département invités."
    )


class InvitationsRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    collectifs = serializers.ListField(child=IdentifiantField(), min_length=1, help_text="Collectifs à inviter.")


class PresenceRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    collectif = IdentifiantField(help_text="Identifiant du collectif invité.")
    present = serializers.BooleanField(allow_null=True, help_text="Présent, absent, ou null (non renseigné).")
    nombre_personnes = serializers.IntegerField(
        min_value=1, max_value=services.PERSONNES_MAX, required=False, allow_null=True, default=None
    )


class PresencesRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    presences = PresenceRencontreSerializer(many=True, help_text="Une ligne par collectif invité.")

    def donnees(self) -> dict[int, services.Presence]:
        return {
            p["collectif"]: services.Presence(present=p["present"], nombre_personnes=p["nombre_personnes"])
            for p in self.validated_data["presences"]
        }


class CompteRenduRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    compte_rendu = serializers.CharField(max_length=LONGUEUR_COMPTE_RENDU, help_text="Notes partagées.")


class AnnulationRencontreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    motif = serializers.CharField(max_length=services.LONGUEUR_MOTIF, help_text="Motif de l'annulation.")


REPONSES = {200: RencontreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: RENCONTRE_INTROUVABLE}


@extend_schema_view(
    list=extend_schema(summary="Lister les rencontres", responses={200: RencontreSerializer(many=True)}),
    retrieve=extend_schema(
        summary="Consulter une rencontre", responses={200: RencontreSerializer, 404: RENCONTRE_INTROUVABLE}
    ),
)
class RencontreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Rencontres départementales des collectifs (R13) : invitations, présences, notes et documents partagés."""

    serializer_class = RencontreSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Rencontre]:
        return (
            rencontres_visibles(self.request.user)
            .prefetch_related(
                Prefetch(
                    "invitations",
                    queryset=InvitationRencontre.objects.select_related("collectif").order_by("collectif__nom", "pk"),
                ),
                "pieces",
            )
            .order_by("-date", "-pk")
        )

    def _reponse(self, rencontre: Rencontre, statut: int = status.HTTP_200_OK) -> Response:
        return Response(RencontreSerializer(self.get_queryset().get(pk=rencontre.pk)).data, status=statut)

    def _geree(self) -> Rencontre:
        rencontre: Rencontre = self.get_object()
        exiger(permissions.can_planifier_rencontre(self.request.user, rencontre.departement_id))
        return rencontre

    @extend_schema(
        summary="Planifier une rencontre",
        description="Instructeur·rices du département ; les référent·es des collectifs invités sont prévenu·es.",
        request=CreationRencontreSerializer,
        responses={201: RencontreSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        departement = serializer.validated_data["departement"]
        exiger(permissions.can_planifier_rencontre(request.user, departement.code))
        rencontre = services.rencontre_planifier(
            acteur=request.user,
            departement=departement,
            donnees=serializer.donnees(),
            collectifs=serializer.validated_data["collectifs"],
        )
        return self._reponse(rencontre, status.HTTP_201_CREATED)

    @extend_schema(summary="Modifier la rencontre", request=SaisieRencontreSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def modifier(self, request: Request, pk: str | None = None) -> Response:
        rencontre = self._geree()
        serializer = SaisieRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rencontre_modifier(acteur=request.user, rencontre=rencontre, donnees=serializer.donnees())
        return self._reponse(rencontre)

    @extend_schema(summary="Inviter des collectifs", request=InvitationsRencontreSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def inviter(self, request: Request, pk: str | None = None) -> Response:
        rencontre = self._geree()
        serializer = InvitationsRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rencontre_inviter(
            acteur=request.user, rencontre=rencontre, collectifs=serializer.validated_data["collectifs"]
        )
        return self._reponse(rencontre)

    @extend_schema(
        summary="Noter les présences",
        description="Une fois la rencontre passée : présent ou non, et combien de personnes (un total, sans nom).",
        request=PresencesRencontreSerializer,
        responses=REPONSES,
    )
    @action(detail=True, methods=["post"])
    def presences(self, request: Request, pk: str | None = None) -> Response:
        rencontre = self._geree()
        serializer = PresencesRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rencontre_presences_enregistrer(
            acteur=request.user, rencontre=rencontre, presences=serializer.donnees()
        )
        return self._reponse(rencontre)

    @extend_schema(summary="Partager les notes", request=CompteRenduRencontreSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"], url_path="compte-rendu")
    def compte_rendu(self, request: Request, pk: str | None = None) -> Response:
        rencontre = self._geree()
        serializer = CompteRenduRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rencontre_compte_rendu_partager(
            acteur=request.user, rencontre=rencontre, texte=serializer.validated_data["compte_rendu"]
        )
        return self._reponse(rencontre)

    @extend_schema(summary="Annuler la rencontre", request=AnnulationRencontreSerializer, responses=REPONSES)
    @action(detail=True, methods=["post"])
    def annuler(self, request: Request, pk: str | None = None) -> Response:
        rencontre = self._geree()
        serializer = AnnulationRencontreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.rencontre_annuler(acteur=request.user, rencontre=rencontre, motif=serializer.validated_data["motif"])
        return self._reponse(rencontre)
