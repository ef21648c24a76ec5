"""API of the practice sheets (R14).

- `/api/v1/fiches/`: the back office, scoped by `mutualisation.selectors.fiches.fiches_visibles` (hidden sheets
  give 404): create a draft for a collectif, save it, propose it (the collectif's référents, its accompagnateur
  with its consent: R10, R20), return it with a comment or publish it (the département's instructeurs), retain it
  (national staff).
- `/api/v1/pratiques/`: the public catalogue, read-only and without an account: published and retained sheets
  only, searchable by words, theme, département and year. No personal data: the credits only when the people they
  name consented.

Thin adapters: a serializer validates, a scoped selector fetches, one service writes; the predicates give 403."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.api.consentement import ConsentementSerializer
from collectifs.models import Collectif
from collectifs.selectors import collectif_visible_to
from collectifs.services import DonneesConsentement
from core.api import INVALIDE, SANS_DROIT, IdentifiantRelatedField, IdentifiantsMixin, exiger
from core.api_champs import ChampCode
from mutualisation.enums import FICHE_PUBLIQUE, EtatFiche
from mutualisation.models import FichePratique, Theme
from mutualisation.models.fiches import LONGUEUR_CREDITS, LONGUEUR_MESSAGE, LONGUEUR_PARTIE, LONGUEUR_RESUME
from mutualisation.permissions import fiches as permissions
from mutualisation.selectors import fiches as selecteurs
from mutualisation.services import fiches as services

FICHE_INTROUVABLE = OpenApiResponse(description="Fiche inexistante ou hors de votre périmètre.")
PRATIQUE_INTROUVABLE = OpenApiResponse(description="Fiche inexistante ou non publiée.")


class PratiqueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A public sheet (R14): its texts, themes, territory, year, département and collectif. No personal data."""

    collectif = serializers.CharField(source="collectif.nom", read_only=True, help_text="Le collectif qui l'a écrite.")
    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    themes = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        many=True, read_only=True, slug_field="code", help_text="Codes des thèmes."
    )
    credits = serializers.SerializerMethodField(help_text="Crédits, si les personnes nommées ont donné leur accord.")
    laureat = serializers.BooleanField(read_only=True, help_text="Lauréate d'un prix (R18).")
    etat = serializers.ChoiceField(
        choices=[(e.value, e.label) for e in FICHE_PUBLIQUE],
        read_only=True,
        help_text="publiee, ou retenue pour la capitalisation nationale.",
    )

    class Meta:
        model = FichePratique
        fields = [
            "id",
            "titre",
            "annee",
            "departement",
            "departement_nom",
            "collectif",
            "territoire",
            "themes",
            "resume",
            "contexte",
            "demarche",
            "difficultes",
            "ressources",
            "paroles_habitants",
            "credits",
            "etat",
            "publiee_le",
            "retenue_le",
            "laureat",
        ]
        read_only_fields = fields

    def get_credits(self, fiche: FichePratique) -> str:
        return fiche.credits if fiche.credits_consentis else ""


class FicheSerializer(PratiqueSerializer):
    """A sheet in the back office, in every state the user may read."""

    collectif_id = serializers.IntegerField(read_only=True, help_text="Identifiant du collectif.")
    etat = serializers.ChoiceField(
        choices=EtatFiche.choices, read_only=True, help_text="brouillon, proposee, publiee ou retenue."
    )
    credits_consentis = serializers.BooleanField(read_only=True, help_text="Accord des personnes nommées.")
    pour_le_compte_de = serializers.CharField(
        source="consentement.pour_le_compte_de",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Pour le compte de qui l'accompagnateur·rice a rédigé (avec son accord), sinon null.",
    )

    class Meta(PratiqueSerializer.Meta):
        fields = [
            *PratiqueSerializer.Meta.fields,
            "collectif_id",
            "convention",
            "credits_consentis",
            "message_retour",
            "pour_le_compte_de",
            "modifiee_le",
            "proposee_le",
            "retournee_le",
        ]
        read_only_fields = fields

    def get_credits(self, fiche: FichePratique) -> str:
        return fiche.credits


def _texte(longueur: int, aide: str) -> serializers.CharField:
    return serializers.CharField(max_length=longueur, required=False, allow_blank=True, default="", help_text=aide)


class SaisieFicheSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """R14: the sheet as typed. Title, context, approach and a theme are needed to propose it."""

    titre = serializers.CharField(max_length=services.LONGUEUR_TITRE, help_text="Titre de la fiche.")
    annee = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Année racontée.")
    territoire = _texte(services.LONGUEUR_TERRITOIRE, "Quartier, commune ou bassin de vie.")
    themes = ChampCode(many=True, queryset=Theme.objects.all(), required=False, default=list, help_text="Codes.")
    resume = _texte(LONGUEUR_RESUME, "En quelques mots.")
    contexte = _texte(LONGUEUR_PARTIE, "Le contexte.")
    demarche = _texte(LONGUEUR_PARTIE, "La démarche.")
    difficultes = _texte(LONGUEUR_PARTIE, "Difficultés et façons de les surmonter.")
    ressources = _texte(LONGUEUR_PARTIE, "Ressources mobilisées.")
    paroles_habitants = _texte(LONGUEUR_PARTIE, "Paroles d'habitant·es.")
    credits = _texte(LONGUEUR_CREDITS, "Crédits (ne nommer personne sans son accord).")
    credits_consentis = serializers.BooleanField(
        required=False, default=False, help_text="Les personnes nommées dans les crédits ont donné leur accord."
    )
    consentement = ConsentementSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Obligatoire quand l'accompagnateur·rice rédige pour le compte du collectif.",
    )

    def donnees(self) -> services.DonneesFiche:
        d = self.validated_data
        return services.DonneesFiche(
            titre=d["titre"],
            annee=d["annee"],
            territoire=d["territoire"],
            themes=tuple(t.pk for t in d["themes"]),
            resume=d["resume"],
            contexte=d["contexte"],
            demarche=d["demarche"],
            difficultes=d["difficultes"],
            ressources=d["ressources"],
            paroles_habitants=d["paroles_habitants"],
            credits=d["credits"],
            credits_consentis=d["credits_consentis"],
        )

    def accord(self) -> DonneesConsentement | None:
        c = self.validated_data["consentement"]
        return DonneesConsentement(**c) if c else None


class CreationFicheSerializer(SaisieFicheSerializer):
    collectif = IdentifiantRelatedField(queryset=Collectif.objects.all(), help_text="Le collectif de la fiche.")


class RetourFicheSerializer(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=LONGUEUR_MESSAGE, help_text="Ce qu'il faudrait reprendre.")


class FiltresFichesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    collectif = serializers.IntegerField(required=False, min_value=1, help_text="Les fiches d'un collectif.")
    departement = serializers.CharField(required=False, max_length=3, help_text="Code du département.")
    etat = serializers.ChoiceField(choices=EtatFiche.choices, required=False, help_text="Filtrer par état.")


class RecherchePratiquesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=selecteurs.LONGUEUR_REQUETE, help_text="Mots recherchés."
    )
    theme = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="Code d'un thème.")
    departement = serializers.CharField(required=False, allow_blank=True, max_length=3, help_text="Code.")
    annee = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999, help_text="Année.")


@extend_schema_view(
    list=extend_schema(
        summary="Rechercher dans le catalogue des pratiques inspirantes",
        description="Public, sans compte : les fiches publiées ou retenues, classées par pertinence quand des mots "
        "sont donnés (recherche en français, insensible aux accents, tolérante aux fautes de frappe sur le titre).",
        parameters=[RecherchePratiquesSerializer],
        responses={200: PratiqueSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter une fiche publiée", responses={200: PratiqueSerializer, 404: PRATIQUE_INTROUVABLE}
    ),
)
class PratiqueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Catalogue public des pratiques inspirantes (R14) : lecture seule, sans compte."""

    serializer_class = PratiqueSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[FichePratique]:
        if self.action != "list":
            return selecteurs.fiches_publiques_toutes().prefetch_related("themes")
        filtres = RecherchePratiquesSerializer(data=self.request.query_params)
        filtres.is_valid(raise_exception=True)
        d = filtres.validated_data
        return selecteurs.fiches_publiques(
            q=d.get("q", ""), theme=d.get("theme", ""), departement=d.get("departement", ""), annee=d.get("annee")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Lister les fiches pratiques",
        description="Celles que vous voyez : les brouillons de vos collectifs, les fiches proposées de vos "
        "départements, les fiches publiques (R14).",
        parameters=[FiltresFichesSerializer],
        responses={200: FicheSerializer(many=True), 400: INVALIDE},
    ),
    retrieve=extend_schema(
        summary="Consulter une fiche pratique", responses={200: FicheSerializer, 404: FICHE_INTROUVABLE}
    ),
    create=extend_schema(
        summary="Commencer une fiche pratique",
        description="Référent·es du collectif, ou son accompagnateur·rice avec le consentement du collectif : un "
        "brouillon, même incomplet (un titre suffit).",
        request=CreationFicheSerializer,
        responses={201: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT},
    ),
)
class FicheViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, IdentifiantsMixin):
    """Fiches pratiques des collectifs (R14) : brouillon, proposition, publication, capitalisation nationale."""

    serializer_class = FicheSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[FichePratique]:
        qs = selecteurs.fiches_visibles(self.request.user).prefetch_related("themes")
        if self.action == "list":
            filtres = FiltresFichesSerializer(data=self.request.query_params)
            filtres.is_valid(raise_exception=True)
            champs = {"collectif": "collectif_id", "departement": "departement_id", "etat": "etat"}
            qs = qs.filter(**{champs[nom]: valeur for nom, valeur in filtres.validated_data.items()})
        return qs.order_by("-modifiee_le", "-pk")

    def _reponse(self, fiche: FichePratique, statut: int = status.HTTP_200_OK) -> Response:
        return Response(FicheSerializer(selecteurs.fiche_apres_action(fiche.pk)).data, status=statut)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationFicheSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collectif = serializer.validated_data["collectif"]
        if not collectif_visible_to(request.user).filter(pk=collectif.pk).exists():
            raise serializers.ValidationError({"collectif": ["Collectif inexistant ou hors de votre périmètre."]})
        exiger(permissions.can_creer_fiche(request.user, collectif))
        fiche = services.fiche_creer(
            acteur=request.user, collectif=collectif, donnees=serializer.donnees(), consentement=serializer.accord()
        )
        return self._reponse(fiche, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer le brouillon",
        description="Remplace le contenu du brouillon (nouveau, ou renvoyé par le département).",
        request=SaisieFicheSerializer,
        responses={200: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FICHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def enregistrer(self, request: Request, pk: str | None = None) -> Response:
        fiche = self.get_object()
        serializer = SaisieFicheSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.fiche_enregistrer(
            acteur=request.user, fiche=fiche, donnees=serializer.donnees(), consentement=serializer.accord()
        )
        return self._reponse(fiche)

    @extend_schema(
        summary="Proposer la fiche au département",
        description="Il faut un titre, le contexte, la démarche et au moins un thème ; sinon les manques sont "
        "nommés. Si le bilan de l'année 3 est déjà validé, la convention du collectif se clôture.",
        request=None,
        responses={200: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FICHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def proposer(self, request: Request, pk: str | None = None) -> Response:
        fiche = self.get_object()
        services.fiche_proposer(acteur=request.user, fiche=fiche)
        return self._reponse(fiche)

    @extend_schema(
        summary="Renvoyer la fiche au collectif",
        description="Instructeur·rices du département, avec un commentaire : la fiche redevient un brouillon.",
        request=RetourFicheSerializer,
        responses={200: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FICHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def retourner(self, request: Request, pk: str | None = None) -> Response:
        fiche = self.get_object()
        serializer = RetourFicheSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.fiche_retourner(acteur=request.user, fiche=fiche, message=serializer.validated_data["message"])
        return self._reponse(fiche)

    @extend_schema(
        summary="Publier la fiche",
        description="Instructeur·rices du département : la fiche entre dans le catalogue public ; son PDF numéroté "
        "est émis une fois.",
        request=None,
        responses={200: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FICHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def publier(self, request: Request, pk: str | None = None) -> Response:
        fiche = self.get_object()
        services.fiche_publier(acteur=request.user, fiche=fiche)
        return self._reponse(fiche)

    @extend_schema(
        summary="Retenir la fiche pour la capitalisation nationale",
        description="Équipe nationale, sur une fiche publiée.",
        request=None,
        responses={200: FicheSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: FICHE_INTROUVABLE},
    )
    @action(detail=True, methods=["post"])
    def retenir(self, request: Request, pk: str | None = None) -> Response:
        fiche = self.get_object()
        services.fiche_retenir(acteur=request.user, fiche=fiche)
        return self._reponse(fiche)
