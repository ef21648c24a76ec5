"""API of the deliberation on each point of a séance's agenda (R5): conflicts of interest, votes, the reasons for
a refusal and the decision.

R5: a member declares their own conflict of interest, the séance's managers record anyone's, and a member in
conflict does not vote; only present voting members vote, by simple majority of the votes cast; a vote may be
corrected until the point is decided; no decision without quorum; a refusal must be reasoned; an agreement
holds a place of the quota and the envelope, otherwise the declaration is waitlisted. Thin adapters: a
serializer validates, a scoped selector fetches (404 when hidden), a predicate answers 403, one service writes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.api import ReferenceDocumentSerializer, url_document
from core.api import INVALIDE, SANS_DROIT, IdentifiantRelatedField, PageMixin, est_identifiant, exiger
from core.api_champs import LibelleChoix
from documents.enums import TypeDocument
from documents.selectors import derniers_documents
from instances import permissions, services
from instances.api.instances import MembreResumeSerializer
from instances.deliberation import compter_votes
from instances.enums import ChoixVote, MotifRefus, ResultatPoint
from instances.models import (
    LONGUEUR_MOTIFS_REFUS,
    ConflitInterets,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Seance,
    Vote,
)
from instances.selectors import points_de, seance_visible_to

POINT_INTROUVABLE = OpenApiResponse(description="Séance ou point inexistant, ou hors de votre périmètre.")


class DecompteSerializer(serializers.Serializer):
    pour = serializers.IntegerField(help_text="Votes pour.")
    contre = serializers.IntegerField(help_text="Votes contre.")
    abstention = serializers.IntegerField(help_text="Abstentions (ne comptent pas comme suffrages exprimés).")
    adopte = serializers.BooleanField(help_text="Vrai quand les « pour » l'emportent sur les « contre » (R5).")
    libelle = serializers.CharField(help_text="Le résultat, en français.")


class VoteSerializer(serializers.ModelSerializer):
    membre = MembreResumeSerializer(read_only=True, help_text="Le membre qui a voté.")

    class Meta:
        model = Vote
        fields = ["membre", "choix"]
        read_only_fields = fields
        extra_kwargs = {"choix": {"help_text": "Pour, contre ou abstention."}}


class ConflitSerializer(serializers.ModelSerializer):
    membre = MembreResumeSerializer(read_only=True, help_text="Le membre en conflit d'intérêts : il ne vote pas.")

    class Meta:
        model = ConflitInterets
        fields = ["membre", "commentaire", "declare_le"]
        read_only_fields = fields
        extra_kwargs = {
            "commentaire": {"help_text": "Précision facultative."},
            "declare_le": {"help_text": "Date et heure de la déclaration du conflit."},
        }


def references_decisions(request: Request | None, points: list[PointOrdreDuJour]) -> dict[int, dict[str, str]]:
    """A reference to the decision PDF of each point of a page, in one query (issued when the séance closes)."""
    declarations = {p.pk: p.declaration_id for p in points}
    documents = derniers_documents(PointOrdreDuJour, TypeDocument.DECISION, declarations)
    return {
        pk: {"numero": d.numero, "url": url_document(request, declarations[pk], d.numero)}
        for pk, d in documents.items()
    }


class PointSerializer(serializers.ModelSerializer):
    """One declaration on the agenda: conflicts, votes, their count and what was decided (R5)."""

    collectif_nom = serializers.CharField(
        source="declaration.collectif.nom", read_only=True, help_text="Nom du collectif."
    )
    deposee_le = serializers.DateTimeField(
        source="declaration.deposee_le", read_only=True, help_text="Dépôt : l'ordre des agréments (R5)."
    )
    etat_declaration = serializers.CharField(
        source="declaration.etat", read_only=True, help_text="État actuel de la déclaration."
    )
    resultat_libelle = LibelleChoix(source="get_resultat_display", help_text="La décision, en toutes lettres.")
    conflits = ConflitSerializer(many=True, read_only=True, help_text="Conflits d'intérêts déclarés.")
    votes = VoteSerializer(many=True, read_only=True, help_text="Votes enregistrés.")
    decompte = serializers.SerializerMethodField(help_text="Décompte des votes : majorité simple des exprimés.")
    decision = serializers.SerializerMethodField(help_text="Le PDF de la décision, une fois la séance close.")
    # "" while the point is undecided: declared with allow_blank so that the schema's enum admits it.
    resultat = serializers.ChoiceField(
        choices=ResultatPoint.choices,
        allow_blank=True,
        read_only=True,
        help_text="Agrément, refus ou liste d'attente ; vide tant que le point n'est pas décidé.",
    )
    motif_refus = serializers.ChoiceField(
        choices=MotifRefus.choices,
        allow_blank=True,
        read_only=True,
        label="motif du refus",
        help_text="Motif énoncé d'un refus (R5) ; vide tant qu'aucun refus n'est motivé.",
    )

    class Meta:
        model = PointOrdreDuJour
        fields = [
            "id",
            "rang",
            "declaration",
            "collectif_nom",
            "deposee_le",
            "etat_declaration",
            "conflits",
            "votes",
            "decompte",
            "resultat",
            "resultat_libelle",
            "motif_refus",
            "motifs",
            "montant_annee_1",
            "montant_annee_2",
            "montant_annee_3",
            "statue_le",
            "motifs_equite",
            "alerte_equite",
            "decision",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **{
                f"montant_annee_{rang}": {
                    "help_text": f"Tranche de l'année {rang} fixée par l'instance (€) ; vide : le montant minimal."
                }
                for rang in (1, 2, 3)
            },
            "rang": {"help_text": "Rang à l'ordre du jour."},
            "declaration": {"help_text": "Identifiant de la déclaration."},
            "motifs": {"help_text": "Motivation écrite."},
            "statue_le": {"help_text": "Date et heure de la décision."},
            "motifs_equite": {
                "help_text": "Motifs écrits de la dérogation au plafond par institution d'origine (R17)."
            },
            "alerte_equite": {
                "help_text": "L'alerte d'équité passée outre à l'agrément, telle qu'elle figure sur la décision."
            },
        }

    @extend_schema_field(DecompteSerializer)
    def get_decompte(self, point: PointOrdreDuJour) -> dict[str, Any]:
        resultat = compter_votes(v.choix for v in point.votes.all())
        return {
            "pour": resultat.pour,
            "contre": resultat.contre,
            "abstention": resultat.abstention,
            "adopte": resultat.adopte,
            "libelle": resultat.libelle,
        }

    @extend_schema_field(ReferenceDocumentSerializer(allow_null=True))
    def get_decision(self, point: PointOrdreDuJour) -> dict[str, str] | None:
        decisions = self.context.get("decisions")
        if decisions is None:
            decisions = references_decisions(self.context.get("request"), [point])
        return decisions.get(point.pk)


class ConflitDeclarationSerializer(serializers.Serializer):
    membre = IdentifiantRelatedField(
        queryset=MembreInstance.objects.all(), help_text="Identifiant du membre en conflit d'intérêts."
    )
    commentaire = serializers.CharField(
        default="", allow_blank=True, max_length=300, help_text="Précision facultative."
    )


class VotesSerializer(serializers.Serializer):
    votes = serializers.DictField(
        child=serializers.ChoiceField(choices=ChoixVote.choices),
        help_text="Le choix de chaque membre, par identifiant de membre : "
        '{"12": "pour", "13": "contre", "14": "abstention"}. Un vote peut être corrigé tant que le point '
        "n'est pas décidé.",
    )

    def __init__(self, *args: Any, instance_departementale: InstanceDepartementale | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.instance_departementale = instance_departementale

    def validate_votes(self, votes: dict[str, str]) -> dict[MembreInstance, str]:
        if not votes:
            raise serializers.ValidationError("Indiquez au moins un vote.")
        if not all(est_identifiant(cle) for cle in votes):
            raise serializers.ValidationError("Chaque vote est donné par l'identifiant numérique du membre.")
        choix = {int(cle): valeur for cle, valeur in votes.items()}
        instance = self.instance_departementale
        membres = {m.pk: m for m in MembreInstance.objects.filter(instance=instance, pk__in=choix)}
        inconnus = sorted(set(choix) - set(membres))
        if inconnus:
            liste = ", ".join(str(pk) for pk in inconnus)
            raise serializers.ValidationError(f"Ces identifiants ne sont pas des membres de l'instance : {liste}.")
        return {membres[pk]: valeur for pk, valeur in choix.items()}


class MotifsSerializer(serializers.Serializer):
    motif_refus = serializers.ChoiceField(
        choices=MotifRefus.choices,
        default="",
        allow_blank=True,
        label="motif du refus",
        help_text="Le motif énoncé : composition, charte, additionnalité, territoire ou autre (obligatoire).",
    )
    motifs = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_MOTIFS_REFUS,
        help_text="La motivation écrite du refus (obligatoire).",
    )


class DerogationEquiteSerializer(serializers.Serializer):
    motifs_equite = serializers.CharField(
        allow_blank=True,
        max_length=LONGUEUR_MOTIFS_REFUS,
        trim_whitespace=False,
        help_text="Les motifs écrits de la dérogation au plafond par institution d'origine (R17), obligatoires pour "
        "agréer un collectif sous alerte d'équité ; ils figurent sur la décision.",
    )


class MontantsSerializer(serializers.Serializer):
    montants = serializers.ListField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True),
        min_length=3,
        max_length=3,
        help_text="Les trois tranches annuelles (€), en chaînes décimales ; null : le montant minimal de la campagne. "
        'Ex. ["15000.00", "12000.00", null].',
        error_messages={
            "min_length": "Une convention triennale a trois tranches, une par année.",
            "max_length": "Une convention triennale a trois tranches, une par année.",
        },
    )


@extend_schema(
    parameters=[OpenApiParameter("seance_pk", int, OpenApiParameter.PATH, description="Identifiant de la séance.")]
)
@extend_schema_view(
    list=extend_schema(
        summary="Lister les points de l'ordre du jour",
        description="Les déclarations de la séance dans l'ordre, avec conflits, votes et décision.",
    ),
    retrieve=extend_schema(
        summary="Consulter un point de l'ordre du jour", responses={200: PointSerializer, 404: POINT_INTROUVABLE}
    ),
)
class PointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Points de l'ordre du jour d'une séance : conflits d'intérêts, votes, motivation et décision (R5)."""

    serializer_class = PointSerializer
    http_method_names = ["get", "post", "head", "options"]

    def _seance(self) -> Seance:
        if not hasattr(self, "_seance_visible"):
            self._seance_visible = get_object_or_404(seance_visible_to(self.request.user), pk=self.kwargs["seance_pk"])
        return self._seance_visible

    def get_queryset(self) -> QuerySet[PointOrdreDuJour]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PointOrdreDuJour.objects.none()
        return points_de(self._seance())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.page_repondre(
            self.get_queryset(),
            PointSerializer,
            contexte=lambda points: {"decisions": references_decisions(request, points)},
        )

    def _reponse(self, point: PointOrdreDuJour) -> Response:
        point = get_object_or_404(self.get_queryset(), pk=point.pk)
        return Response(PointSerializer(point, context=self.get_serializer_context()).data)

    def _point_gere(self) -> PointOrdreDuJour:
        """A point of a séance the user may run: 404 when hidden, 403 when visible but not theirs (R5)."""
        point = self.get_object()
        exiger(permissions.can_gerer_seance(self.request.user, self._seance()))
        return point

    @extend_schema(
        summary="Déclarer un conflit d'intérêts",
        description="Un membre déclare son propre conflit ; la présidence et les instructeur·rices du département "
        "l'enregistrent pour n'importe quel membre. Le membre ne vote pas sur ce point (R5).",
        request=ConflitDeclarationSerializer,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def conflits(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self.get_object()
        serializer = ConflitDeclarationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membre = serializer.validated_data["membre"]
        exiger(permissions.can_declarer_conflit(request.user, point, membre))
        services.conflit_declarer(
            acteur=request.user, point=point, membre=membre, commentaire=serializer.validated_data["commentaire"]
        )
        return self._reponse(point)

    @extend_schema(
        summary="Enregistrer des votes",
        description="Pendant la séance. Seuls les membres votants présents sans conflit d'intérêts votent ; un vote "
        "se corrige tant que le point n'est pas décidé (R5).",
        request=VotesSerializer,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def votes(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self._point_gere()
        serializer = VotesSerializer(data=request.data, instance_departementale=self._seance().instance)
        serializer.is_valid(raise_exception=True)
        services.votes_enregistrer(acteur=request.user, point=point, votes=serializer.validated_data["votes"])
        return self._reponse(point)

    @extend_schema(
        summary="Motiver un refus",
        description="Le motif énoncé et la motivation écrite, à saisir avant de statuer sur un vote défavorable (R5).",
        request=MotifsSerializer,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def motifs(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self._point_gere()
        serializer = MotifsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.point_motiver_refus(acteur=request.user, point=point, **serializer.validated_data)
        return self._reponse(point)

    @extend_schema(
        summary="Statuer sur le point",
        description="Quorum requis. Vote favorable : agrément tant qu'il reste des places dans le quota et "
        "l'enveloppe, sinon liste d'attente ; vote défavorable : refus, qui doit être motivé (R5).",
        request=None,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def statuer(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self._point_gere()
        services.point_statuer(acteur=request.user, point=point)
        return self._reponse(point)

    @extend_schema(
        summary="Motiver une dérogation au plafond d'équité",
        description="Quand une institution d'origine du collectif porte déjà le plafond de collectifs financés en "
        "cours dans le département, l'instance n'agrée qu'avec des motifs écrits, conservés avec la décision (R17).",
        request=DerogationEquiteSerializer,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="derogation-equite")
    def derogation_equite(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self._point_gere()
        serializer = DerogationEquiteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.point_motiver_derogation_equite(acteur=request.user, point=point, **serializer.validated_data)
        return self._reponse(point)

    @extend_schema(
        summary="Fixer les tranches du point",
        description="Avant de statuer, l'instance peut porter une tranche au-dessus du montant minimal de la "
        "campagne, dans la limite de ce que la réservation de la campagne garde pour cette année (R7).",
        request=MontantsSerializer,
        responses={200: PointSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: POINT_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def montants(self, request: Request, pk: str | None = None, seance_pk: str | None = None) -> Response:
        point = self._point_gere()
        serializer = MontantsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.point_fixer_montants(acteur=request.user, point=point, montants=serializer.validated_data["montants"])
        return self._reponse(point)
