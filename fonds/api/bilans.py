"""API of the yearly check-ins (R11): list and read them, save a draft, file, validate (the next tranche becomes
payable), return « à compléter ». A proxy entry by the accompagnateur carries the collectif's consent (R10, R20).

Who sees what is `fonds.selectors.bilans.bilans_visibles`; who may act is `fonds.permissions`, checked here for the
403 and again by the service. Thin adapters: a serializer validates, a scoped selector fetches, one service writes."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.api.consentement import ConsentementSerializer
from collectifs.services import DonneesConsentement
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from core.api_champs import LibelleChoix
from fonds import permissions, services
from fonds.enums import EtatBilan, NiveauParticipation
from fonds.models import BilanAnnuel, ValeurIndicateur
from fonds.models.bilans import COMPTE_MAX, LONGUEUR_DIFFICULTES, LONGUEUR_MESSAGE, LONGUEUR_RECIT, LONGUEUR_VALEUR
from fonds.selectors.bilans import bilans_visibles

BILAN_INTROUVABLE = OpenApiResponse(description="Bilan inexistant ou hors de votre périmètre.")


class ValeurSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The value of one of the collectif's indicators: words first, a number if any."""

    indicateur = serializers.IntegerField(source="indicateur_id", help_text="Identifiant de l'indicateur.")
    libelle = serializers.CharField(source="indicateur.libelle", read_only=True, help_text="Intitulé de l'indicateur.")
    texte = serializers.CharField(
        allow_blank=True, required=False, max_length=LONGUEUR_VALEUR, help_text="Ce que l'on observe."
    )
    nombre = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, required=False, help_text="Valeur chiffrée (facultative)."
    )

    class Meta:
        model = ValeurIndicateur
        fields = ["indicateur", "libelle", "texte", "nombre"]


class BilanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A check-in as it stands, with who typed it (« saisi par … pour le compte de … »)."""

    etat_libelle = LibelleChoix(source="get_etat_display", help_text="État en clair.")
    collectif = serializers.CharField(
        source="convention.beneficiaire", read_only=True, help_text="Le collectif bénéficiaire."
    )
    valeurs = ValeurSerializer(many=True, read_only=True, help_text="Les valeurs des indicateurs du collectif.")
    saisi_par = serializers.StringRelatedField(  # type: ignore[var-annotated]
        allow_null=True, help_text="Qui a saisi la dernière version ; null tant que rien n'est saisi."
    )
    niveau_participation = serializers.ChoiceField(
        choices=NiveauParticipation.choices,
        allow_blank=True,
        read_only=True,
        help_text="Niveau de participation atteint ; vide tant qu'il n'est pas saisi.",
    )
    pour_le_compte_de = serializers.CharField(
        source="consentement.pour_le_compte_de",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Pour le compte de qui l'accompagnateur·rice a saisi (avec son accord), sinon null.",
    )

    class Meta:
        model = BilanAnnuel
        fields = [
            "id",
            "convention",
            "collectif",
            "rang",
            "annee",
            "echeance",
            "etat",
            "etat_libelle",
            "recit",
            "difficultes",
            "niveau_participation",
            "nombre_rencontres",
            "nombre_participants",
            "nombre_habitants",
            "valeurs",
            "message_retour",
            "saisi_par",
            "pour_le_compte_de",
            "enregistre_le",
            "depose_le",
            "valide_le",
            "retourne_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "convention": {"help_text": "Identifiant de la convention."},
            "rang": {"help_text": "Année de la convention (1 à 3)."},
            "annee": {"help_text": "Année budgétaire couverte (celle de la tranche du même rang)."},
            "echeance": {"help_text": "Date limite de dépôt."},
            "etat": {"help_text": "attendu, depose, valide ou a_completer."},
            "recit": {"help_text": "Ce que le collectif a fait cette année."},
            "difficultes": {"help_text": "Difficultés rencontrées."},
            "nombre_rencontres": {"help_text": "Nombre de rencontres tenues (agrégé)."},
            "nombre_participants": {"help_text": "Nombre de personnes ayant pris part (agrégé)."},
            "nombre_habitants": {"help_text": "Dont habitant·es ou personnes concernées (agrégé)."},
            "message_retour": {"help_text": "Le message de l'instruction lors d'un renvoi « à compléter »."},
            "enregistre_le": {"help_text": "Dernier enregistrement."},
            "depose_le": {"help_text": "Dépôt."},
            "valide_le": {"help_text": "Validation."},
            "retourne_le": {"help_text": "Renvoi « à compléter »."},
        }


class SaisieBilanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """R11: the check-in as typed. Counts are aggregates only: no data about people."""

    recit = serializers.CharField(
        max_length=LONGUEUR_RECIT, required=False, allow_blank=True, default="", help_text="Quelques lignes."
    )
    difficultes = serializers.CharField(
        max_length=LONGUEUR_DIFFICULTES, required=False, allow_blank=True, default="", help_text="Facultatif."
    )
    niveau_participation = serializers.ChoiceField(
        choices=NiveauParticipation.choices, required=False, allow_blank=True, default="", help_text="Niveau atteint."
    )
    nombre_rencontres = serializers.IntegerField(
        min_value=0, max_value=COMPTE_MAX, required=False, allow_null=True, default=None, help_text="Agrégé."
    )
    nombre_participants = serializers.IntegerField(
        min_value=0, max_value=COMPTE_MAX, required=False, allow_null=True, default=None, help_text="Agrégé."
    )
    nombre_habitants = serializers.IntegerField(
        min_value=0, max_value=COMPTE_MAX, required=False, allow_null=True, default=None, help_text="Agrégé."
    )
    valeurs = ValeurSerializer(many=True, required=False, default=list, help_text="Une valeur par indicateur.")
    consentement = ConsentementSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Obligatoire quand l'accompagnateur·rice saisit pour le compte du collectif.",
    )

    def donnees(self) -> services.DonneesBilan:
        d = self.validated_data
        return services.DonneesBilan(
            recit=d["recit"],
            difficultes=d["difficultes"],
            niveau_participation=d["niveau_participation"],
            nombre_rencontres=d["nombre_rencontres"],
            nombre_participants=d["nombre_participants"],
            nombre_habitants=d["nombre_habitants"],
            valeurs={v["indicateur_id"]: (v.get("texte", ""), v.get("nombre")) for v in d["valeurs"]},
        )

    def accord(self) -> DonneesConsentement | None:
        c = self.validated_data["consentement"]
        return DonneesConsentement(**c) if c else None


class RetourSerializer(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=LONGUEUR_MESSAGE, help_text="Ce qu'il faut compléter.")


class FiltresBilansSerializer(serializers.Serializer):  # type: ignore[type-arg]
    convention = serializers.IntegerField(required=False, help_text="Les bilans d'une convention.")
    etat = serializers.ChoiceField(choices=EtatBilan.choices, required=False, help_text="Filtrer par état.")


@extend_schema_view(
    list=extend_schema(
        summary="Lister les bilans annuels",
        description="Ceux des conventions que vous voyez, et des collectifs que vous accompagnez (R11).",
        parameters=[FiltresBilansSerializer],
        responses={200: BilanSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter un bilan annuel",
        responses={200: BilanSerializer, 404: BILAN_INTROUVABLE},
    ),
)
class BilanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Bilans annuels des collectifs financés (R11) : leur validation rend la tranche suivante exigible (R7)."""

    serializer_class = BilanSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[BilanAnnuel]:
        qs = bilans_visibles(self.request.user).prefetch_related(
            Prefetch("valeurs", queryset=ValeurIndicateur.objects.select_related("indicateur"))
        )
        if self.action == "list":
            filtres = FiltresBilansSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            champs = {"convention": "convention_id", "etat": "etat"}
            qs = qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
        return qs.order_by("convention_id", "rang")

    def _reponse(self, bilan: BilanAnnuel) -> Response:
        return Response(BilanSerializer(self.get_queryset().get(pk=bilan.pk)).data)

    def _saisir(self, request: Request, deposer: bool) -> Response:
        bilan = self.get_object()
        # The service says why: 400 when the check-in is no longer editable, 403 when the user may not type it.
        serializer = SaisieBilanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.bilan_deposer if deposer else services.bilan_enregistrer
        service(acteur=request.user, bilan=bilan, donnees=serializer.donnees(), consentement=serializer.accord())
        return self._reponse(bilan)

    @extend_schema(
        summary="Enregistrer le brouillon",
        description="Référent·es du collectif, ou son accompagnateur·rice avec le consentement du collectif : le "
        "bilan est conservé tel que saisi, même incomplet.",
        request=SaisieBilanSerializer,
        responses={200: BilanSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: BILAN_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def enregistrer(self, request: Request, pk: str | None = None) -> Response:
        return self._saisir(request, deposer=False)

    @extend_schema(
        summary="Déposer le bilan",
        description="Enregistre et dépose : le récit, le niveau de participation et une valeur par indicateur "
        "sont requis ; sinon rien n'est enregistré et les manques sont nommés.",
        request=SaisieBilanSerializer,
        responses={200: BilanSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: BILAN_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def deposer(self, request: Request, pk: str | None = None) -> Response:
        return self._saisir(request, deposer=True)

    @extend_schema(
        summary="Valider le bilan",
        description="Instructeur·rices du département : la tranche suivante devient exigible dans la même "
        "transaction, si la tranche précédente est versée (R7).",
        request=None,
        responses={200: BilanSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: BILAN_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def valider(self, request: Request, pk: str | None = None) -> Response:
        bilan = self.get_object()
        exiger(permissions.can_gerer_convention(request.user, bilan.convention))
        services.bilan_valider(acteur=request.user, bilan=bilan)
        return self._reponse(bilan)

    @extend_schema(
        summary="Renvoyer le bilan à compléter",
        description="Instructeur·rices du département, avec un message ; le collectif complète et dépose à nouveau.",
        request=RetourSerializer,
        responses={200: BilanSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: BILAN_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def renvoyer(self, request: Request, pk: str | None = None) -> Response:
        bilan = self.get_object()
        exiger(permissions.can_gerer_convention(request.user, bilan.convention))
        serializer = RetourSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.bilan_retourner(acteur=request.user, bilan=bilan, message=serializer.validated_data["message"])
        return self._reponse(bilan)


__all__: list[Any] = ["BilanViewSet"]
