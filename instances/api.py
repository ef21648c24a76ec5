"""API of campaigns (R3), departmental instances and their presidency (R6), séances and decisions (R5).

Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a predicate answers
403 for a forbidden action on a visible object, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from campagnes.models import Campagne
from collectifs.api import INTROUVABLE as DECLARATION_INTROUVABLE
from collectifs.api import DeclarationViewSet as DeclarationBaseViewSet
from collectifs.api import DocumentSerializer, ReferenceDocumentSerializer, url_document
from collectifs.models import Declaration
from collectifs.selectors import declaration_visible_to
from core.api import INVALIDE, SANS_DROIT, PDFRenderer, exiger
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from documents.views import reponse_pdf
from instances import permissions, services
from instances.deliberation import compter_votes
from instances.enums import ChoixVote, CollegeInstance, EtatSeance, MotifRefus
from instances.models import (
    Accompagnateur,
    ConflitInterets,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Presidence,
    Seance,
    Vote,
)
from instances.permissions import can_affecter_accompagnateur
from instances.selectors import (
    accompagnateurs_disponibles,
    accompagnement_en_cours,
    documents_de_la_declaration,
    instance_visible_to,
    places_restantes,
    points_de,
    presidence_en_cours,
    presidence_suivante_proposee,
    quorum_de,
    seance_visible_to,
)
from instances.services import accompagnateur_affecter

# ---------------------------------------------------------------------------------------------------------------
# A declaration's file, with what the instance adds to it: its decisions' documents and its accompagnateur (R5, R10)
# ---------------------------------------------------------------------------------------------------------------


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


class AccompagnementSerializer(serializers.Serializer):
    accompagnateur = AccompagnateurSerializer(
        allow_null=True, help_text="L'accompagnateur·rice du collectif (R10), s'il ou elle est affecté·e."
    )
    affecte_le = serializers.DateTimeField(allow_null=True, help_text="Date et heure de l'affectation.")


ACCOMPAGNATEUR_HORS_REGISTRE = "Choisissez un·e accompagnateur·rice actif·ve du registre du département."


class AffectationSerializer(serializers.Serializer):
    accompagnateur = serializers.PrimaryKeyRelatedField(
        queryset=Accompagnateur.objects.all(),
        label="accompagnateur·rice",
        help_text="Identifiant d'un·e accompagnateur·rice du registre du département.",
        error_messages={"does_not_exist": ACCOMPAGNATEUR_HORS_REGISTRE},
    )


class DeclarationViewSet(DeclarationBaseViewSet):
    """Les déclarations, avec ce que l'instance ajoute à leur dossier : décisions et accompagnement (R5, R10)."""

    @extend_schema(
        summary="Accompagnateur·rice du collectif",
        description="L'accompagnateur·rice affecté·e au collectif (R10), ou rien.",
        responses={200: AccompagnementSerializer, 404: DECLARATION_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def accompagnateur(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        return Response(AccompagnementSerializer(accompagnement_en_cours(declaration.collectif)).data)

    @extend_schema(
        summary="Affecter un·e accompagnateur·rice",
        description="Instructeur·rices du département, parmi le registre du département (R10). Une nouvelle "
        "affectation met fin à la précédente.",
        request=AffectationSerializer,
        responses={201: AccompagnementSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: DECLARATION_INTROUVABLE},
    )
    @accompagnateur.mapping.post
    def affecter_accompagnateur(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        collectif = declaration.collectif
        exiger(can_affecter_accompagnateur(request.user, collectif.departement_id))
        serializer = AffectationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        affectation = accompagnateur_affecter(
            acteur=request.user, collectif=collectif, accompagnateur=serializer.validated_data["accompagnateur"]
        )
        donnees = {"accompagnateur": affectation.accompagnateur, "affecte_le": affectation.affecte_le}
        return Response(AccompagnementSerializer(donnees).data, status=status.HTTP_201_CREATED)

    # --- Documents --------------------------------------------------------------------------------

    @extend_schema(
        summary="Lister les documents",
        description="Les PDF émis pour la déclaration : récépissé, demandes de compléments et décisions.",
        responses={200: DocumentSerializer(many=True), 404: DECLARATION_INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        return self._page(documents_de_la_declaration(declaration), DocumentSerializer, declaration=declaration)

    @extend_schema(
        summary="Télécharger un document",
        description="Un PDF émis pour la déclaration, par son numéro, vérifié par son empreinte SHA-256.",
        parameters=[OpenApiParameter("numero", str, OpenApiParameter.PATH, description="Numéro du document.")],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le document (PDF)."),
            404: DECLARATION_INTROUVABLE,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<numero>[A-Z0-9-]+)",
        url_name="document",
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def document(self, request: Request, pk: str | None = None, numero: str | None = None) -> HttpResponse:
        declaration = self.get_object()
        document = documents_de_la_declaration(declaration).filter(numero=numero).first()
        if document is None:
            raise exceptions.NotFound("Aucun document de ce numéro pour cette déclaration.")
        return reponse_pdf(document)


# ---------------------------------------------------------------------------------------------------------------
# Instances départementales and presidency (R6)
# ---------------------------------------------------------------------------------------------------------------

INSTANCE_INTROUVABLE = OpenApiResponse(description="Instance inexistante ou hors de votre périmètre.")
SEANCE_INTROUVABLE = OpenApiResponse(description="Séance inexistante ou hors de votre périmètre.")
POINT_INTROUVABLE = OpenApiResponse(description="Séance ou point inexistant, ou hors de votre périmètre.")


def _enum(choix: Any) -> dict[str, Any]:
    return {"type": "string", "enum": list(choix.values)}


# `etat` and `college` already name the states of campaigns and declarations and the colleges of a
# collectif: these choice sets get their own schema components, so that every name stays unambiguous.
@extend_schema_field(_enum(EtatSeance), component_name="EtatSeanceEnum")
class EtatSeanceField(serializers.ChoiceField):
    """The state of a séance: en préparation, en cours or close."""


@extend_schema_field(_enum(CollegeInstance), component_name="CollegeInstanceEnum")
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
    college_libelle = serializers.CharField(
        source="get_college_display", read_only=True, help_text="Collège, en toutes lettres."
    )

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
class InstanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
        registre = accompagnateurs_disponibles(instance.departement_id)
        page = self.paginate_queryset(registre)
        donnees = AccompagnateurSerializer(page if page is not None else registre, many=True).data
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)


# ---------------------------------------------------------------------------------------------------------------
# Séances, agenda, attendance, conflicts, votes and decisions (R5)
# ---------------------------------------------------------------------------------------------------------------


class QuorumSerializer(serializers.Serializer):
    votants = serializers.IntegerField(help_text="Membres votants actifs de l'instance.")
    presents = serializers.IntegerField(help_text="Membres votants présents.")
    requis = serializers.IntegerField(help_text="Présent·es nécessaires pour atteindre le quorum.")
    atteint = serializers.BooleanField(help_text="Vrai quand le quorum est atteint : aucune décision sans lui.")
    message = serializers.CharField(help_text="Le quorum, en français.")


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


def _decisions(request: Request | None, points: list[PointOrdreDuJour]) -> dict[int, dict[str, str]]:
    """The decision PDF of each point of a page, in one query (issued when the séance closes)."""
    documents = Document.objects.filter(
        type=TypeDocument.DECISION,
        content_type__app_label=PointOrdreDuJour._meta.app_label,
        content_type__model=PointOrdreDuJour._meta.model_name,
        object_id__in=[p.pk for p in points],
    ).order_by("emis_le", "pk")
    declarations = {p.pk: p.declaration_id for p in points}
    return {
        d.object_id: {"numero": d.numero, "url": url_document(request, declarations[d.object_id], d.numero)}
        for d in documents
        if d.object_id is not None
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
    resultat_libelle = serializers.CharField(
        source="get_resultat_display", read_only=True, help_text="La décision, en toutes lettres."
    )
    conflits = ConflitSerializer(many=True, read_only=True, help_text="Conflits d'intérêts déclarés.")
    votes = VoteSerializer(many=True, read_only=True, help_text="Votes enregistrés.")
    decompte = serializers.SerializerMethodField(help_text="Décompte des votes : majorité simple des exprimés.")
    decision = serializers.SerializerMethodField(help_text="Le PDF de la décision, une fois la séance close.")

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
            "statue_le",
            "decision",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rang": {"help_text": "Rang à l'ordre du jour."},
            "declaration": {"help_text": "Identifiant de la déclaration."},
            "resultat": {"help_text": "Agrément, refus ou liste d'attente ; vide tant que le point n'est pas décidé."},
            "motif_refus": {"help_text": "Motif énoncé d'un refus (R5)."},
            "motifs": {"help_text": "Motivation écrite."},
            "statue_le": {"help_text": "Date et heure de la décision."},
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
            decisions = _decisions(self.context.get("request"), [point])
        return decisions.get(point.pk)


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
    etat_libelle = serializers.CharField(
        source="get_etat_display", read_only=True, help_text="État, en toutes lettres."
    )
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
        contexte = {**self.context, "decisions": _decisions(self.context.get("request"), points)}
        return PointSerializer(points, many=True, context=contexte).data

    @extend_schema_field(ReferenceDocumentSerializer(allow_null=True))
    def get_proces_verbal(self, seance: Seance) -> dict[str, str] | None:
        document = documents_de(seance, TypeDocument.PROCES_VERBAL).first()
        if document is None:
            return None
        url = reverse("seance-proces-verbal", args=[seance.pk], request=self.context.get("request"))
        return {"numero": document.numero, "url": str(url)}


class InstanceReferenceSerializer(serializers.Serializer):
    instance = serializers.IntegerField(help_text="Identifiant de l'instance départementale.")


class SeancePreparationSerializer(serializers.Serializer):
    """A séance to prepare. Members and declarations are given by their identifiers."""

    instance = serializers.IntegerField(help_text="Identifiant de l'instance départementale.")
    campagne = serializers.PrimaryKeyRelatedField(
        queryset=Campagne.objects.all(), help_text="Campagne du département dont les déclarations sont examinées."
    )
    date = serializers.DateTimeField(help_text="Date et heure de la séance.")
    lieu = serializers.CharField(default="", allow_blank=True, max_length=200, help_text="Lieu de la séance.")
    convoques = serializers.PrimaryKeyRelatedField(
        queryset=MembreInstance.objects.none(),
        many=True,
        required=False,
        label="membres convoqués",
        help_text="Facultatif : par défaut, tous les membres actifs de l'instance.",
    )
    declarations = serializers.PrimaryKeyRelatedField(
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
    presents = serializers.PrimaryKeyRelatedField(
        queryset=MembreInstance.objects.all(),
        many=True,
        label="membres présents",
        help_text="Identifiants des membres présents ; remplace la liste précédente.",
    )


class ConflitDeclarationSerializer(serializers.Serializer):
    membre = serializers.PrimaryKeyRelatedField(
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
        try:
            choix = {int(cle): valeur for cle, valeur in votes.items()}
        except ValueError as erreur:
            raise serializers.ValidationError(
                "Chaque vote est donné par l'identifiant numérique du membre."
            ) from erreur
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
        default="", allow_blank=True, max_length=10000, help_text="La motivation écrite du refus (obligatoire)."
    )


class FiltresSeanceSerializer(serializers.Serializer):
    instance = serializers.IntegerField(required=False, help_text="Seulement les séances de cette instance.")
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
class SeanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
        "procès-verbal et une décision par déclaration, et prévient chaque collectif (R5).",
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
class PointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        points = list(page if page is not None else queryset)
        contexte = {**self.get_serializer_context(), "decisions": _decisions(request, points)}
        donnees = PointSerializer(points, many=True, context=contexte).data
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)

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
