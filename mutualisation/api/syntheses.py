"""API of the departmental syntheses and the national report (R15): list and read syntheses, generate their figures,
write the instance's text, transmit; list and read national reports, launch one, follow its job's progress.

Who sees what is `mutualisation.selectors`; who may act is `mutualisation.permissions.syntheses`, checked here for the
403 and again by the service. Thin adapters: a serializer validates, a scoped selector fetches, one service writes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from core.api_champs import ChampCode, LibelleChoix
from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale, Travail
from mutualisation.models.syntheses import LONGUEUR_TEXTE_INSTANCE
from mutualisation.permissions import syntheses as permissions
from mutualisation.selectors.rapports import rapports_visibles
from mutualisation.selectors.syntheses import syntheses_visibles
from mutualisation.services import rapports as services_rapports
from mutualisation.services import syntheses as services
from mutualisation.services.travaux import progression
from territoires.models import Departement

SYNTHESE_INTROUVABLE = OpenApiResponse(description="Synthèse inexistante ou hors de votre périmètre.")
RAPPORT_INTROUVABLE = OpenApiResponse(description="Rapport inexistant, ou réservé à l'équipe nationale.")


class SyntheseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A département's synthesis, with its figures (a JSON snapshot, frozen once transmitted; amounts as strings
    with two decimals)."""

    etat_libelle = LibelleChoix(source="get_etat_display", help_text="État en clair.")
    document = serializers.CharField(
        source="document.numero",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Numéro du PDF, s'il est émis.",
    )

    class Meta:
        model = SyntheseDepartementale
        fields = [
            "id",
            "departement",
            "annee",
            "etat",
            "etat_libelle",
            "chiffres",
            "generee_le",
            "texte_instance",
            "transmise_le",
            "rapport",
            "document",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "departement": {"help_text": "Code COG du département."},
            "annee": {"help_text": "Année couverte."},
            "etat": {"help_text": "brouillon, transmise ou consolidee."},
            "chiffres": {"help_text": "Chiffres générés à partir des données (voir la documentation du format)."},
            "texte_instance": {"help_text": "Le texte de l'instance."},
            "rapport": {"help_text": "Le rapport national qui l'a consolidée."},
        }


class GenererSerializer(serializers.Serializer):  # type: ignore[type-arg]
    departement = ChampCode(queryset=Departement.objects.all(), help_text="Code COG du département.")
    annee = serializers.IntegerField(min_value=2015, max_value=2100, help_text="Année couverte.")


class TexteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    texte_instance = serializers.CharField(
        max_length=LONGUEUR_TEXTE_INSTANCE, allow_blank=True, help_text="Le texte de l'instance."
    )


class FiltresSynthesesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    annee = serializers.IntegerField(required=False, min_value=2015, max_value=2100, help_text="Filtrer par année.")
    departement = serializers.CharField(required=False, max_length=3, help_text="Filtrer par code de département.")
    etat = serializers.ChoiceField(choices=EtatSynthese.choices, required=False, help_text="Filtrer par état.")


@extend_schema_view(
    list=extend_schema(
        summary="Lister les synthèses départementales",
        description="Celles de vos départements (instructeur·rices, membres de l'instance) ; toutes pour l'équipe "
        "nationale (R15).",
        parameters=[FiltresSynthesesSerializer],
        responses={200: SyntheseSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter une synthèse départementale", responses={200: SyntheseSerializer, 404: SYNTHESE_INTROUVABLE}
    ),
)
class SyntheseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Synthèses départementales annuelles (R15) : chiffres générés, texte de l'instance, transmission."""

    serializer_class = SyntheseSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[SyntheseDepartementale]:
        qs = syntheses_visibles(self.request.user)
        if self.action == "list":
            filtres = FiltresSynthesesSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            champs = {"annee": "annee", "departement": "departement_id", "etat": "etat"}
            qs = qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
        return qs.order_by("-annee", "departement_id")

    def _reponse(self, synthese: SyntheseDepartementale, statut: int = status.HTTP_200_OK) -> Response:
        return Response(
            SyntheseSerializer(syntheses_visibles(self.request.user).get(pk=synthese.pk)).data, status=statut
        )

    @extend_schema(
        summary="Générer les chiffres d'une synthèse",
        description="Instructeur·rices du département : crée la synthèse de l'année si besoin et (re)génère ses "
        "chiffres à partir des données, tant qu'elle n'est pas transmise.",
        request=GenererSerializer,
        responses={200: SyntheseSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    @action(detail=False, methods=["post"])
    def generer(self, request: Request) -> Response:
        serializer = GenererSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        departement = serializer.validated_data["departement"]
        exiger(permissions.can_generer_synthese(request.user, departement.code))
        synthese = services.synthese_generer(
            acteur=request.user, departement=departement, annee=serializer.validated_data["annee"]
        )
        return self._reponse(synthese)

    @extend_schema(
        summary="Rédiger le texte de l'instance",
        description="Instructeur·rices du département ou présidence de l'instance, tant que la synthèse n'est pas "
        "transmise.",
        request=TexteSerializer,
        responses={200: SyntheseSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: SYNTHESE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def rediger(self, request: Request, pk: str | None = None) -> Response:
        synthese = self.get_object()
        serializer = TexteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.synthese_rediger(
            acteur=request.user, synthese=synthese, texte=serializer.validated_data["texte_instance"]
        )
        return self._reponse(synthese)

    @extend_schema(
        summary="Transmettre la synthèse",
        description="Fige les chiffres (le rapport national lira cet instantané) ; le PDF est émis ensuite.",
        request=None,
        responses={200: SyntheseSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: SYNTHESE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def transmettre(self, request: Request, pk: str | None = None) -> Response:
        synthese = self.get_object()
        exiger(permissions.can_transmettre_synthese(request.user, synthese))
        services.synthese_transmettre(acteur=request.user, synthese=synthese)
        return self._reponse(synthese)


class ProgressionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A job's progress (R15)."""

    etat = serializers.CharField(help_text="en_attente, en_cours, termine ou echoue.")
    etat_libelle = serializers.CharField(help_text="État en clair.")
    etape = serializers.CharField(help_text="L'étape en cours.")
    fait = serializers.IntegerField(help_text="Étapes faites.")
    total = serializers.IntegerField(help_text="Étapes en tout.")
    pourcentage = serializers.IntegerField(help_text="Avancement, de 0 à 100.")
    actif = serializers.BooleanField(help_text="Le travail tourne (ni fini, ni interrompu).")
    bloque = serializers.BooleanField(help_text="Le travail ne donne plus signe de vie : il peut être relancé.")
    erreurs = serializers.ListField(child=serializers.DictField(), help_text="Les erreurs rencontrées.")


def _progression(travail: Travail | None) -> dict[str, Any] | None:
    if travail is None:
        return None
    return {**progression(travail).__dict__, "erreurs": travail.erreurs}


class RapportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A national report: its consolidated figures, the missing départements, the job's progress."""

    progression = serializers.SerializerMethodField(help_text="L'avancement du dernier travail.")
    document = serializers.CharField(
        source="document.numero", read_only=True, default=None, allow_null=True, help_text="Numéro du dernier PDF émis."
    )

    class Meta:
        model = RapportNational
        fields = ["annee", "genere_le", "chiffres", "departements_manquants", "document", "progression"]
        read_only_fields = fields

    @extend_schema_field(ProgressionSerializer(allow_null=True))
    def get_progression(self, rapport: RapportNational) -> dict[str, Any] | None:
        return _progression(rapport.travail)


class LancerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    annee = serializers.IntegerField(min_value=2015, max_value=2100, help_text="Année à consolider.")


@extend_schema_view(
    list=extend_schema(
        summary="Lister les rapports nationaux",
        description="Équipe nationale : une liste vide pour les autres rôles.",
        responses={200: RapportSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="Consulter un rapport national", responses={200: RapportSerializer, 404: RAPPORT_INTROUVABLE}
    ),
)
class RapportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Rapports nationaux de capitalisation (R15), préparés en arrière-plan avec un avancement visible."""

    serializer_class = RapportSerializer
    lookup_field = "annee"
    lookup_value_regex = "[0-9]{4}"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[RapportNational]:
        return rapports_visibles(self.request.user).order_by("-annee")

    @extend_schema(
        summary="Lancer le rapport national d'une année",
        description="Équipe nationale : refusé tant qu'un travail de la même année tourne ; un travail interrompu "
        "(worker arrêté) est remplacé. Suivez ensuite l'avancement (progression).",
        request=LancerSerializer,
        responses={202: RapportSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    @action(detail=False, methods=["post"])
    def lancer(self, request: Request) -> Response:
        exiger(permissions.can_lancer_rapport(request.user))
        serializer = LancerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rapport = services_rapports.rapport_lancer(acteur=request.user, annee=serializer.validated_data["annee"])
        rapport = self.get_queryset().get(pk=rapport.pk)
        return Response(RapportSerializer(rapport).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Avancement du rapport",
        responses={200: ProgressionSerializer, 404: RAPPORT_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def progression(self, request: Request, annee: str | None = None) -> Response:
        rapport = get_object_or_404(self.get_queryset(), annee=annee)
        donnees = _progression(rapport.travail)
        if donnees is None:
            return Response({"detail": "Ce rapport n'a pas encore été lancé."}, status=status.HTTP_404_NOT_FOUND)
        return Response(ProgressionSerializer(donnees).data)


__all__: list[Any] = ["RapportViewSet", "SyntheseViewSet"]
