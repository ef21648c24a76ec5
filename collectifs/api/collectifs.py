"""API of collectifs: their description, originating institutions, quartiers prioritaires and composition (R1, R2,
R17).

Also the pieces every collectifs endpoint shares: the 404 response and the organisation serializer.
Thin adapters: a serializer validates, a scoped selector fetches (404 when hidden), a predicate answers
403 for a forbidden action on a visible object, one service writes; core.api maps domain errors."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from campagnes.models import Campagne
from campagnes.selectors import campagne_de_depot
from collectifs import permissions, selectors, services
from collectifs.enums import College, EtatDeclaration
from collectifs.models import (
    Collectif,
    Declaration,
)
from collectifs.services import DonneesOrganisation
from collectifs.validators import valider_rna, valider_siret
from comptes.models import Acteur
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from core.api_champs import ChampCode
from territoires.selectors import departements, quartiers_prioritaires

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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A partial update (PATCH) makes nested fields optional: an organisation still needs its name.
        if not attrs.get("nom", "").strip():
            raise serializers.ValidationError({"nom": ["Ce champ est obligatoire."]})
        return attrs


def donnees_organisation(donnees: dict[str, Any] | None) -> DonneesOrganisation | None:
    """An organisation as validated by OrganisationSerializer, for the services."""
    if donnees is None:
        return None
    return DonneesOrganisation(nom=donnees["nom"], siret=donnees.get("siret", ""), rna=donnees.get("rna", ""))


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


def champ_quartiers_prioritaires(aide: str) -> serializers.ManyRelatedField:
    """R17: the collectif's quartiers prioritaires de la politique de la ville, by their official codes."""
    return ChampCode(  # type: ignore[return-value]
        many=True,
        queryset=quartiers_prioritaires(),
        required=False,
        label="quartiers prioritaires de la politique de la ville",
        help_text=(
            "Facultatif. Codes officiels (liste de l'ANCT, par exemple QN04201M) des quartiers prioritaires de la "
            f"politique de la ville où agit le collectif ; chacun doit être dans le département du collectif. {aide}"
        ),
        error_messages={
            "does_not_exist": "Quartier prioritaire inconnu : {value}.",
            "invalid": "Donnez le code du quartier prioritaire, par exemple QN04201M.",
            "not_a_list": "Donnez une liste de codes de quartiers prioritaires.",
        },
    )


class CollectifSerializer(serializers.ModelSerializer):
    """A collectif as read, and as created (the département by its code)."""

    departement = ChampCode(
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
    quartiers_prioritaires = champ_quartiers_prioritaires("Liste vide quand il n'y en a pas.")
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
            "quartiers_prioritaires",
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
    quartiers_prioritaires = champ_quartiers_prioritaires(
        "Remplace la liste quand elle est fournie (une liste vide les retire tous) ; absente, elle reste inchangée."
    )

    class Meta:
        model = Collectif
        fields = ["nom", "territoire", "codes_communes", "quartiers_prioritaires", "institutions_origine"]
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


def _collectifs(user: Acteur) -> QuerySet[Collectif]:
    return (
        selectors.collectif_visible_to(user)
        .prefetch_related(
            "institutions_origine",
            "quartiers_prioritaires",
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
class CollectifViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
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
            institutions=[o for o in map(donnees_organisation, donnees.get("institutions_origine", [])) if o],
            quartiers_prioritaires=donnees.get("quartiers_prioritaires", []),
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
            institutions=None if institutions is None else [o for o in map(donnees_organisation, institutions) if o],
            quartiers_prioritaires=donnees.get("quartiers_prioritaires"),
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
