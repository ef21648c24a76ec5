"""API of collectifs, their members and their declarations (R1, R2, R16).

Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a predicate answers
403 for a forbidden action on a visible object, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
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
from campagnes.selectors import campagne_de_depot
from collectifs import permissions, selectors, services
from collectifs.enums import College, EtatDeclaration, NatureIndicateur
from collectifs.models import (
    AdhesionCharte,
    Collectif,
    Declaration,
    DemandeComplements,
    Indicateur,
    Membre,
    Message,
    Organisation,
)
from collectifs.services import DonneesIndicateur, DonneesOrganisation
from collectifs.validators import valider_rna, valider_siret
from core.api import INVALIDE, SANS_DROIT, PDFRenderer, exiger
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from documents.views import reponse_pdf
from territoires.selectors import departements

INTROUVABLE = OpenApiResponse(description="Objet inexistant ou hors de votre périmètre.")


# --- Organisations --------------------------------------------------------------------------------


class OrganisationSerializer(serializers.Serializer):
    """An institution, association or informal group; SIRET and RNA are optional, checked when given."""

    id = serializers.IntegerField(read_only=True)
    nom = serializers.CharField(max_length=200, help_text="Nom de l'institution, de l'association ou du groupe.")
    siret = serializers.CharField(
        max_length=20,
        default="",
        allow_blank=True,
        validators=[valider_siret],
        label="SIRET",
        help_text="Facultatif. 14 chiffres dont la clé est vérifiée.",
    )
    rna = serializers.CharField(
        max_length=12,
        default="",
        allow_blank=True,
        validators=[valider_rna],
        label="RNA",
        help_text="Facultatif. La lettre W suivie de 9 caractères (ex. W423001234).",
    )


def _organisation(donnees: dict[str, Any] | None) -> DonneesOrganisation | None:
    if donnees is None:
        return None
    return DonneesOrganisation(nom=donnees["nom"], siret=donnees.get("siret", ""), rna=donnees.get("rna", ""))


def _organisation_actuelle(organisation: Organisation | None) -> DonneesOrganisation | None:
    if organisation is None:
        return None
    return DonneesOrganisation(nom=organisation.nom, siret=organisation.siret, rna=organisation.rna)


# --- Collectifs -----------------------------------------------------------------------------------

AIDE_COLLECTIF = {
    "nom": {"help_text": "Nom du collectif."},
    "territoire": {"help_text": "Territoire d'action, en texte libre (quartier, commune, bassin de vie…)."},
    "codes_communes": {
        "help_text": "Facultatif. Codes INSEE des communes, séparés par des espaces ; "
        "chacun doit être dans le département."
    },
    "cree_le": {"help_text": "Date et heure de création."},
}


class CollectifSerializer(serializers.ModelSerializer):
    """A collectif as read, and as created (the département by its code)."""

    departement = serializers.SlugRelatedField(
        slug_field="code",
        queryset=departements(),
        label="département",
        help_text="Code du département (COG), par exemple 42. Fixé à la création.",
    )
    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    institutions_origine = OrganisationSerializer(
        many=True,
        required=False,
        label="institutions d'origine",
        help_text="Institutions qui portent le collectif (au moins une pour déposer).",
    )
    brouillon = serializers.SerializerMethodField(
        help_text="Identifiant de la déclaration en brouillon du collectif, s'il y en a une."
    )

    class Meta:
        model = Collectif
        fields = [
            "id",
            "nom",
            "departement",
            "departement_nom",
            "territoire",
            "codes_communes",
            "institutions_origine",
            "brouillon",
            "cree_le",
        ]
        read_only_fields = ["id", "cree_le"]
        extra_kwargs = AIDE_COLLECTIF

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_brouillon(self, collectif: Collectif) -> int | None:
        brouillons = getattr(collectif, "brouillons", None)
        if brouillons is None:
            brouillon = selectors.brouillon_du_collectif(collectif)
            return brouillon.pk if brouillon else None
        return brouillons[0].pk if brouillons else None


class CollectifModificationSerializer(serializers.ModelSerializer):
    """The editable fields of a collectif; the département is fixed at creation."""

    institutions_origine = OrganisationSerializer(
        many=True,
        required=False,
        label="institutions d'origine",
        help_text="Remplace la liste des institutions d'origine quand elle est fournie.",
    )

    class Meta:
        model = Collectif
        fields = ["nom", "territoire", "codes_communes", "institutions_origine"]
        extra_kwargs = AIDE_COLLECTIF


class LigneCompositionSerializer(serializers.Serializer):
    college = serializers.ChoiceField(choices=College.choices, help_text="Collège.")
    libelle = serializers.CharField(help_text="Nom du collège.")
    effectif = serializers.IntegerField(help_text="Membres actuels du collège.")
    minimum = serializers.IntegerField(help_text="Minimum fixé par la campagne.")
    manque = serializers.IntegerField(help_text="Membres qui manquent pour atteindre le minimum.")


class CompositionSerializer(serializers.Serializer):
    est_conforme = serializers.BooleanField(help_text="Vrai quand chaque collège atteint son minimum (R1).")
    colleges = LigneCompositionSerializer(many=True, help_text="Effectif, minimum et manque par collège.")
    messages = serializers.ListField(
        child=serializers.CharField(), help_text="Ce qui manque, en français (« Il manque 1 … »)."
    )
    campagne = serializers.IntegerField(
        allow_null=True, help_text="Campagne dont les seuils s'appliquent (aucune : seuils par défaut)."
    )


def _collectifs(user: Any) -> QuerySet[Collectif]:
    return (
        selectors.collectif_visible_to(user)
        .prefetch_related(
            "institutions_origine",
            Prefetch(
                "declarations",
                queryset=Declaration.objects.filter(etat=EtatDeclaration.BROUILLON),
                to_attr="brouillons",
            ),
        )
        .order_by("nom", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Lister les collectifs",
        description="Référent·es : leurs collectifs ; instructeur·rices : ceux de leurs départements qui ont déposé ; "
        "équipe nationale : tous.",
    ),
    retrieve=extend_schema(summary="Consulter un collectif", responses={200: CollectifSerializer, 404: INTROUVABLE}),
)
class CollectifViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Collectifs locaux de développement social."""

    serializer_class = CollectifSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Collectif]:
        return _collectifs(self.request.user)

    def _reponse(self, collectif: Collectif, statut: int = status.HTTP_200_OK) -> Response:
        collectif = get_object_or_404(self.get_queryset(), pk=collectif.pk)
        return Response(CollectifSerializer(collectif, context=self.get_serializer_context()).data, status=statut)

    @extend_schema(
        summary="Créer un collectif",
        description="La personne qui crée le collectif en devient référente ; un brouillon de déclaration est ouvert.",
        request=CollectifSerializer,
        responses={201: CollectifSerializer, 400: INVALIDE},
    )
    def create(self, request: Request) -> Response:
        serializer = CollectifSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        collectif = services.collectif_creer(
            acteur=request.user,
            nom=donnees["nom"],
            departement=donnees["departement"],
            territoire=donnees["territoire"],
            codes_communes=donnees.get("codes_communes", ""),
            institutions=[o for o in map(_organisation, donnees.get("institutions_origine", [])) if o],
        )
        return self._reponse(collectif, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un collectif",
        description="Référent·es du collectif seulement. Les champs absents restent inchangés.",
        request=CollectifModificationSerializer,
        responses={200: CollectifSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        collectif = self.get_object()
        exiger(permissions.can_modifier_collectif(request.user, collectif))
        serializer = CollectifModificationSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        institutions = donnees.get("institutions_origine")
        services.collectif_modifier(
            acteur=request.user,
            collectif=collectif,
            nom=donnees.get("nom", collectif.nom),
            territoire=donnees.get("territoire", collectif.territoire),
            codes_communes=donnees.get("codes_communes", collectif.codes_communes),
            institutions=None if institutions is None else [o for o in map(_organisation, institutions) if o],
        )
        return self._reponse(collectif)

    @extend_schema(
        summary="Composition du collectif (R1)",
        description="Effectifs actuels par collège, minimums de la campagne et ce qui manque, en français.",
        responses={200: CompositionSerializer, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def composition(self, request: Request, pk: str | None = None) -> Response:
        collectif = self.get_object()
        # The thresholds of the campaign the declaration would be filed in, as the filing check uses.
        campagne: Campagne | None = campagne_de_depot(collectif.departement)
        resultat = selectors.composition_du_collectif(collectif, campagne)
        donnees = {
            "est_conforme": resultat.est_conforme,
            "colleges": resultat.lignes(selectors.seuils_de(campagne)),
            "messages": resultat.messages,
            "campagne": campagne.pk if campagne else None,
        }
        return Response(CompositionSerializer(donnees).data)


# --- Membres --------------------------------------------------------------------------------------

AIDE_MEMBRE = {
    "college": {"help_text": "Collège de la personne ; une personne ne compte qu'une fois, dans un seul collège."},
    "prenom": {"help_text": "Prénom."},
    "nom": {"help_text": "Nom de famille."},
    "fonction": {"help_text": "Facultatif. Fonction ou qualité."},
    "email": {"help_text": "Facultatif : un·e habitant·e peut ne pas avoir d'adresse électronique."},
    "telephone": {"help_text": "Facultatif."},
    "date_debut": {"help_text": "Membre depuis (aujourd'hui par défaut)."},
    "date_fin": {"help_text": "Fin de l'adhésion : la personne ne compte plus après cette date. Rien n'est supprimé."},
    "saisi_le": {"help_text": "Date et heure de saisie."},
}


class MembreSerializer(serializers.ModelSerializer):
    """A member as read, and as added (no end date at creation)."""

    college_libelle = serializers.CharField(
        source="get_college_display", read_only=True, help_text="Collège, en toutes lettres."
    )
    organisation = OrganisationSerializer(
        required=False,
        allow_null=True,
        help_text="Facultative pour une association informelle ; SIRET et RNA sont vérifiés s'ils sont donnés.",
    )
    consentement = serializers.BooleanField(
        required=True,
        label="accord de la personne recueilli",
        help_text="La personne a donné son accord pour figurer dans la déclaration (obligatoire).",
    )
    est_actuel = serializers.SerializerMethodField(
        help_text="Vrai si la personne compte aujourd'hui dans la composition (R1)."
    )

    class Meta:
        model = Membre
        fields = [
            "id",
            "college",
            "college_libelle",
            "prenom",
            "nom",
            "fonction",
            "organisation",
            "email",
            "telephone",
            "date_debut",
            "date_fin",
            "consentement",
            "est_actuel",
            "saisi_le",
        ]
        read_only_fields = ["id", "date_fin", "saisi_le"]
        extra_kwargs = AIDE_MEMBRE
        validators: list[Any] = []

    def get_est_actuel(self, membre: Membre) -> bool:
        return membre.est_actuel(timezone.localdate())


class MembreModificationSerializer(serializers.ModelSerializer):
    """Correct a member, or end the membership with `date_fin`. Fields left out keep their value."""

    organisation = OrganisationSerializer(
        required=False, allow_null=True, help_text="null retire l'organisation ; absente, elle reste inchangée."
    )

    class Meta:
        model = Membre
        fields = [
            "college",
            "prenom",
            "nom",
            "fonction",
            "organisation",
            "email",
            "telephone",
            "date_debut",
            "date_fin",
            "consentement",
        ]
        extra_kwargs = AIDE_MEMBRE
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        membre: Membre = self.instance  # type: ignore[assignment]
        debut = attrs.get("date_debut", membre.date_debut)
        fin = attrs.get("date_fin", membre.date_fin)
        if fin is not None and fin < debut:
            raise serializers.ValidationError({"date_fin": ["La fin de l'adhésion ne peut pas précéder son début."]})
        return attrs


@extend_schema(
    parameters=[OpenApiParameter("collectif_pk", int, OpenApiParameter.PATH, description="Identifiant du collectif.")]
)
@extend_schema_view(
    list=extend_schema(summary="Lister les membres d'un collectif", description="Membres actuels et passés."),
    retrieve=extend_schema(summary="Consulter un membre", responses={200: MembreSerializer, 404: INTROUVABLE}),
)
class MembreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Membres d'un collectif, dans les trois collèges (R1). Rien ne se supprime : une adhésion prend fin."""

    serializer_class = MembreSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _collectif(self) -> Collectif:
        if not hasattr(self, "_collectif_visible"):
            self._collectif_visible = get_object_or_404(
                selectors.collectif_visible_to(self.request.user), pk=self.kwargs["collectif_pk"]
            )
        return self._collectif_visible

    def get_queryset(self) -> QuerySet[Membre]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Membre.objects.none()
        return selectors.membres_du_collectif(self._collectif()).order_by("college", "nom", "prenom", "pk")

    @extend_schema(
        summary="Ajouter un membre",
        description="Référent·es du collectif seulement. Une même personne ne peut pas être saisie deux fois.",
        request=MembreSerializer,
        responses={201: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def create(self, request: Request, collectif_pk: str | None = None) -> Response:
        collectif = self._collectif()
        exiger(permissions.can_modifier_collectif(request.user, collectif))
        serializer = MembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        membre = services.membre_ajouter(
            acteur=request.user,
            collectif=collectif,
            college=donnees["college"],
            prenom=donnees["prenom"],
            nom=donnees["nom"],
            consentement=donnees["consentement"],
            fonction=donnees.get("fonction", ""),
            organisation=_organisation(donnees.get("organisation")),
            email=donnees.get("email", ""),
            telephone=donnees.get("telephone", ""),
            date_debut=donnees.get("date_debut"),
        )
        return Response(MembreSerializer(membre).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un membre ou mettre fin à son adhésion",
        description="Référent·es du collectif seulement. `date_fin` met fin à l'adhésion ; rien n'est supprimé.",
        request=MembreModificationSerializer,
        responses={200: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None, collectif_pk: str | None = None) -> Response:
        membre = self.get_object()
        exiger(permissions.can_modifier_collectif(request.user, self._collectif()))
        serializer = MembreModificationSerializer(membre, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        organisation = (
            _organisation(donnees["organisation"])
            if "organisation" in donnees
            else _organisation_actuelle(membre.organisation)
        )
        membre = services.membre_modifier(
            acteur=request.user,
            membre=membre,
            college=donnees.get("college", membre.college),
            prenom=donnees.get("prenom", membre.prenom),
            nom=donnees.get("nom", membre.nom),
            consentement=donnees.get("consentement", membre.consentement),
            fonction=donnees.get("fonction", membre.fonction),
            organisation=organisation,
            email=donnees.get("email", membre.email),
            telephone=donnees.get("telephone", membre.telephone),
            date_debut=donnees.get("date_debut", membre.date_debut),
            date_fin=donnees.get("date_fin", membre.date_fin),
        )
        return Response(MembreSerializer(membre).data)


# --- Déclarations ---------------------------------------------------------------------------------


class IndicateurSerializer(serializers.ModelSerializer):
    nature = serializers.ChoiceField(
        choices=NatureIndicateur.choices,
        default=NatureIndicateur.QUALITATIF,
        help_text="Qualitatif (par défaut) ou quantitatif ; les qualitatifs sont rangés en premier.",
    )

    class Meta:
        model = Indicateur
        fields = ["libelle", "description", "nature", "ordre"]
        read_only_fields = ["ordre"]
        extra_kwargs = {
            "libelle": {"help_text": "Intitulé de l'indicateur."},
            "description": {"help_text": "Facultatif. Comment l'observer."},
            "ordre": {"help_text": "Rang d'affichage."},
        }


class IndicateursSerializer(serializers.Serializer):
    indicateurs = IndicateurSerializer(
        many=True, help_text="Les indicateurs que le collectif se donne (5 au plus) ; remplace la liste existante."
    )


class AdhesionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="charte.version", read_only=True, help_text="Version de la charte.")
    titre = serializers.CharField(source="charte.titre", read_only=True, help_text="Titre de la charte.")

    class Meta:
        model = AdhesionCharte
        fields = ["version", "titre", "adhere_le"]
        extra_kwargs = {"adhere_le": {"help_text": "Date et heure de l'acceptation."}}


class RecepisseSerializer(serializers.Serializer):
    numero = serializers.CharField(help_text="Numéro du récépissé (TYPE-DÉPARTEMENT-ANNÉE-SÉQUENCE).")
    url = serializers.URLField(help_text="Adresse de téléchargement du PDF.")


def _url_recepisse(request: Request | None, declaration_pk: int) -> str:
    return str(reverse("declaration-recepisse", args=[declaration_pk], request=request))


def _recepisses(declarations: list[Declaration]) -> dict[int, Document]:
    """The newest récépissé of each declaration of a page, in one query."""
    if not declarations:
        return {}
    documents = Document.objects.filter(
        type=TypeDocument.RECEPISSE,
        content_type__app_label=Declaration._meta.app_label,
        content_type__model=Declaration._meta.model_name,
        object_id__in=[d.pk for d in declarations],
    ).order_by("emis_le", "pk")
    return {document.object_id: document for document in documents if document.object_id is not None}


class DeclarationSerializer(serializers.ModelSerializer):
    """A declaration (read only: it changes through its own endpoints)."""

    collectif_nom = serializers.CharField(source="collectif.nom", read_only=True, help_text="Nom du collectif.")
    departement = serializers.CharField(
        source="collectif.departement_id", read_only=True, help_text="Code du département du collectif."
    )
    campagne_annee = serializers.IntegerField(
        source="campagne.annee", read_only=True, allow_null=True, help_text="Année de la campagne."
    )
    etat_libelle = serializers.CharField(
        source="get_etat_display", read_only=True, help_text="État, en toutes lettres."
    )
    charte = AdhesionSerializer(
        source="adhesion_charte", read_only=True, allow_null=True, help_text="Charte acceptée (R16), le cas échéant."
    )
    indicateurs = IndicateurSerializer(many=True, read_only=True, help_text="Indicateurs propres au collectif.")
    recepisse = serializers.SerializerMethodField(help_text="Récépissé émis au dépôt, le cas échéant.")
    echeance_instruction = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Échéance de l'instruction : le délai de la campagne (60 jours par défaut) après le dépôt (R4).",
    )

    class Meta:
        model = Declaration
        fields = [
            "id",
            "collectif",
            "collectif_nom",
            "departement",
            "campagne",
            "campagne_annee",
            "etat",
            "etat_libelle",
            "dynamique_preexistante",
            "projet",
            "additionnalite",
            "charte",
            "indicateurs",
            "deposee_le",
            "echeance_instruction",
            "motif_retrait",
            "motifs_classement",
            "recepisse",
            "cree_le",
            "modifiee_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "collectif": {"help_text": "Identifiant du collectif."},
            "campagne": {"help_text": "Identifiant de la campagne."},
            "etat": {"help_text": "État dans le cycle de vie : du brouillon à la décision de l'instance."},
            "dynamique_preexistante": {"help_text": "La dynamique collaborative qui existe déjà."},
            "projet": {"help_text": "Le projet du collectif."},
            "additionnalite": {"help_text": "Ce qui n'existerait pas sans le collectif."},
            "deposee_le": {"help_text": "Date et heure du dépôt."},
            "motif_retrait": {"help_text": "Motif du retrait, le cas échéant."},
            "motifs_classement": {"help_text": "Motifs du classement sans suite, le cas échéant (R4)."},
            "cree_le": {"help_text": "Date et heure de création."},
            "modifiee_le": {"help_text": "Date et heure de la dernière modification."},
        }

    @extend_schema_field(RecepisseSerializer(allow_null=True))
    def get_recepisse(self, declaration: Declaration) -> dict[str, str] | None:
        recepisses = self.context.get("recepisses")
        if recepisses is None:
            recepisses = _recepisses([declaration])
        document = recepisses.get(declaration.pk)
        if document is None:
            return None
        return {"numero": document.numero, "url": _url_recepisse(self.context.get("request"), declaration.pk)}


class DeclarationTextesSerializer(serializers.ModelSerializer):
    """The draft's texts. A draft can be saved at any time, even incomplete (R2)."""

    class Meta:
        model = Declaration
        fields = ["dynamique_preexistante", "projet", "additionnalite"]
        extra_kwargs = {
            "dynamique_preexistante": {"help_text": "Décrivez la dynamique collaborative qui existe déjà entre vous."},
            "projet": {"help_text": "Le projet du collectif."},
            "additionnalite": {"help_text": "Ce qui n'existerait pas sans le collectif."},
        }


class FiltresDeclarationSerializer(serializers.Serializer):
    collectif = serializers.IntegerField(required=False, help_text="Seulement les déclarations de ce collectif.")
    etat = serializers.ChoiceField(
        choices=EtatDeclaration.choices, required=False, help_text="Seulement les déclarations dans cet état."
    )


class RetraitSerializer(serializers.Serializer):
    motif = serializers.CharField(
        default="", allow_blank=True, max_length=5000, help_text="Motif du retrait (obligatoire)."
    )


class ConditionsSerializer(serializers.Serializer):
    peut_deposer = serializers.BooleanField(help_text="Vrai quand toutes les conditions de dépôt sont réunies (R2).")
    campagne = serializers.IntegerField(allow_null=True, help_text="Campagne de dépôt du département.")
    erreurs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Ce qui empêche le dépôt, en français, par champ (membres, charte, textes, campagne…).",
    )


class DepotSerializer(serializers.Serializer):
    numero = serializers.CharField(help_text="Numéro du récépissé émis.")
    recepisse_url = serializers.URLField(help_text="Adresse de téléchargement du récépissé PDF.")
    declaration = DeclarationSerializer(help_text="La déclaration déposée.")


# --- Instruction (R4), messages, documents, accompagnement (R10), équité (R17) ---------------------------


def url_document(request: Request | None, declaration_pk: int, numero: str) -> str:
    return str(reverse("declaration-document", args=[declaration_pk, numero], request=request))


def _documents_par_objet(modele: type[Any], type_document: str, ids: list[int]) -> dict[int, Document]:
    """The newest document of one type for each object of a page, in one query."""
    if not ids:
        return {}
    documents = Document.objects.filter(
        type=type_document,
        content_type__app_label=modele._meta.app_label,
        content_type__model=modele._meta.model_name,
        object_id__in=ids,
    ).order_by("emis_le", "pk")
    return {document.object_id: document for document in documents if document.object_id is not None}


class DocumentSerializer(serializers.ModelSerializer):
    """An issued document: numbered, hashed, never modified (SPEC §6, R19)."""

    type_libelle = serializers.CharField(
        source="get_type_display", read_only=True, help_text="Type, en toutes lettres."
    )
    url = serializers.SerializerMethodField(help_text="Adresse de téléchargement du PDF.")

    class Meta:
        model = Document
        fields = ["numero", "type", "type_libelle", "titre", "emis_le", "taille", "sha256", "url"]
        read_only_fields = fields
        extra_kwargs = {
            "numero": {"help_text": "Numéro TYPE-DÉPARTEMENT-ANNÉE-SÉQUENCE."},
            "type": {"help_text": "REC récépissé, DEM demande de compléments, DEC décision, PV procès-verbal…"},
            "titre": {"help_text": "Titre du document."},
            "emis_le": {"help_text": "Date et heure d'émission."},
            "taille": {"help_text": "Taille du PDF, en octets."},
            "sha256": {"help_text": "Empreinte SHA-256 du PDF, vérifiée à chaque téléchargement."},
        }

    def get_url(self, document: Document) -> str:
        return url_document(self.context.get("request"), self.context["declaration"].pk, document.numero)


class ReferenceDocumentSerializer(serializers.Serializer):
    numero = serializers.CharField(help_text="Numéro du document.")
    url = serializers.URLField(help_text="Adresse de téléchargement du PDF.")


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
            documents = _documents_par_objet(DemandeComplements, TypeDocument.DEMANDE_COMPLEMENTS, [demande.pk])
        document = documents.get(demande.pk)
        if document is None:
            return None
        url = url_document(self.context.get("request"), demande.declaration_id, document.numero)
        return {"numero": document.numero, "url": url}


class DemandeComplementsCreationSerializer(serializers.Serializer):
    message = serializers.CharField(
        default="", allow_blank=True, max_length=10000, help_text="Ce qui manque, dit au collectif (obligatoire)."
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
        max_length=10000,
        label="réponse",
        help_text="Votre réponse (obligatoire). La déclaration est déposée à nouveau : les conditions R1/R2 "
        "doivent être remplies.",
    )


class ClassementSerializer(serializers.Serializer):
    motifs = serializers.CharField(
        default="", allow_blank=True, max_length=10000, help_text="Motifs du classement sans suite (obligatoires)."
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
    texte = serializers.CharField(default="", allow_blank=True, max_length=10000, help_text="Le message (obligatoire).")
    # DRF takes declared fields off the class, so this does not shadow Field.parent at run time.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
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


MESSAGE_NON_MODIFIABLE = "Cette déclaration ne peut plus être modifiée."


@extend_schema_view(
    list=extend_schema(
        summary="Lister les déclarations",
        description="Référent·es : celles de leurs collectifs, brouillons compris ; instructeur·rices : les "
        "déclarations déposées de leurs départements ; équipe nationale : toutes les déclarations déposées.",
        parameters=[FiltresDeclarationSerializer],
    ),
    retrieve=extend_schema(
        summary="Consulter une déclaration", responses={200: DeclarationSerializer, 404: INTROUVABLE}
    ),
)
class DeclarationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Déclarations des collectifs (auto-proclamation, R2). Le brouillon est ouvert à la création du collectif."""

    serializer_class = DeclarationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Declaration]:
        qs = selectors.declaration_visible_to(self.request.user).prefetch_related("indicateurs")
        if self.action == "list":
            filtres = FiltresDeclarationSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            if "collectif" in filtres.validated_data:
                qs = qs.filter(collectif_id=filtres.validated_data["collectif"])
            if "etat" in filtres.validated_data:
                qs = qs.filter(etat=filtres.validated_data["etat"])
        return qs.order_by("-cree_le", "-pk")

    def _representation(self, declarations: list[Declaration]) -> Any:
        contexte = {**self.get_serializer_context(), "recepisses": _recepisses(declarations)}
        return DeclarationSerializer(declarations, many=True, context=contexte).data

    def _reponse(self, declaration: Declaration, statut: int = status.HTTP_200_OK) -> Response:
        declaration = get_object_or_404(self.get_queryset(), pk=declaration.pk)
        return Response(self._representation([declaration])[0], status=statut)

    def _brouillon(self) -> Declaration:
        """The draft the user may edit: 404 when hidden, 403 when visible but not theirs to edit (or filed)."""
        declaration = self.get_object()
        exiger(permissions.can_modifier_declaration(self.request.user, declaration), MESSAGE_NON_MODIFIABLE)
        return declaration

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        declarations = list(page if page is not None else queryset)
        donnees = self._representation(declarations)
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._representation([self.get_object()])[0])

    @extend_schema(
        summary="Enregistrer le brouillon",
        description="Référent·es du collectif, tant que la déclaration est un brouillon. Les champs absents restent "
        "inchangés ; un brouillon incomplet s'enregistre.",
        request=DeclarationTextesSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        serializer = DeclarationTextesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        services.declaration_enregistrer(
            acteur=request.user,
            declaration=declaration,
            dynamique_preexistante=donnees.get("dynamique_preexistante", declaration.dynamique_preexistante),
            projet=donnees.get("projet", declaration.projet),
            additionnalite=donnees.get("additionnalite", declaration.additionnalite),
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Remplacer les indicateurs",
        description="Cinq indicateurs au plus, qualitatifs en premier.",
        request=IndicateursSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["put"])
    def indicateurs(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        serializer = IndicateursSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.indicateurs_enregistrer(
            acteur=request.user,
            declaration=declaration,
            indicateurs=[DonneesIndicateur(**donnees) for donnees in serializer.validated_data["indicateurs"]],
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Accepter la charte",
        description="Enregistre l'adhésion de la personne connectée à la version en vigueur de la charte (R16).",
        request=None,
        responses={200: DeclarationSerializer, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"], url_path="accepter-charte")
    def accepter_charte(self, request: Request, pk: str | None = None) -> Response:
        declaration = self._brouillon()
        services.charte_accepter(acteur=request.user, declaration=declaration)
        return self._reponse(declaration)

    @extend_schema(
        summary="Conditions de dépôt (R2)",
        description="Tout ce qui empêche aujourd'hui le dépôt, en français, par champ.",
        responses={200: ConditionsSerializer, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def conditions(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        campagne = campagne_de_depot(declaration.collectif.departement)
        erreurs = services.conditions_de_depot(declaration, campagne)
        donnees = {
            "peut_deposer": declaration.etat == EtatDeclaration.BROUILLON and not erreurs,
            "campagne": campagne.pk if campagne else None,
            "erreurs": erreurs,
        }
        return Response(ConditionsSerializer(donnees).data)

    @extend_schema(
        summary="Déposer la déclaration",
        description="Référent·es du collectif. Vérifie les conditions (R2), émet le récépissé numéroté et prévient "
        "les instructeur·rices du département.",
        request=None,
        responses={201: DepotSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def deposer(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_deposer_declaration(request.user, declaration))
        document = services.declaration_deposer(acteur=request.user, declaration=declaration)
        declaration = get_object_or_404(self.get_queryset(), pk=declaration.pk)
        donnees = {
            "numero": document.numero,
            "recepisse_url": _url_recepisse(request, declaration.pk),
            "declaration": self._representation([declaration])[0],
        }
        return Response(donnees, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Retirer la déclaration",
        description="Référent·es du collectif, une fois la déclaration déposée, avec un motif.",
        request=RetraitSerializer,
        responses={200: DeclarationSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def retirer(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        exiger(permissions.can_retirer_declaration(request.user, declaration))
        serializer = RetraitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.declaration_retirer(
            acteur=request.user, declaration=declaration, motif=serializer.validated_data["motif"]
        )
        return self._reponse(declaration)

    @extend_schema(
        summary="Télécharger le récépissé",
        description="Le PDF du récépissé émis au dépôt, vérifié par son empreinte SHA-256.",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Le récépissé (PDF)."),
            404: INTROUVABLE,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def recepisse(self, request: Request, pk: str | None = None) -> HttpResponse:
        declaration = self.get_object()
        document = documents_de(declaration, TypeDocument.RECEPISSE).first()
        if document is None:
            raise exceptions.NotFound("Aucun récépissé pour cette déclaration.")
        return reponse_pdf(document)

    # --- Instruction (R4) -------------------------------------------------------------------------

    def _instruite(self) -> Declaration:
        """A declaration the user may instruct: 404 when hidden, 403 when visible but not theirs (R4)."""
        declaration = self.get_object()
        exiger(permissions.can_instruire_declaration(self.request.user, declaration))
        return declaration

    def _page(self, queryset: Any, serializer: type[serializers.BaseSerializer], **contexte: Any) -> Response:
        page = self.paginate_queryset(queryset)
        objets = list(page if page is not None else queryset)
        donnees = serializer(objets, many=True, context={**self.get_serializer_context(), **contexte}).data
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)

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
        description="Les demandes faites au collectif, les plus récentes d'abord, avec leur réponse et leur PDF.",
        responses={200: DemandeComplementsSerializer(many=True), 404: INTROUVABLE},
    )
    @action(detail=True, methods=["get"])
    def complements(self, request: Request, pk: str | None = None) -> Response:
        declaration = self.get_object()
        demandes = declaration.demandes_complements.select_related("demandee_par", "repondue_par").order_by(
            "-demandee_le", "-pk"
        )
        page = self.paginate_queryset(demandes)
        objets = list(page if page is not None else demandes)
        documents = _documents_par_objet(DemandeComplements, TypeDocument.DEMANDE_COMPLEMENTS, [d.pk for d in objets])
        contexte = {**self.get_serializer_context(), "documents": documents}
        donnees = DemandeComplementsSerializer(objets, many=True, context=contexte).data
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)

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
        return self._page(selectors.messages_de(declaration), MessageSerializer, referents=referents)

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
        return self._page(anterieures, FinancementAnterieurSerializer)
