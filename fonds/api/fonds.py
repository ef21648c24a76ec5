"""API of the fund (R3, R8): the fund and its situation per budget year, its funders, their contributions, the
departmental envelopes and their distribution, and the ledger (R19).

Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a predicate answers 403 for a
forbidden action on a visible object, one service writes (and checks the permission again); core.api maps domain
errors. National staff change national objects only; a funder's account reads its own view."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from comptes.permissions import est_equipe_nationale, est_instructeur, est_instructeur_de
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from fonds import permissions, services
from fonds.api.serializers import (
    AbondementSerializer,
    AccesFinanceurSerializer,
    EcritureSerializer,
    EnveloppeSerializer,
    EtatEnveloppeSerializer,
    FiltresEcrituresSerializer,
    FiltresEnveloppesDuDepartementSerializer,
    FiltresSituationSerializer,
    FinanceurSerializer,
    FondsSerializer,
    InvitationFinanceurSerializer,
    PartConventionSerializer,
    RepartitionSerializer,
    SituationSerializer,
)
from fonds.models import Abondement, EcritureFonds, Enveloppe, Financeur, Fonds
from fonds.selectors import enveloppes_du_departement
from fonds.selectors.api import (
    abondements_visibles,
    annees_de_l_enveloppe,
    ecritures_visibles,
    enveloppes_visibles,
    financeurs_visibles,
    fonds_visibles,
    situations_du_fonds,
)
from fonds.selectors.parts import PartConvention, parts_du_financeur

FONDS_INTROUVABLE = OpenApiResponse(description="Fonds inexistant ou hors de votre périmètre.")
INTROUVABLE = OpenApiResponse(description="Objet inexistant ou hors de votre périmètre.")


def _personnel(user: Any) -> bool:
    """National staff and instructeurs: the fund's lists are theirs (a référent's or a funder's are not)."""
    return est_equipe_nationale(user) or est_instructeur(user)


class ListeDuPersonnelMixin(mixins.ListModelMixin):
    """A list read by national staff and instructeurs only (403 for the others, before any query)."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        exiger(_personnel(request.user))
        return super().list(request, *args, **kwargs)


def _lire_fonds(user: Any, fonds: Fonds) -> bool:
    """R8: a fund's situation and envelopes are read by national staff, and by the département that runs it."""
    return permissions.can_voir_fonds(user) or permissions.can_gerer_fonds(user, fonds)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les fonds",
        description="Équipe nationale et instructeur·rices. Les référent·es et les financeurs n'y ont pas accès (403).",
        responses={200: FondsSerializer(many=True), 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter un fonds", responses={200: FondsSerializer, 404: FONDS_INTROUVABLE}),
)
class FondsViewSet(ListeDuPersonnelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Le fonds d'innovation sociale (R8) : géré nationalement par défaut, ou par un département."""

    serializer_class = FondsSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Fonds]:
        return fonds_visibles(self.request.user)

    @extend_schema(
        summary="Créer un fonds",
        description="Équipe nationale. Gestion nationale par défaut ; un fonds géré par un département nomme ce "
        "département (R8).",
        request=FondsSerializer,
        responses={201: FondsSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request) -> Response:
        exiger(permissions.can_creer_fonds(request.user))
        serializer = FondsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fonds = services.fonds_creer(acteur=request.user, **serializer.validated_data)
        return Response(FondsSerializer(fonds).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Situation du fonds par année",
        description="Pour chaque année budgétaire : abondements, à répartir, réparti, enveloppes, réservations, "
        "engagements et versements, tous calculés sur le grand livre. Équipe nationale (et le département qui "
        "gère le fonds).",
        parameters=[FiltresSituationSerializer],
        responses={200: SituationSerializer(many=True), 400: INVALIDE, 403: SANS_DROIT, 404: FONDS_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def situation(self, request: Request, pk: str | None = None) -> Response:
        fonds = self.get_object()
        exiger(_lire_fonds(request.user, fonds))
        filtres = FiltresSituationSerializer(data=request.query_params)
        filtres.is_valid(raise_exception=True)
        situations = situations_du_fonds(fonds, filtres.validated_data.get("annee"))
        donnees = [{**vars(s), "reparti": s.reparti} for s in situations]
        return Response(SituationSerializer(donnees, many=True).data)

    @extend_schema(
        summary="Enveloppes d'un département",
        description="Les enveloppes du département, année par année, comme l'ouverture d'une campagne les "
        "contrôle (R3) : une année sans répartition est projetée au dernier montant connu. Équipe nationale et "
        "instructeur·rices du département.",
        parameters=[FiltresEnveloppesDuDepartementSerializer],
        responses={200: EtatEnveloppeSerializer(many=True), 400: INVALIDE, 403: SANS_DROIT, 404: FONDS_INTROUVABLE},
    )
    @action(detail=True, methods=["get"], url_path="enveloppes")
    def enveloppes_du_departement(self, request: Request, pk: str | None = None) -> Response:
        fonds = self.get_object()
        filtres = FiltresEnveloppesDuDepartementSerializer(data=request.query_params)
        filtres.is_valid(raise_exception=True)
        code = filtres.validated_data["departement"].code
        exiger(_lire_fonds(request.user, fonds) or est_instructeur_de(request.user, code))
        etats = enveloppes_du_departement(fonds, code, annees_de_l_enveloppe(fonds, code))
        donnees = [{**vars(e), "disponible": e.disponible} for e in etats.values()]
        return Response(EtatEnveloppeSerializer(donnees, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les financeurs",
        description="Équipe nationale : tous ; un compte financeur : le sien. Les autres n'y ont pas accès (403).",
        responses={200: FinanceurSerializer(many=True), 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter un financeur", responses={200: FinanceurSerializer, 404: INTROUVABLE}),
)
class FinanceurViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Les financeurs du fonds et leur nature (SPEC §3, R8)."""

    serializer_class = FinanceurSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Financeur]:
        return financeurs_visibles(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        exiger(est_equipe_nationale(request.user) or permissions.financeur_de(request.user) is not None)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Enregistrer un financeur",
        description="Équipe nationale : le nom et la nature du financeur (État, département, fondation…).",
        request=FinanceurSerializer,
        responses={201: FinanceurSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request) -> Response:
        exiger(permissions.can_gerer_financeurs(request.user))
        serializer = FinanceurSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        financeur = services.financeur_creer(acteur=request.user, **serializer.validated_data)
        return Response(FinanceurSerializer(financeur).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Inviter un compte du financeur",
        description="Équipe nationale : invite une personne, par son adresse électronique, à consulter ce que le "
        "financeur a financé ; le lien d'invitation lui est envoyé par courriel et elle l'accepte connectée avec "
        "cette adresse (R8). Refusé quand cette adresse a déjà accès à la vue du financeur.",
        request=InvitationFinanceurSerializer,
        responses={201: AccesFinanceurSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def inviter(self, request: Request, pk: str | None = None) -> Response:
        financeur = self.get_object()
        exiger(permissions.can_inviter_financeur(request.user))
        serializer = InvitationFinanceurSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acces = services.financeur_inviter(acteur=request.user, financeur=financeur, **serializer.validated_data)
        return Response(AccesFinanceurSerializer(acces).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ce que le financeur a financé",
        description="Sa part de chaque convention, au prorata : l'argent fléché d'abord, puis sa part de l'argent "
        "non fléché ; année par année et de ce qui est versé. Les parts de tous les financeurs d'une convention "
        "font son montant au centime près (plus forts restes). Le compte du financeur et l'équipe nationale.",
        responses={200: PartConventionSerializer(many=True), 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def parts(self, request: Request, pk: str | None = None) -> Response:
        financeur = self.get_object()
        exiger(permissions.can_voir_financeur(request.user, financeur))
        lignes = parts_du_financeur(financeur)
        # The shares are computed for the whole fund at once (a constant number of queries), then paginated.
        page: list[PartConvention] | None = self.paginate_queryset(lignes)  # type: ignore[arg-type]
        donnees = [PartConventionSerializer.de(ligne) for ligne in (page if page is not None else lignes)]
        serialisees = PartConventionSerializer(donnees, many=True).data
        return self.get_paginated_response(serialisees) if page is not None else Response(serialisees)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les abondements",
        description="Équipe nationale : tous ; un compte financeur : les siens ; instructeur·rices : ceux d'un fonds "
        "que gère leur département. Les référent·es n'y ont pas accès (403).",
        responses={200: AbondementSerializer(many=True), 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter un abondement", responses={200: AbondementSerializer, 404: INTROUVABLE}),
)
class AbondementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Les abondements des financeurs, par année budgétaire, éventuellement fléchés vers un département (R8)."""

    serializer_class = AbondementSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Abondement]:
        return abondements_visibles(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        exiger(_personnel(request.user) or permissions.financeur_de(request.user) is not None)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Enregistrer un abondement",
        description="Équipe nationale pour le fonds national ; instructeur·rices du département pour un fonds "
        "départemental. Le grand livre le rend disponible à répartir pour l'année (R8).",
        request=AbondementSerializer,
        responses={201: AbondementSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FONDS_INTROUVABLE},
    )
    def create(self, request: Request) -> Response:
        exiger(_personnel(request.user))
        serializer = AbondementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        fonds = get_object_or_404(fonds_visibles(request.user), pk=donnees["fonds_id"])
        exiger(permissions.can_gerer_fonds(request.user, fonds))
        abondement = services.abondement_enregistrer(
            acteur=request.user,
            fonds=fonds,
            financeur=donnees["financeur"],
            annee=donnees["annee"],
            montant=donnees["montant"],
            departement_fleche=donnees.get("departement_fleche"),
        )
        return Response(AbondementSerializer(abondement).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les enveloppes départementales",
        description="Équipe nationale : toutes ; instructeur·rices : celles de leurs départements. Les montants "
        "sont calculés sur le grand livre.",
        responses={200: EnveloppeSerializer(many=True), 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter une enveloppe", responses={200: EnveloppeSerializer, 404: INTROUVABLE}),
)
class EnveloppeViewSet(ListeDuPersonnelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Les enveloppes des départements par année budgétaire et leur répartition (R3, R8)."""

    serializer_class = EnveloppeSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Enveloppe]:
        return enveloppes_visibles(self.request.user)

    @extend_schema(
        summary="Répartir dans une enveloppe",
        description="Équipe nationale (fonds national) : une part des abondements de l'année va à l'enveloppe du "
        "département ; l'argent fléché vers lui part en premier. Refusé, avec le montant qui manque, quand "
        "l'année n'a pas assez à répartir (R8).",
        request=RepartitionSerializer,
        responses={201: EnveloppeSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FONDS_INTROUVABLE},
    )
    def create(self, request: Request) -> Response:
        exiger(_personnel(request.user))
        serializer = RepartitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        fonds = get_object_or_404(fonds_visibles(request.user), pk=donnees["fonds"])
        exiger(permissions.can_gerer_fonds(request.user, fonds))
        enveloppe = services.enveloppe_repartir(
            acteur=request.user,
            fonds=fonds,
            departement=donnees["departement"],
            annee=donnees["annee"],
            montant=donnees["montant"],
        )
        enveloppe = get_object_or_404(self.get_queryset(), pk=enveloppe.pk)
        return Response(EnveloppeSerializer(enveloppe).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Lire le grand livre",
        description="Équipe nationale : toutes les lignes ; instructeur·rices : celles de leurs départements. Les "
        "autres n'y ont pas accès (403). Les plus récentes d'abord ; les lignes d'un mouvement s'équilibrent.",
        parameters=[FiltresEcrituresSerializer],
        responses={200: EcritureSerializer(many=True), 400: INVALIDE, 403: SANS_DROIT},
    ),
    retrieve=extend_schema(summary="Consulter une écriture", responses={200: EcritureSerializer, 404: INTROUVABLE}),
)
class EcritureViewSet(ListeDuPersonnelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Le grand livre du fonds, en ajout seul : une correction est une extourne (R8, R19)."""

    serializer_class = EcritureSerializer
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[EcritureFonds]:
        qs = ecritures_visibles(self.request.user)
        if self.action != "list":
            return qs
        filtres = FiltresEcrituresSerializer(data=self.request.query_params)
        filtres.is_valid(raise_exception=True)
        champs = {
            "fonds": "fonds_id",
            "annee": "annee",
            "compte": "compte",
            "departement": "departement_id",
            "convention": "convention_id",
            "campagne": "campagne_id",
        }
        return qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
