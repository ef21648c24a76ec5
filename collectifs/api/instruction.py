"""API of the instruction of a filed declaration (R4), its message thread, and earlier funding (R17), as a
mixin of `DeclarationViewSet`. Writes go through services.instruction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs import permissions, selectors, services
from collectifs.api.collectifs import INTROUVABLE
from collectifs.api.serializers import DeclarationSerializer, ReferenceDocumentSerializer, url_document
from collectifs.models import (
    LONGUEUR_COMPLEMENTS,
    LONGUEUR_MESSAGE,
    LONGUEUR_MOTIF,
    Declaration,
    DemandeComplements,
    Message,
)
from core.api import INVALIDE, SANS_DROIT, IdentifiantRelatedField, PageMixin, exiger
from documents.enums import TypeDocument
from documents.selectors import derniers_documents


class DemandeComplementsSerializer(serializers.ModelSerializer):
    """A request for more sent to the collectif, and its answer (R4)."""

    demandee_par: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        help_text="Instructeur·rice qui a fait la demande."
    )
    repondue_par: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        allow_null=True, help_text="Référent·e qui a répondu."
    )
    est_expiree = serializers.SerializerMethodField(
        help_text="Vrai quand l'échéance est passée sans réponse : le classement sans suite devient possible."
    )
    document = serializers.SerializerMethodField(help_text="Le PDF de la demande, une fois émis.")

    class Meta:
        model = DemandeComplements
        fields = [
            "id",
            "message",
            "echeance",
            "demandee_par",
            "demandee_le",
            "reponse",
            "repondue_par",
            "repondue_le",
            "est_expiree",
            "document",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "message": {"help_text": "Ce qui est demandé au collectif."},
            "echeance": {"help_text": "Date limite de réponse."},
            "demandee_le": {"help_text": "Date et heure de la demande."},
            "reponse": {"help_text": "Réponse du collectif, le cas échéant."},
            "repondue_le": {"help_text": "Date et heure de la réponse."},
        }

    def get_est_expiree(self, demande: DemandeComplements) -> bool:
        return demande.est_expiree(timezone.localdate())

    @extend_schema_field(ReferenceDocumentSerializer(allow_null=True))
    def get_document(self, demande: DemandeComplements) -> dict[str, str] | None:
        documents = self.context.get("documents")
        if documents is None:
            documents = derniers_documents(DemandeComplements, TypeDocument.DEMANDE_COMPLEMENTS, [demande.pk])
        document = documents.get(demande.pk)
        if document is None:
            return None
        url = url_document(self.context.get("request"), demande.declaration_id, document.numero)
        return {"numero": document.numero, "url": url}


class DemandeComplementsCreationSerializer(serializers.Serializer):
    message = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_COMPLEMENTS,
        help_text="Ce qui manque, dit au collectif (obligatoire, 5 000 caractères au plus).",
    )
    echeance = serializers.DateField(
        required=False,
        allow_null=True,
        label="échéance",
        help_text="Facultative : par défaut, le délai de réponse de la campagne (30 jours).",
    )


class ReponseComplementsSerializer(serializers.Serializer):
    reponse = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_COMPLEMENTS,
        label="réponse",
        help_text="Votre réponse (obligatoire, 5 000 caractères au plus). La déclaration est déposée à nouveau : "
        "les conditions R1/R2 "
        "doivent être remplies.",
    )


class ClassementSerializer(serializers.Serializer):
    motifs = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_MOTIF,
        help_text="Motifs du classement sans suite (obligatoires, 5 000 caractères au plus).",
    )


class MessageSerializer(serializers.ModelSerializer):
    """One message of the declaration's thread."""

    auteur: serializers.StringRelatedField[Any] = serializers.StringRelatedField(help_text="Auteur·rice du message.")
    du_collectif = serializers.SerializerMethodField(
        help_text="Vrai si l'auteur·rice est référent·e du collectif ; faux pour l'instruction."
    )

    class Meta:
        model = Message
        fields = ["id", "parent", "auteur", "du_collectif", "texte", "envoye_le"]
        read_only_fields = fields
        extra_kwargs = {
            "parent": {"help_text": "Le message auquel celui-ci répond, le cas échéant."},
            "texte": {"help_text": "Le message."},
            "envoye_le": {"help_text": "Date et heure d'envoi."},
        }

    def get_du_collectif(self, message: Message) -> bool:
        referents = self.context.get("referents")
        if referents is None:
            return permissions.est_referent(message.auteur, message.declaration.collectif)
        return message.auteur_id in referents


class MessageCreationSerializer(serializers.Serializer):
    texte = serializers.CharField(
        default="",
        allow_blank=True,
        max_length=LONGUEUR_MESSAGE,
        help_text="Le message (obligatoire, 2 000 caractères au plus).",
    )
    # DRF takes declared fields off the class, so this does not shadow Field.parent at run time.
    parent = IdentifiantRelatedField(  # type: ignore[assignment]
        queryset=Message.objects.none(),
        required=False,
        allow_null=True,
        help_text="Facultatif : le message du fil auquel vous répondez.",
        error_messages={"does_not_exist": "Ce message ne fait pas partie de cette déclaration."},
    )

    def __init__(self, *args: Any, declaration: Declaration | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if declaration is not None:
            cast(serializers.PrimaryKeyRelatedField, self.fields["parent"]).queryset = selectors.messages_de(
                declaration
            )


class FinancementAnterieurSerializer(serializers.ModelSerializer):
    """An earlier accepted declaration that shares an originating institution or a commune (R17)."""

    collectif_nom = serializers.CharField(source="collectif.nom", read_only=True, help_text="Nom du collectif.")
    departement = serializers.CharField(
        source="collectif.departement_id", read_only=True, help_text="Code du département."
    )
    campagne_annee = serializers.IntegerField(
        source="campagne.annee", read_only=True, allow_null=True, help_text="Année de la campagne (cohorte)."
    )
    montant_minimal_annuel = serializers.DecimalField(
        source="campagne.montant_minimal_annuel",
        max_digits=12,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Financement minimal garanti par an pendant trois ans (€).",
    )
    institutions_origine = serializers.SerializerMethodField(help_text="Institutions d'origine de ce collectif.")
    codes_communes = serializers.CharField(
        source="collectif.codes_communes", read_only=True, help_text="Codes INSEE des communes de ce collectif."
    )

    class Meta:
        model = Declaration
        fields = [
            "id",
            "collectif",
            "collectif_nom",
            "departement",
            "campagne_annee",
            "montant_minimal_annuel",
            "institutions_origine",
            "codes_communes",
            "deposee_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "collectif": {"help_text": "Identifiant du collectif."},
            "deposee_le": {"help_text": "Date et heure du dépôt."},
        }

    def get_institutions_origine(self, declaration: Declaration) -> list[str]:
        return [o.nom for o in declaration.collectif.institutions_origine.all()]


class InstructionMixin(PageMixin):
    """Les actions d'instruction d'une déclaration (R4), son fil de messages et l'équité (R17).

    Mixed into `DeclarationViewSet`, which provides `_reponse` (the declaration as read)."""

    if TYPE_CHECKING:  # provided by DeclarationViewSet, which this mixin is part of

        def _reponse(self, declaration: Declaration, statut: int = status.HTTP_200_OK) -> Response: ...

    def _instruite(self) -> Declaration:
        """A declaration the user may instruct: 404 when hidden, 403 when visible but not theirs (R4)."""
        declaration = self.get_object()
        exiger(permissions.can_instruire_declaration(self.request.user, declaration))
        return declaration

    @extend_schema(
        summary="Prendre en instruction",
        description="Instructeur·rices du département : la déclaration déposée passe en instruction (R4).",
        request=None,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def instruire(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._instruite()
        services.declaration_instruire(acteur=request.user, declaration=declaration)
        return self._reponse(declaration)

    @extend_schema(
        summary="Lister les demandes de compléments",
        description="Les demandes faites au collectif, les plus récentes d'abord, avec leur réponse et leur PDF. "
        "Pas pour les membres de l'instance, qui voient le dossier et les décisions : 404 pour eux.",
        responses={200: DemandeComplementsSerializer(many=True), 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def complements(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        if not permissions.can_voir_echanges_instruction(request.user, declaration):
            raise Http404  # private to the instruction, like the thread
        demandes = declaration.demandes_complements.select_related("demandee_par", "repondue_par").order_by(
            "-demandee_le", "-pk"
        )
        return self.page_repondre(
            demandes,
            DemandeComplementsSerializer,
            contexte=lambda objets: {
                "documents": derniers_documents(
                    DemandeComplements, TypeDocument.DEMANDE_COMPLEMENTS, [d.pk for d in objets]
                )
            },
        )

    @extend_schema(
        summary="Demander des compléments",
        description="Instructeur·rices du département. Un message et une échéance (par défaut le délai de la "
        "campagne, 30 jours) ; le PDF de la demande est émis et les référent·es sont prévenu·es (R4).",
        request=DemandeComplementsCreationSerializer,
        responses={201: DemandeComplementsSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @complements.mapping.post
    def demander_complements(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._instruite()
        serializer = DemandeComplementsCreationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        demande = services.complements_demander(
            acteur=request.user,
            declaration=declaration,
            message=serializer.validated_data["message"],
            echeance=serializer.validated_data.get("echeance"),
        )
        donnees = DemandeComplementsSerializer(demande, context=self.get_serializer_context()).data
        return Response(donnees, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Répondre à la demande de compléments",
        description="Référent·es du collectif. La réponse redépose la déclaration : les conditions R1/R2 doivent "
        "être remplies, et l'instruction reprend (R4).",
        request=ReponseComplementsSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def repondre(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_repondre_complements(request.user, declaration))
        serializer = ReponseComplementsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.complements_repondre(
            acteur=request.user, declaration=declaration, reponse=serializer.validated_data["reponse"]
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Déclarer recevable",
        description="Instructeur·rices du département. Les vérifications automatiques R1/R2 doivent passer ; la "
        "déclaration peut alors être inscrite en séance (R4).",
        request=None,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def recevable(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._instruite()
        services.declaration_declarer_recevable(acteur=request.user, declaration=declaration)
        return self._reponse(declaration)

    @extend_schema(
        summary="Classer sans suite",
        description="Instructeur·rices du département, avec des motifs, seulement quand une demande de compléments "
        "est restée sans réponse après son échéance (R4).",
        request=ClassementSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="classer-sans-suite")
    def classer_sans_suite(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._instruite()
        serializer = ClassementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.declaration_classer_sans_suite(
            acteur=request.user, declaration=declaration, motifs=serializer.validated_data["motifs"]
        )
        return self._reponse(declaration)

    # --- Messages ---------------------------------------------------------------------------------

    def _fil(self) -> Declaration:
        """The thread is private to the collectif and its département's instructeurs: 404 for anyone else."""
        declaration = self.get_object()
        if not permissions.can_voir_messages(self.request.user, declaration):
            raise Http404
        return declaration

    @extend_schema(
        summary="Lire les messages",
        description="Le fil entre le collectif et les instructeur·rices du département, du plus ancien au plus "
        "récent. Réservé à ces personnes : 404 pour les autres.",
        responses={200: MessageSerializer(many=True), 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._fil()
        referents = set(declaration.collectif.referents.values_list("pk", flat=True))
        return self.page_repondre(
            selectors.messages_de(declaration), MessageSerializer, contexte=lambda _: {"referents": referents}
        )

    @extend_schema(
        summary="Écrire un message",
        description="Référent·es du collectif et instructeur·rices du département, jusqu'à la décision : ensuite, "
        "le fil est en lecture seule (400). L'autre partie est prévenue par courriel.",
        request=MessageCreationSerializer,
        responses={201: MessageSerializer, 400: INVALIDE, 404: INTROUVABLE},
    )
    @messages.mapping.post
    def message_envoyer(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._fil()
        serializer = MessageCreationSerializer(data=request.data, declaration=declaration)
        serializer.is_valid(raise_exception=True)
        message = services.message_envoyer(
            acteur=request.user,
            declaration=declaration,
            texte=serializer.validated_data["texte"],
            parent=serializer.validated_data.get("parent"),
        )
        referents = set(declaration.collectif.referents.values_list("pk", flat=True))
        contexte = {**self.get_serializer_context(), "referents": referents}
        return Response(MessageSerializer(message, context=contexte).data, status=status.HTTP_201_CREATED)

    # --- Équité (R17), accompagnement (R10) -------------------------------------------------------

    @extend_schema(
        summary="Financements antérieurs (R17)",
        description="Les déclarations déjà agréées d'autres collectifs qui partagent une institution d'origine ou "
        "une commune avec celle-ci. Pour l'instance, les instructeur·rices et l'équipe nationale.",
        responses={200: FinancementAnterieurSerializer(many=True), 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"], url_path="financements-anterieurs")
    def financements_anterieurs(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_voir_financements_anterieurs(request.user, declaration))
        anterieures = selectors.financements_anterieurs(declaration).prefetch_related("collectif__institutions_origine")
        return self.page_repondre(anterieures, FinancementAnterieurSerializer)
