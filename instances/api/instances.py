"""API of the departmental instances: their members, their presidency (R6) and the département's registry of
accompagnateurs (R10).

R6: the presidency changes only by rotation (`presidence/tourner`), for the département's instructeurs; the
history is kept. R10: the registry lists the département's active accompagnateurs, without contact details.
Thin adapters: a scoped selector fetches (404 when hidden), a predicate answers 403 for a forbidden action on a
visible object, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import INVALIDE, SANS_DROIT, PageMixin, exiger
from core.api_champs import LibelleChoix
from instances import permissions, services
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance, Presidence
from instances.selectors import (
    accompagnateurs_disponibles,
    instance_visible_to,
    presidence_en_cours,
    presidence_suivante_proposee,
)

INSTANCE_INTROUVABLE = OpenApiResponse(description="Instance inexistante ou hors de votre périmètre.")


def schema_enum(choix: Any) -> dict[str, Any]:
    """The OpenAPI schema of a set of choices, for a field that gets its own component name."""
    return {"type": "string", "enum": list(choix.values)}


# `college` already names the colleges of a collectif: this choice set gets its own schema component, so that
# every name stays unambiguous (likewise EtatSeanceEnum in api/seances.py).
@extend_schema_field(schema_enum(CollegeInstance), component_name="CollegeInstanceEnum")
class CollegeInstanceField(serializers.ChoiceField):
    """A college of the departmental instance (SPEC §3)."""


class MembreResumeSerializer(serializers.ModelSerializer):
    """A member of the instance, in short."""

    class Meta:
        model = MembreInstance
        fields = ["id", "prenom", "nom", "institution"]
        read_only_fields = fields
        extra_kwargs = {
            "prenom": {"help_text": "Prénom."},
            "nom": {"help_text": "Nom."},
            "institution": {"help_text": "Institution représentée."},
        }


class MembreInstanceSerializer(serializers.ModelSerializer):
    """A member of the instance, in one college; voting or not (SPEC §3)."""

    college = CollegeInstanceField(
        choices=CollegeInstance.choices,
        read_only=True,
        help_text="Collège de l'instance ; les travailleurs sociaux des collectivités sont distincts des élu·es.",
    )
    college_libelle = LibelleChoix(source="get_college_display", help_text="Collège, en toutes lettres.")

    class Meta:
        model = MembreInstance
        fields = [
            "id",
            "prenom",
            "nom",
            "institution",
            "college",
            "college_libelle",
            "votant",
            "rang_rotation",
            "actif",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "prenom": {"help_text": "Prénom."},
            "nom": {"help_text": "Nom."},
            "institution": {"help_text": "Institution représentée."},
            "votant": {"help_text": "Vrai si le membre a voix délibérative (compte pour le quorum)."},
            "rang_rotation": {"help_text": "Rang dans la rotation de la présidence (R6)."},
            "actif": {"help_text": "Faux pour un membre qui ne siège plus."},
        }


class PresidenceSerializer(serializers.ModelSerializer):
    """One term of presidency (R6)."""

    membre = MembreResumeSerializer(read_only=True, help_text="Le membre qui préside.")

    class Meta:
        model = Presidence
        fields = ["id", "membre", "debut", "fin_prevue", "fin"]
        read_only_fields = fields
        extra_kwargs = {
            "debut": {"help_text": "Début du mandat."},
            "fin_prevue": {"help_text": "Fin prévue du mandat (durée configurable, un an par défaut)."},
            "fin": {"help_text": "Fin effective du mandat ; vide pour la présidence en cours."},
        }


class InstanceSerializer(serializers.ModelSerializer):
    """A departmental instance, with its current president."""

    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    presidence = serializers.SerializerMethodField(help_text="La présidence en cours, le cas échéant.")

    class Meta:
        model = InstanceDepartementale
        fields = ["id", "departement", "departement_nom", "nom", "quorum_fraction", "duree_mandat_mois", "presidence"]
        read_only_fields = fields
        extra_kwargs = {
            "departement": {"help_text": "Code du département (COG)."},
            "nom": {"help_text": "Nom de l'instance."},
            "quorum_fraction": {
                "help_text": "Quorum : strictement plus que cette fraction des membres votants présents (R5)."
            },
            "duree_mandat_mois": {"help_text": "Durée d'un mandat de présidence, en mois (R6)."},
        }

    @extend_schema_field(PresidenceSerializer(allow_null=True))
    def get_presidence(self, instance: InstanceDepartementale) -> Any:
        en_cours = getattr(instance, "presidences_en_cours", None)
        courante = (en_cours[0] if en_cours else None) if en_cours is not None else presidence_en_cours(instance)
        return PresidenceSerializer(courante).data if courante is not None else None


class InstanceDetailSerializer(InstanceSerializer):
    """The instance page: president, proposed next one, history and members (R6)."""

    presidence_suivante = serializers.SerializerMethodField(
        help_text="Le membre proposé pour la prochaine présidence, dans l'ordre de rotation (R6)."
    )
    historique = serializers.SerializerMethodField(help_text="Toutes les présidences, la plus récente d'abord.")
    membres = serializers.SerializerMethodField(help_text="Les membres, dans l'ordre de rotation.")

    class Meta(InstanceSerializer.Meta):
        fields = [*InstanceSerializer.Meta.fields, "presidence_suivante", "historique", "membres"]
        read_only_fields = fields

    @extend_schema_field(MembreResumeSerializer(allow_null=True))
    def get_presidence_suivante(self, instance: InstanceDepartementale) -> Any:
        suivant = presidence_suivante_proposee(instance)
        return MembreResumeSerializer(suivant).data if suivant is not None else None

    @extend_schema_field(PresidenceSerializer(many=True))
    def get_historique(self, instance: InstanceDepartementale) -> Any:
        return PresidenceSerializer(
            instance.presidences.select_related("membre").order_by("-debut", "-pk"), many=True
        ).data

    @extend_schema_field(MembreInstanceSerializer(many=True))
    def get_membres(self, instance: InstanceDepartementale) -> Any:
        return MembreInstanceSerializer(instance.membres.order_by("rang_rotation"), many=True).data


class AccompagnateurSerializer(serializers.ModelSerializer):
    """An accompagnateur of the département's registry (R10). No contact details: ask the département."""

    class Meta:
        model = Accompagnateur
        fields = ["id", "prenom", "nom", "structure"]
        read_only_fields = fields
        extra_kwargs = {
            "prenom": {"help_text": "Prénom."},
            "nom": {"help_text": "Nom."},
            "structure": {"help_text": "Structure d'appartenance."},
        }


@extend_schema_view(
    list=extend_schema(
        summary="Lister les instances départementales",
        description="Équipe nationale : toutes ; instructeur·rices : celles de leurs départements ; membres : la "
        "leur. Les autres reçoivent une liste vide.",
    ),
    retrieve=extend_schema(
        summary="Consulter une instance",
        description="Présidence en cours, présidence suivante proposée, historique et membres (R6).",
        responses={200: InstanceDetailSerializer, 404: INSTANCE_INTROUVABLE},
    ),
)
class InstanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Instances départementales : elles décident en séance (R5) ; leur présidence tourne (R6)."""

    serializer_class = InstanceSerializer

    def get_queryset(self) -> QuerySet[InstanceDepartementale]:
        en_cours = Prefetch(
            "presidences",
            queryset=Presidence.objects.filter(fin__isnull=True).select_related("membre"),
            to_attr="presidences_en_cours",
        )
        return instance_visible_to(self.request.user).prefetch_related(en_cours).order_by("departement_id", "pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return InstanceSerializer if self.action == "list" else InstanceDetailSerializer

    @extend_schema(
        summary="Faire tourner la présidence",
        description="Instructeur·rices du département. Clôt le mandat en cours et confie la présidence au membre "
        "suivant dans l'ordre de rotation : c'est la seule façon de changer de présidence (R6).",
        request=None,
        responses={200: InstanceDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INSTANCE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="presidence/tourner")
    def tourner_presidence(self, request: Request, pk: str | None = None) -> Response:
        instance = self.get_object()
        exiger(permissions.can_faire_tourner_presidence(request.user, instance))
        services.presidence_faire_tourner(acteur=request.user, instance=instance)
        return Response(InstanceDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Registre des accompagnateur·rices",
        description="Les accompagnateur·rices actif·ves du département, parmi lesquel·les en affecter un·e (R10).",
        responses={200: AccompagnateurSerializer(many=True), 404: INSTANCE_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def accompagnateurs(self, request: Request, pk: str | None = None) -> Response:
        instance = self.get_object()
        return self.page_repondre(accompagnateurs_disponibles(instance.departement_id), AccompagnateurSerializer)
