"""API of the séances of a departmental instance (R5): preparation and agenda, attendance and quorum, closing,
and the minutes. The deliberation on each point (conflicts, votes, decisions) is in api/deliberation.py.

R5: the département's instructeurs and the current president prepare and run a séance; by default its agenda is
every recevable declaration of the campaign in filing order, and it is chaired by the current presidency (R6);
the quorum follows from attendance; closing decides the remaining points, then the minutes and one decision per
declaration are issued. Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a
predicate answers 403, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from campagnes.models import Campagne
from collectifs.api import ReferenceDocumentSerializer
from collectifs.models import Declaration
from collectifs.selectors import declaration_visible_to
from core.api import (
    INVALIDE,
    SANS_DROIT,
    IdentifiantField,
    IdentifiantRelatedField,
    IdentifiantsMixin,
    PDFRenderer,
    exiger,
)
from core.api_champs import LibelleChoix
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.views import reponse_pdf
from instances import permissions, services
from instances.api.deliberation import PointSerializer, references_decisions
from instances.api.instances import INSTANCE_INTROUVABLE, MembreResumeSerializer, schema_enum
from instances.enums import EtatSeance
from instances.models import InstanceDepartementale, MembreInstance, Seance
from instances.selectors import instance_visible_to, places_restantes, points_de, quorum_de, seance_visible_to

SEANCE_INTROUVABLE = OpenApiResponse(description="Séance inexistante ou hors de votre périmètre.")


# `etat` already names the states of campaigns and declarations: this choice set gets its own schema component.
@extend_schema_field(schema_enum(EtatSeance), component_name="EtatSeanceEnum")
class EtatSeanceField(serializers.ChoiceField):
    """The state of a séance: en préparation, en cours or close."""


class QuorumSerializer(serializers.Serializer):
    votants = serializers.IntegerField(help_text="Membres votants actifs de l'instance.")
    presents = serializers.IntegerField(help_text="Membres votants présents.")
    requis = serializers.IntegerField(help_text="Présent·es nécessaires pour atteindre le quorum.")
    atteint = serializers.BooleanField(help_text="Vrai quand le quorum est atteint : aucune décision sans lui.")
    message = serializers.CharField(help_text="Le quorum, en français.")


class SeanceSerializer(serializers.ModelSerializer):
    """A séance, in short."""

    instance_nom = serializers.CharField(source="instance.nom", read_only=True, help_text="Nom de l'instance.")
    departement = serializers.CharField(
        source="instance.departement_id", read_only=True, help_text="Code du département."
    )
    campagne_annee = serializers.IntegerField(
        source="campagne.annee", read_only=True, help_text="Année de la campagne."
    )
    etat = EtatSeanceField(choices=EtatSeance.choices, read_only=True, help_text="En préparation, en cours ou close.")
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="État, en toutes lettres.")
    president = MembreResumeSerializer(read_only=True, allow_null=True, help_text="Qui préside, une fois ouverte.")
    nombre_points = serializers.IntegerField(read_only=True, help_text="Déclarations à l'ordre du jour.")

    class Meta:
        model = Seance
        fields = [
            "id",
            "instance",
            "instance_nom",
            "departement",
            "campagne",
            "campagne_annee",
            "date",
            "lieu",
            "etat",
            "etat_libelle",
            "president",
            "nombre_points",
            "cloturee_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "instance": {"help_text": "Identifiant de l'instance."},
            "campagne": {"help_text": "Identifiant de la campagne dont les déclarations sont examinées."},
            "date": {"help_text": "Date et heure de la séance."},
            "lieu": {"help_text": "Lieu."},
            "cloturee_le": {"help_text": "Date et heure de la clôture."},
        }


class SeanceDetailSerializer(SeanceSerializer):
    """The séance page: who is convened and present, the quorum, the places left and the agenda (R5)."""

    convoques = MembreResumeSerializer(many=True, read_only=True, help_text="Membres convoqués.")
    presents = MembreResumeSerializer(many=True, read_only=True, help_text="Membres présents.")
    quorum = serializers.SerializerMethodField(help_text="Le quorum, calculé sur les membres votants présents.")
    places_restantes = serializers.SerializerMethodField(help_text="Places encore libres dans le quota (R5).")
    points = serializers.SerializerMethodField(help_text="L'ordre du jour, dans l'ordre.")
    proces_verbal = serializers.SerializerMethodField(help_text="Le procès-verbal, une fois émis.")

    class Meta(SeanceSerializer.Meta):
        fields = [
            *SeanceSerializer.Meta.fields,
            "convoques",
            "presents",
            "quorum",
            "places_restantes",
            "points",
            "proces_verbal",
        ]
        read_only_fields = fields

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, seance: Seance) -> Any:
        quorum = quorum_de(seance)
        donnees = {"votants": quorum.votants, "presents": quorum.presents, "requis": quorum.requis}
        return {**donnees, "atteint": quorum.atteint, "message": quorum.message}

    def get_places_restantes(self, seance: Seance) -> int:
        return places_restantes(seance.campagne)

    @extend_schema_field(PointSerializer(many=True))
    def get_points(self, seance: Seance) -> Any:
        points = list(points_de(seance))
        contexte = {**self.context, "decisions": references_decisions(self.context.get("request"), points)}
        return PointSerializer(points, many=True, context=contexte).data

    @extend_schema_field(ReferenceDocumentSerializer(allow_null=True))
    def get_proces_verbal(self, seance: Seance) -> dict[str, str] | None:
        document = documents_de(seance, TypeDocument.PROCES_VERBAL).first()
        if document is None:
            return None
        url = reverse("seance-proces-verbal", args=[seance.pk], request=self.context.get("request"))
        return {"numero": document.numero, "url": str(url)}


class InstanceReferenceSerializer(serializers.Serializer):
    instance = IdentifiantField(help_text="Identifiant de l'instance départementale.")


class SeancePreparationSerializer(serializers.Serializer):
    """A séance to prepare. Members and declarations are given by their identifiers."""

    instance = IdentifiantField(help_text="Identifiant de l'instance départementale.")
    campagne = IdentifiantRelatedField(
        queryset=Campagne.objects.all(), help_text="Campagne du département dont les déclarations sont examinées."
    )
    date = serializers.DateTimeField(help_text="Date et heure de la séance.")
    lieu = serializers.CharField(default="", allow_blank=True, max_length=200, help_text="Lieu de la séance.")
    convoques = IdentifiantRelatedField(
        queryset=MembreInstance.objects.none(),
        many=True,
        required=False,
        label="membres convoqués",
        help_text="Facultatif : par défaut, tous les membres actifs de l'instance.",
    )
    declarations = IdentifiantRelatedField(
        queryset=Declaration.objects.none(),
        many=True,
        required=False,
        label="déclarations",
        help_text="Facultatif : par défaut, toutes les déclarations recevables de la campagne, par ordre de dépôt.",
    )

    def __init__(
        self, *args: Any, instance_departementale: InstanceDepartementale | None = None, user: Any = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if instance_departementale is not None:
            convoques = cast(serializers.ManyRelatedField, self.fields["convoques"]).child_relation
            convoques.queryset = instance_departementale.membres.filter(actif=True)
            declarations = cast(serializers.ManyRelatedField, self.fields["declarations"]).child_relation
            declarations.queryset = declaration_visible_to(user)


class PresencesSerializer(serializers.Serializer):
    presents = IdentifiantRelatedField(
        queryset=MembreInstance.objects.all(),
        many=True,
        label="membres présents",
        help_text="Identifiants des membres présents ; remplace la liste précédente.",
    )


class FiltresSeanceSerializer(serializers.Serializer):
    instance = IdentifiantField(required=False, help_text="Seulement les séances de cette instance.")
    etat = EtatSeanceField(choices=EtatSeance.choices, required=False, help_text="Seulement les séances dans cet état.")


@extend_schema_view(
    list=extend_schema(
        summary="Lister les séances",
        description="Les séances des instances que vous voyez (équipe nationale, instructeur·rices du département, "
        "membres de l'instance), les plus récentes d'abord.",
        parameters=[FiltresSeanceSerializer],
    ),
    retrieve=extend_schema(
        summary="Consulter une séance",
        description="Ordre du jour avec conflits, votes et décisions ; présences, quorum et places restantes (R5).",
        responses={200: SeanceDetailSerializer, 404: SEANCE_INTROUVABLE},
    ),
)
class SeanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Séances de l'instance départementale : ordre du jour, présences, quorum, votes et décisions (R5)."""

    serializer_class = SeanceSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Seance]:
        qs = seance_visible_to(self.request.user)
        if self.action == "list":
            filtres = FiltresSeanceSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            if "instance" in filtres.validated_data:
                qs = qs.filter(instance_id=filtres.validated_data["instance"])
            if "etat" in filtres.validated_data:
                qs = qs.filter(etat=filtres.validated_data["etat"])
            return qs.annotate(nombre_points=Count("points")).order_by("-date", "-pk")
        return qs.prefetch_related("convoques", "presents").annotate(nombre_points=Count("points"))

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return SeanceSerializer if self.action == "list" else SeanceDetailSerializer

    def _reponse(self, seance: Seance, statut: int = status.HTTP_200_OK) -> Response:
        seance = get_object_or_404(self.get_queryset(), pk=seance.pk)
        return Response(SeanceDetailSerializer(seance, context=self.get_serializer_context()).data, status=statut)

    def _geree(self) -> Seance:
        """A séance the user may run: 404 when hidden, 403 when visible but not theirs to run (R5)."""
        seance = self.get_object()
        exiger(permissions.can_gerer_seance(self.request.user, seance))
        return seance

    @extend_schema(
        summary="Préparer une séance",
        description="Instructeur·rices du département et présidence de l'instance. Par défaut, l'ordre du jour "
        "reprend les déclarations recevables de la campagne par ordre de dépôt, et tous les membres actifs sont "
        "convoqués. 404 si l'instance n'est pas dans votre périmètre.",
        request=SeancePreparationSerializer,
        responses={201: SeanceDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INSTANCE_INTROUVABLE},
    )
    def create(self, request: Request) -> Response:
        reference = InstanceReferenceSerializer(data=request.data)
        reference.is_valid(raise_exception=True)
        instance = get_object_or_404(instance_visible_to(request.user), pk=reference.validated_data["instance"])
        exiger(permissions.can_gerer_seance(request.user, Seance(instance=instance)))
        serializer = SeancePreparationSerializer(data=request.data, instance_departementale=instance, user=request.user)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        seance = services.seance_preparer(
            acteur=request.user,
            instance=instance,
            campagne=donnees["campagne"],
            date=donnees["date"],
            lieu=donnees["lieu"],
            convoques=donnees.get("convoques"),
            declarations=donnees.get("declarations"),
        )
        return self._reponse(seance, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ouvrir la séance",
        description="La séance commence, présidée par la présidence en cours (R6) ; l'ordre du jour est arrêté.",
        request=None,
        responses={200: SeanceDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: SEANCE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def ouvrir(self, request: Request, pk: str | None = None) -> Response:
        seance = self._geree()
        services.seance_ouvrir(acteur=request.user, seance=seance)
        return self._reponse(seance)

    @extend_schema(
        summary="Enregistrer les présences",
        description="Pendant la séance. Le quorum en découle : plus de la moitié des membres votants par défaut (R5).",
        request=PresencesSerializer,
        responses={200: SeanceDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: SEANCE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def presences(self, request: Request, pk: str | None = None) -> Response:
        seance = self._geree()
        serializer = PresencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.seance_enregistrer_presences(
            acteur=request.user, seance=seance, presents=serializer.validated_data["presents"]
        )
        return self._reponse(seance)

    @extend_schema(
        summary="Clore la séance",
        description="Décide les points restants par ordre de dépôt (quorum requis), clôt la séance, puis émet le "
        "procès-verbal et une décision par déclaration, et prévient chaque collectif (R5). Si un point ne peut pas "
        "être décidé en l'état (refus sans motifs, agrément sans motifs de dérogation, tranches non couvertes), rien "
        "n'est décidé et la réponse 400 nomme chaque point : clés « point-<id>-<champ> » (par ex. "
        "« point-12-motif_refus ») ou « point-<id> » pour le point entier.",
        request=None,
        responses={200: SeanceDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: SEANCE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def clore(self, request: Request, pk: str | None = None) -> Response:
        seance = self._geree()
        services.seance_clore(acteur=request.user, seance=seance)
        return self._reponse(seance)

    @extend_schema(
        summary="Télécharger le procès-verbal",
        description="Le PDF du procès-verbal, une fois la séance close et le document émis (404 avant).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le procès-verbal (PDF)."),
            404: SEANCE_INTROUVABLE,
        },
    )
    @action(detail=True, methods=["get"], url_path="proces-verbal", renderer_classes=[JSONRenderer, PDFRenderer])
    def proces_verbal(self, request: Request, pk: str | None = None) -> HttpResponse:
        seance = self.get_object()
        document = documents_de(seance, TypeDocument.PROCES_VERBAL).first()
        if document is None:
            raise exceptions.NotFound("Le procès-verbal de cette séance n'est pas encore émis.")
        return reponse_pdf(document)
