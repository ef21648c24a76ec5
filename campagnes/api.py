"""API of campaigns (R3).

Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a predicate answers
403 for a forbidden action on a visible object, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from campagnes import permissions, services
from campagnes.models import CHAMPS_MODIFIABLES, Campagne
from campagnes.selectors import campagne_visible_to
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin
from core.api_champs import ChampCode, LibelleChoix
from territoires.selectors import departements

# A département accepts a few dozen collectifs a year; beyond this, the number is a typing error (and 10**12
# overflowed the database).
QUOTA_MAX = 10_000

AIDE = {
    "annee": {"help_text": "Année de la campagne (année budgétaire Y de la cohorte)."},
    "quota": {
        "help_text": "Nombre maximal de collectifs acceptés (10 000 au plus). Verrouillé à l'ouverture.",
        "max_value": QUOTA_MAX,
        "error_messages": {"max_value": "Le nombre de places ne peut pas dépasser 10 000."},
    },
    "enveloppe_annuelle": {
        "help_text": "Ce que la cohorte peut recevoir chaque année, pendant trois ans (€). Verrouillée à l'ouverture."
    },
    "montant_minimal_annuel": {
        "help_text": "Financement minimal garanti par collectif accepté et par an (€). Verrouillé à l'ouverture."
    },
    "date_ouverture": {"help_text": "Premier jour de dépôt des déclarations."},
    "date_cloture": {"help_text": "Dernier jour de dépôt des déclarations."},
    "seuil_elu_responsable": {"help_text": "Minimum d'élu·es ou responsables d'institution (R1, 1 par défaut)."},
    "seuil_professionnel": {"help_text": "Minimum de professionnel·les (R1, 2 par défaut)."},
    "seuil_habitant": {"help_text": "Minimum de représentant·es d'habitants ou d'usagers (R1, 2 par défaut)."},
    "plafond_mise_a_disposition": {"help_text": "Plafond de mise à disposition, en % du temps de travail."},
    "plafond_par_institution": {
        "help_text": "R17 : nombre de collectifs financés en cours par institution d'origine dans le département "
        "à partir duquel l'instance est alertée (1 par défaut)."
    },
    "delai_instruction_jours": {"help_text": "Délai d'instruction à compter du dépôt, en jours."},
    "delai_complements_jours": {"help_text": "Délai de réponse à une demande de compléments, en jours."},
    "delai_grace_mois": {
        "help_text": "Délai de grâce, en mois, laissé à un collectif financé dont la composition n'est plus "
        "conforme avant la suspension de sa prochaine tranche (R12, 3 par défaut)."
    },
    "delai_bilan_mois": {
        "help_text": "Délai du bilan annuel, en mois après chaque anniversaire de la signature (R11)."
    },
    "etat": {"help_text": "État de la campagne : en préparation, ouverte ou close."},
    "cree_le": {"help_text": "Date et heure de création."},
}


class CampagneSerializer(serializers.ModelSerializer):
    """A campaign as read, and as created (the département is given by its code)."""

    departement = ChampCode(
        queryset=departements(),
        label="département",
        help_text="Code du département (COG), par exemple 42.",
    )
    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="État de la campagne, en toutes lettres.")
    engagement_minimal = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Nombre de places × montant minimal annuel (€) : ce que la cohorte coûte au moins chaque année.",
    )

    class Meta:
        model = Campagne
        fields = [
            "id",
            "departement",
            "departement_nom",
            *CHAMPS_MODIFIABLES[:4],
            "engagement_minimal",
            *CHAMPS_MODIFIABLES[4:],
            "etat",
            "etat_libelle",
            "cree_le",
        ]
        read_only_fields = ["id", "etat", "cree_le"]
        extra_kwargs = AIDE
        # The service checks « one campaign per (département, year) » with its own French message.
        validators: list[Any] = []


class CampagneModificationSerializer(serializers.ModelSerializer):
    """The editable fields of a campaign; the département is fixed at creation."""

    class Meta:
        model = Campagne
        fields = CHAMPS_MODIFIABLES
        extra_kwargs = AIDE
        validators: list[Any] = []


INTROUVABLE = OpenApiResponse(description="Campagne inexistante ou hors de votre périmètre.")


@extend_schema_view(
    list=extend_schema(
        summary="Lister les campagnes",
        description="Équipe nationale : toutes ; instructeur·rices : celles de leurs départements. "
        "Les référent·es de collectifs n'y ont pas accès (403).",
        responses={200: CampagneSerializer(many=True), 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter une campagne", responses={200: CampagneSerializer, 404: INTROUVABLE}),
)
class CampagneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Campagnes annuelles des départements (R3) : places, enveloppe, montant minimal, seuils, dates."""

    serializer_class = CampagneSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Campagne]:
        return campagne_visible_to(self.request.user).order_by("-annee", "departement_id", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not permissions.can_voir_campagnes(request.user):
            raise exceptions.PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Créer une campagne",
        description="Instructeur·rices du département (l'équipe nationale consulte sans modifier). "
        "La campagne est créée en préparation ; "
        "une seule campagne par département et par année.",
        request=CampagneSerializer,
        responses={201: CampagneSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request) -> Response:
        if not permissions.can_voir_campagnes(request.user):
            raise exceptions.PermissionDenied
        serializer = CampagneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not permissions.can_creer_campagne(request.user, serializer.validated_data["departement"].code):
            raise exceptions.PermissionDenied
        campagne = services.campagne_creer(acteur=request.user, **serializer.validated_data)
        return Response(CampagneSerializer(campagne).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une campagne",
        description="Places, enveloppe, montant minimal et seuils sont verrouillés dès l'ouverture (R3).",
        request=CampagneModificationSerializer,
        responses={200: CampagneSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        campagne = self.get_object()
        if not permissions.can_modifier_campagne(request.user, campagne):
            raise exceptions.PermissionDenied
        serializer = CampagneModificationSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        campagne = services.campagne_modifier(acteur=request.user, campagne=campagne, **serializer.validated_data)
        return Response(CampagneSerializer(campagne).data)

    @extend_schema(
        summary="Ouvrir une campagne",
        description="Refusé si places × montant minimal annuel dépasse l'enveloppe annuelle (R3).",
        request=None,
        responses={200: CampagneSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def ouvrir(self, request: Request, pk: str | None = None) -> Response:
        campagne = self.get_object()
        if not permissions.can_ouvrir_campagne(request.user, campagne):
            raise exceptions.PermissionDenied
        campagne = services.campagne_ouvrir(acteur=request.user, campagne=campagne)
        return Response(CampagneSerializer(campagne).data)

    @extend_schema(
        summary="Clore une campagne",
        description="Plus aucun dépôt n'est possible ensuite.",
        request=None,
        responses={200: CampagneSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def clore(self, request: Request, pk: str | None = None) -> Response:
        campagne = self.get_object()
        if not permissions.can_clore_campagne(request.user, campagne):
            raise exceptions.PermissionDenied
        campagne = services.campagne_clore(acteur=request.user, campagne=campagne)
        return Response(CampagneSerializer(campagne).data)
