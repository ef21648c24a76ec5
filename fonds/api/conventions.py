"""API of the fund's conventions (R7, R8): the conventions and their tranches and payments, the signature, the
release of a tranche, the payment, the cancellation, and the projects of the other kinds of beneficiary.

Who sees what is `fonds.selectors.visibilite` (national staff all, instructeurs their départements, référents their
collectifs' conventions); who may act is `fonds.permissions`, checked here for the 403 and again by the service.
Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), one service writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from comptes.permissions import est_equipe_nationale, est_instructeur
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from fonds import permissions, services
from fonds.api.serializers import (
    AnnulationSerializer,
    ConventionSerializer,
    FiltresConventionsSerializer,
    FiltresTranchesSerializer,
    PartSerializer,
    ProjetSerializer,
    SignatureSerializer,
    TrancheSerializer,
    VersementSerializer,
)
from fonds.enums import EtatTranche
from fonds.models import Convention, Tranche, Versement
from fonds.selectors import fonds_du_departement
from fonds.selectors.parts import parts_de_la_convention
from fonds.selectors.visibilite import conventions_visibles, tranches_visibles, versements_visibles

CONVENTION_INTROUVABLE = OpenApiResponse(description="Convention inexistante ou hors de votre périmètre.")
TRANCHE_INTROUVABLE = OpenApiResponse(description="Tranche inexistante ou hors de votre périmètre.")
VERSEMENT_INTROUVABLE = OpenApiResponse(description="Versement inexistant ou hors de votre périmètre.")
MONTANT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0")


def _somme_tranches(**filtres: Any) -> Coalesce:
    lignes = (
        Tranche.objects.filter(convention=OuterRef("pk"), **filtres)
        .order_by()
        .values("convention")
        .annotate(total=Sum("montant"))
        .values("total")
    )
    return Coalesce(Subquery(lignes, output_field=MONTANT), Value(ZERO), output_field=MONTANT)


def _avec_montants(qs: QuerySet[Convention]) -> QuerySet[Convention]:
    """Each convention with its amount, what was paid, and its tranches: a constant number of queries."""
    versees = _somme_tranches(etat=EtatTranche.VERSEE)
    tranches = Tranche.objects.select_related("versement").order_by("rang")
    return (
        qs.annotate(montant=_somme_tranches(etat__in=[e for e in EtatTranche.values if e != EtatTranche.ANNULEE]))
        .annotate(verse=versees)
        .prefetch_related(Prefetch("tranches", queryset=tranches))
    )


class ConventionDetailSerializer(ConventionSerializer):
    """A convention with its funders' shares (R8): they add up to its amount, to the cent."""

    parts = serializers.SerializerMethodField(help_text="Les parts des financeurs : l'argent fléché d'abord.")

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, "parts"]
        read_only_fields = fields

    @extend_schema_field(PartSerializer(many=True))
    def get_parts(self, convention: Convention) -> Any:
        return PartSerializer([PartSerializer.de(p) for p in parts_de_la_convention(convention)], many=True).data


@extend_schema_view(
    list=extend_schema(
        summary="Lister les conventions",
        description="Équipe nationale : toutes ; instructeur·rices : celles de leurs départements ; référent·es : "
        "celles de leurs collectifs. Les plus récentes d'abord.",
        parameters=[FiltresConventionsSerializer],
        responses={200: ConventionSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter une convention",
        description="Avec ses tranches, ses versements et les parts des financeurs.",
        responses={200: ConventionDetailSerializer, 404: CONVENTION_INTROUVABLE},
    ),
)
class ConventionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Conventions de financement : triennales pour les collectifs agréés (R7), ou projets d'autres natures (R8)."""

    serializer_class = ConventionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Convention]:
        qs = conventions_visibles(self.request.user)
        if self.action == "list":
            filtres = FiltresConventionsSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            champs = {"departement": "departement_id", "etat": "etat", "nature_beneficiaire": "nature_beneficiaire"}
            qs = qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
        return _avec_montants(qs).order_by("-creee_le", "-pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ConventionSerializer if self.action == "list" else ConventionDetailSerializer

    def _reponse(self, convention: Convention, statut: int = status.HTTP_200_OK) -> Response:
        convention = get_object_or_404(_avec_montants(conventions_visibles(self.request.user)), pk=convention.pk)
        return Response(ConventionDetailSerializer(convention).data, status=statut)

    def _geree(self) -> Convention:
        """A convention the user may change: 404 when hidden, 403 when visible but not theirs (R7)."""
        convention = self.get_object()
        exiger(permissions.can_gerer_convention(self.request.user, convention))
        return convention

    @extend_schema(
        summary="Financer un projet d'une autre nature",
        description="Expérimentation hors normes, projet étudiant, démarche participative, formation-action, travail "
        "social collectif (R8) : l'équipe nationale ou les instructeur·rices du département enregistrent le "
        "bénéficiaire, l'objet, la période et une à trois tranches, engagées sur les enveloppes du département "
        "(qui doivent les couvrir). Les règles des collectifs (R1, R9) ne s'appliquent pas.",
        request=ProjetSerializer,
        responses={201: ConventionDetailSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request) -> Response:
        exiger(est_equipe_nationale(request.user) or est_instructeur(request.user))
        serializer = ProjetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        code = donnees["departement"].code
        fonds = fonds_du_departement(code)
        if fonds is None:
            raise ValidationError({"departement": ["Aucun fonds ne finance encore ce département."]})
        exiger(permissions.can_financer_projet(request.user, fonds, code))
        convention = services.projet_financer(
            acteur=request.user,
            fonds=fonds,
            departement_code=code,
            donnees=services.DonneesProjet(
                nature_beneficiaire=donnees["nature_beneficiaire"],
                beneficiaire=donnees["beneficiaire"],
                objet=donnees["objet"],
                date_debut=donnees["date_debut"],
                date_fin=donnees["date_fin"],
                tranches=[(t["annee"], t["montant"]) for t in donnees["tranches"]],
                siret_beneficiaire=donnees["siret_beneficiaire"],
                rna_beneficiaire=donnees["rna_beneficiaire"],
            ),
        )
        return self._reponse(convention, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer la signature",
        description="Instructeur·rices du département : la date et les deux signataires. La tranche 1 devient "
        "exigible et la Convention triannuelle de financement numérotée est émise (R7).",
        request=SignatureSerializer,
        responses={200: ConventionDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: CONVENTION_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def signer(self, request: Request, pk: str | None = None) -> Response:
        convention = self._geree()
        serializer = SignatureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.convention_signer(acteur=request.user, convention=convention, **serializer.validated_data)
        return self._reponse(convention)

    @extend_schema(
        summary="Annuler la convention",
        description="Instructeur·rices du département, avant le premier versement, avec des motifs : les tranches "
        "non versées sont annulées et leur montant rendu à la réservation de la campagne ; la place libérée "
        "profite à la première déclaration en liste d'attente (R5, R7).",
        request=AnnulationSerializer,
        responses={200: ConventionDetailSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: CONVENTION_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def annuler(self, request: Request, pk: str | None = None) -> Response:
        convention = self._geree()
        serializer = AnnulationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.convention_annuler(acteur=request.user, convention=convention, **serializer.validated_data)
        return self._reponse(convention)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les tranches",
        description="Les tranches des conventions que vous voyez, par convention et par rang.",
        parameters=[FiltresTranchesSerializer],
        responses={200: TrancheSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter une tranche", responses={200: TrancheSerializer, 404: TRANCHE_INTROUVABLE}
    ),
)
class TrancheViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Les tranches annuelles des conventions (R7) : prévue, exigible, versée ou annulée."""

    serializer_class = TrancheSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Tranche]:
        qs = tranches_visibles(self.request.user).select_related("versement")
        if self.action == "list":
            filtres = FiltresTranchesSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            champs = {"convention": "convention_id", "etat": "etat"}
            qs = qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
        return qs.order_by("-convention__creee_le", "-convention_id", "rang")

    @extend_schema(
        summary="Libérer une tranche",
        description="Instructeur·rices du département : la tranche devient exigible. Pour un projet d'une autre "
        "nature, une fois la précédente versée ; pour un collectif, une fois le bilan annuel de l'année précédente "
        "validé (R7).",
        request=None,
        responses={200: TrancheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: TRANCHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def liberer(self, request: Request, pk: str | None = None) -> Response:
        tranche = self.get_object()
        exiger(permissions.can_liberer_tranche(request.user, tranche))
        services.tranche_liberer(acteur=request.user, tranche=tranche)
        tranche = get_object_or_404(self.get_queryset(), pk=tranche.pk)
        return Response(TrancheSerializer(tranche).data)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les versements",
        description="Les versements des conventions que vous voyez, les plus récents d'abord.",
        responses={200: VersementSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="Consulter un versement", responses={200: VersementSerializer, 404: VERSEMENT_INTROUVABLE}
    ),
)
class VersementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Les versements des tranches (R7) : un par tranche, jamais deux."""

    serializer_class = VersementSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Versement]:
        return versements_visibles(self.request.user).order_by("-date_versement", "-pk")

    @extend_schema(
        summary="Enregistrer un versement",
        description="Instructeur·rices du département : une tranche exigible est versée en une fois, de son "
        "montant, et jamais deux fois ; l'Attestation de versement est émise (R7). 404 si la tranche n'est pas "
        "dans votre périmètre.",
        request=VersementSerializer,
        responses={201: VersementSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: TRANCHE_INTROUVABLE},
    )
    def create(self, request: Request) -> Response:
        serializer = VersementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        tranche = get_object_or_404(tranches_visibles(request.user), pk=donnees["tranche_id"])
        exiger(permissions.can_liberer_tranche(request.user, tranche))
        versement = services.versement_enregistrer(
            acteur=request.user,
            tranche=tranche,
            date_versement=donnees["date_versement"],
            montant=donnees["montant"],
            reference_bancaire=donnees["reference_bancaire"],
        )
        versement = get_object_or_404(self.get_queryset(), pk=versement.pk)
        return Response(VersementSerializer(versement).data, status=status.HTTP_201_CREATED)
