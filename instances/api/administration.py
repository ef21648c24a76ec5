"""API of the administration of a département's instance and staff, without /admin/ (issue 11), under
/api/v1/administration/.

- `instances`: create the département's instance, read and change its settings (quorum R5, term R6, contact);
- `instances/{instance_pk}/membres`: its members (add, edit, end a membership, order the rotation, R6);
- `accompagnateurs`: the registry of the départements one administers (add, edit, take off, put back, R10);
- `invitations`: the staff invitations (instructeur, instance member, accompagnateur): list, invite, cancel;
- `departements/{departement_code}/instructeurs`: a département's instructeurs; national staff remove one.

Same rules as the pages: an object outside the user's reach is 404, a forbidden action on a visible object 403,
a refused input 400 with French messages per field; as everywhere in this API, changes are POSTs (no PUT, PATCH
or DELETE). Thin adapters over instances.services_administration."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from comptes.models import Instructeur
from core.api import INVALIDE, SANS_DROIT, IdentifiantField, IdentifiantRelatedField, PageMixin, exiger
from core.api_champs import ChampCode, code_du_chemin, contient_octet_nul
from instances import permissions, services_administration
from instances.api.instances import CollegeInstanceField, schema_enum
from instances.enums import CollegeInstance
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    EtatInvitation,
    InstanceDepartementale,
    Invitation,
    MembreInstance,
    RoleInvitation,
)
from instances.selectors import instance_visible_to
from instances.selectors_administration import departements_administres, instructeurs_du_departement
from territoires.models import Departement

INTROUVABLE = OpenApiResponse(description="Objet inexistant ou hors de votre périmètre.")
REPONSES_ERREUR = {400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE}
DEPARTEMENT = OpenApiParameter("departement", str, description="Code du département (COG), pour filtrer la liste.")


@extend_schema_field(schema_enum(RoleInvitation), component_name="RoleInvitationEnum")
class RoleInvitationField(serializers.ChoiceField):
    """The role a staff invitation gives."""


@extend_schema_field(schema_enum(EtatInvitation), component_name="EtatInvitationEnum")
class EtatInvitationField(serializers.ChoiceField):
    """Where a staff invitation stands."""


# --- The instance -------------------------------------------------------------------------------------------------


class ParametresInstanceSerializer(serializers.ModelSerializer):
    """The settings of a departmental instance."""

    class Meta:
        model = InstanceDepartementale
        fields = [
            "id",
            "departement",
            "nom",
            "quorum_fraction",
            "duree_mandat_mois",
            "contact_email",
            "contact_telephone",
            "contact_horaires",
        ]
        read_only_fields = ["id", "departement"]
        extra_kwargs = {
            "nom": {"help_text": "Nom de l'instance."},
            "quorum_fraction": {
                "help_text": "Quorum : strictement plus que cette fraction des membres votants présents (0.50)."
            },
            "duree_mandat_mois": {
                "help_text": "Durée d'un mandat de présidence, en mois (1 à 72).",
                "min_value": 1,
                "max_value": 72,
            },
            "contact_email": {"help_text": "Adresse du secrétariat que les collectifs contactent."},
            "contact_telephone": {"help_text": "Téléphone de contact."},
            "contact_horaires": {"help_text": "Horaires de contact."},
        }


class CreationInstanceSerializer(ParametresInstanceSerializer):
    """Create the instance of a département (one per département)."""

    departement = ChampCode(queryset=Departement.objects.all(), help_text="Code du département (COG).")

    class Meta(ParametresInstanceSerializer.Meta):
        read_only_fields = ["id"]
        validators: list[Any] = []  # the service says « a déjà son instance » in French


PARAMETRES = ["nom", "quorum_fraction", "duree_mandat_mois", "contact_email", "contact_telephone", "contact_horaires"]


def _parametres(donnees: dict[str, Any], instance: InstanceDepartementale) -> dict[str, Any]:
    """The settings given; an omitted one (the schema makes them optional) keeps the value of `instance`: the
    current settings when changing them, the model's defaults when creating."""
    return {nom: donnees.get(nom, getattr(instance, nom)) for nom in PARAMETRES}


@extend_schema_view(
    list=extend_schema(
        summary="Lister les instances administrées",
        description="Équipe nationale : toutes ; instructeur·rices : celles de leurs départements.",
    ),
    retrieve=extend_schema(
        summary="Paramètres d'une instance", responses={200: ParametresInstanceSerializer, 404: INTROUVABLE}
    ),
)
class InstanceAdministrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Instances départementales : création et paramètres (quorum, durée du mandat de présidence, contact)."""

    serializer_class = ParametresInstanceSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[InstanceDepartementale]:
        return InstanceDepartementale.objects.filter(
            departement__in=departements_administres(self.request.user)
        ).order_by("departement_id")

    @extend_schema(
        summary="Créer l'instance d'un département",
        description="Instructeur·rices du département, ou équipe nationale pour tout département.",
        request=CreationInstanceSerializer,
        responses={201: ParametresInstanceSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationInstanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        departement = serializer.validated_data["departement"]
        exiger(permissions.can_administrer_instance(request.user, departement.code))
        instance = services_administration.instance_creer(
            acteur=request.user,
            departement=departement,
            **_parametres(serializer.validated_data, InstanceDepartementale(departement=departement)),
        )
        return Response(ParametresInstanceSerializer(instance).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier les paramètres de l'instance",
        request=ParametresInstanceSerializer,
        responses={200: ParametresInstanceSerializer, **REPONSES_ERREUR},
    )
    @action(detail=True, methods=["post"])
    def modifier(self, request: Request, pk: str | None = None) -> Response:
        instance = self.get_object()
        serializer = ParametresInstanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = services_administration.instance_modifier(
            acteur=request.user, instance=instance, **_parametres(serializer.validated_data, instance)
        )
        return Response(ParametresInstanceSerializer(instance).data)


# --- Members and the rotation (R6) -------------------------------------------------------------------------------


class MembreAdministrationSerializer(serializers.ModelSerializer):
    """A member of the instance, as its administrators see it."""

    college = CollegeInstanceField(choices=CollegeInstance.choices, read_only=True, help_text="Collège.")
    a_un_compte = serializers.SerializerMethodField(help_text="Vrai quand un compte est relié à ce membre.")

    class Meta:
        model = MembreInstance
        fields = [
            "id",
            "prenom",
            "nom",
            "institution",
            "college",
            "votant",
            "rang_rotation",
            "actif",
            "fin",
            "a_un_compte",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rang_rotation": {"help_text": "Rang dans la rotation de la présidence (R6)."},
            "actif": {"help_text": "Faux pour un membre qui ne siège plus."},
            "fin": {"help_text": "Date de fin du mandat de membre."},
        }

    def get_a_un_compte(self, membre: MembreInstance) -> bool:
        return membre.user_id is not None


class SaisieMembreSerializer(serializers.Serializer):
    """A member's name, institution, college and vote."""

    prenom = serializers.CharField(max_length=100, help_text="Prénom.")
    nom = serializers.CharField(max_length=100, help_text="Nom.")
    institution = serializers.CharField(max_length=200, help_text="Institution représentée.")
    college = CollegeInstanceField(choices=CollegeInstance.choices, help_text="Collège de l'instance.")
    votant = serializers.BooleanField(help_text="Voix délibérative (faux : voix consultative).")


class CreationMembreSerializer(SaisieMembreSerializer):
    """A new member; the rank and the e-mail to invite are optional."""

    rang_rotation = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True, help_text="Rang ; vide : le dernier."
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Adresse à inviter à créer le compte de ce membre."
    )


class FinMembreSerializer(serializers.Serializer):
    fin = serializers.DateField(help_text="Date de fin du mandat (aujourd'hui ou avant).")


class OrdreSerializer(serializers.Serializer):
    membres = serializers.ListField(
        child=IdentifiantField(), min_length=1, help_text="Les identifiants de tous les membres, dans l'ordre voulu."
    )


REPONSE_MEMBRE = {200: MembreAdministrationSerializer, **REPONSES_ERREUR}


@extend_schema(
    parameters=[OpenApiParameter("instance_pk", int, OpenApiParameter.PATH, description="Identifiant de l'instance.")]
)
@extend_schema_view(
    list=extend_schema(
        summary="Lister les membres (administration)",
        responses={200: MembreAdministrationSerializer(many=True), 403: SANS_DROIT, 404: INTROUVABLE},
    ),
    retrieve=extend_schema(summary="Consulter un membre (administration)", responses=REPONSE_MEMBRE),
)
class MembreAdministrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Membres de l'instance : ajout, modification, fin de mandat et ordre de rotation de la présidence (R6)."""

    serializer_class = MembreAdministrationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def _instance(self) -> InstanceDepartementale:
        instance: InstanceDepartementale = get_object_or_404(
            instance_visible_to(self.request.user), pk=self.kwargs["instance_pk"]
        )
        exiger(permissions.can_administrer_instance(self.request.user, instance.departement_id))
        return instance

    def get_queryset(self) -> QuerySet[MembreInstance]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return MembreInstance.objects.none()
        return self._instance().membres.order_by("rang_rotation")

    @extend_schema(
        summary="Ajouter un membre",
        request=CreationMembreSerializer,
        responses={201: MembreAdministrationSerializer, **REPONSES_ERREUR},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self._instance()
        serializer = CreationMembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = dict(serializer.validated_data)
        donnees["email"] = donnees.get("email") or ""
        membre = services_administration.membre_ajouter(acteur=request.user, instance=instance, **donnees)
        membre.refresh_from_db()
        return Response(MembreAdministrationSerializer(membre).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Modifier un membre", request=SaisieMembreSerializer, responses=REPONSE_MEMBRE)
    @action(detail=True, methods=["post"])
    def modifier(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membre = self.get_object()
        serializer = SaisieMembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membre = services_administration.membre_modifier(
            acteur=request.user, membre=membre, **serializer.validated_data
        )
        return Response(MembreAdministrationSerializer(membre).data)

    @extend_schema(
        summary="Mettre fin au mandat d'un membre",
        description="Refusé tant que le membre préside : la présidence passe d'abord au suivant.",
        request=FinMembreSerializer,
        responses=REPONSE_MEMBRE,
    )
    @action(detail=True, methods=["post"])
    def fin(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membre = self.get_object()
        serializer = FinMembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membre = services_administration.membre_mettre_fin(
            acteur=request.user, membre=membre, fin=serializer.validated_data["fin"]
        )
        return Response(MembreAdministrationSerializer(membre).data)

    @extend_schema(
        summary="Ordonner la rotation de la présidence",
        description="Tous les membres, dans l'ordre : ils reçoivent les rangs 1, 2, 3…",
        request=OrdreSerializer,
        responses={200: MembreAdministrationSerializer(many=True), **REPONSES_ERREUR},
    )
    @action(detail=False, methods=["post"])
    def reordonner(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self._instance()
        serializer = OrdreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["membres"]
        par_pk = instance.membres.in_bulk(ids)
        ordre = [par_pk[i] if i in par_pk else MembreInstance(pk=i) for i in ids]
        services_administration.membres_reordonner(acteur=request.user, instance=instance, ordre=ordre)
        return Response(MembreAdministrationSerializer(instance.membres.order_by("rang_rotation"), many=True).data)


# --- The registry of accompagnateur·rices (R10) ------------------------------------------------------------------


class CollectifSuiviSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="collectif.id", help_text="Identifiant du collectif.")
    nom = serializers.CharField(source="collectif.nom", help_text="Nom du collectif.")


class AccompagnateurAdministrationSerializer(serializers.ModelSerializer):
    """An entry of the registry, with its contact and the collectifs it follows now."""

    a_un_compte = serializers.SerializerMethodField(help_text="Vrai quand un compte est relié à cette fiche.")
    collectifs = CollectifSuiviSerializer(source="suivis", many=True, read_only=True, help_text="Collectifs suivis.")
    # Declared: DRF drops `allow_blank` from a read-only model field, and the schema would refuse an empty address.
    email = serializers.EmailField(read_only=True, allow_blank=True, help_text="Adresse électronique (vide si aucune).")

    class Meta:
        model = Accompagnateur
        fields = ["id", "departement", "prenom", "nom", "structure", "email", "actif", "a_un_compte", "collectifs"]
        read_only_fields = fields
        extra_kwargs = {"actif": {"help_text": "Faux une fois retiré·e du registre."}}

    def get_a_un_compte(self, accompagnateur: Accompagnateur) -> bool:
        return accompagnateur.user_id is not None


class SaisieAccompagnateurSerializer(serializers.Serializer):
    prenom = serializers.CharField(max_length=100, help_text="Prénom.")
    nom = serializers.CharField(max_length=100, help_text="Nom.")
    structure = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="Structure.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="Adresse électronique.")


class CreationAccompagnateurSerializer(SaisieAccompagnateurSerializer):
    departement = ChampCode(queryset=Departement.objects.all(), help_text="Code du département (COG).")


REPONSE_ACCOMPAGNATEUR = {200: AccompagnateurAdministrationSerializer, **REPONSES_ERREUR}


@extend_schema_view(
    list=extend_schema(summary="Registre des accompagnateur·rices (administration)", parameters=[DEPARTEMENT]),
    retrieve=extend_schema(summary="Consulter une fiche du registre", responses=REPONSE_ACCOMPAGNATEUR),
)
class AccompagnateurAdministrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Registre des accompagnateur·rices des départements administrés (R10)."""

    serializer_class = AccompagnateurAdministrationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Accompagnateur]:
        en_cours = AffectationAccompagnateur.objects.filter(fin__isnull=True).select_related("collectif")
        qs = Accompagnateur.objects.filter(departement__in=departements_administres(self.request.user))
        if code := self.request.query_params.get("departement"):
            qs = qs.none() if contient_octet_nul(code) else qs.filter(departement_id=code)
        return qs.prefetch_related(
            Prefetch("affectations", queryset=en_cours.order_by("collectif__nom"), to_attr="suivis")
        ).order_by("departement_id", "nom", "prenom", "pk")

    def _reponse(self, accompagnateur: Accompagnateur, statut: int = status.HTTP_200_OK) -> Response:
        return Response(
            AccompagnateurAdministrationSerializer(self.get_queryset().get(pk=accompagnateur.pk)).data, status=statut
        )

    @extend_schema(
        summary="Ajouter au registre",
        request=CreationAccompagnateurSerializer,
        responses={201: AccompagnateurAdministrationSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationAccompagnateurSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = dict(serializer.validated_data)
        departement = donnees.pop("departement")
        exiger(permissions.can_gerer_registre_accompagnateurs(request.user, departement.code))
        objet = services_administration.accompagnateur_ajouter(acteur=request.user, departement=departement, **donnees)
        return self._reponse(objet, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une fiche du registre",
        request=SaisieAccompagnateurSerializer,
        responses=REPONSE_ACCOMPAGNATEUR,
    )
    @action(detail=True, methods=["post"])
    def modifier(self, request: Request, pk: str | None = None) -> Response:
        objet = self.get_object()
        serializer = SaisieAccompagnateurSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services_administration.accompagnateur_modifier(
            acteur=request.user, accompagnateur=objet, **serializer.validated_data
        )
        return self._reponse(objet)

    @extend_schema(
        summary="Retirer du registre",
        description="Refusé tant que la personne accompagne un collectif : affectez-lui d'abord quelqu'un d'autre.",
        request=None,
        responses=REPONSE_ACCOMPAGNATEUR,
    )
    @action(detail=True, methods=["post"])
    def retirer(self, request: Request, pk: str | None = None) -> Response:
        objet = self.get_object()
        services_administration.accompagnateur_retirer_du_registre(acteur=request.user, accompagnateur=objet)
        return self._reponse(objet)

    @extend_schema(summary="Remettre au registre", request=None, responses=REPONSE_ACCOMPAGNATEUR)
    @action(detail=True, methods=["post"])
    def remettre(self, request: Request, pk: str | None = None) -> Response:
        objet = self.get_object()
        services_administration.accompagnateur_remettre_au_registre(acteur=request.user, accompagnateur=objet)
        return self._reponse(objet)


# --- Staff invitations --------------------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    """A staff invitation. Its link goes by e-mail only: the token is never read here."""

    role = RoleInvitationField(choices=RoleInvitation.choices, read_only=True, help_text="Rôle proposé.")
    etat = EtatInvitationField(choices=EtatInvitation.choices, read_only=True, help_text="État de l'invitation.")
    invite_par = serializers.CharField(source="invite_par.email", read_only=True, help_text="Qui a invité.")
    expiree = serializers.SerializerMethodField(help_text="Vrai quand l'invitation en attente a expiré.")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "role",
            "departement",
            "membre",
            "accompagnateur",
            "email",
            "etat",
            "expiree",
            "invite_par",
            "invite_le",
            "expire_le",
            "acceptee_le",
            "annulee_le",
        ]
        read_only_fields = fields

    def get_expiree(self, invitation: Invitation) -> bool:
        return invitation.etat == EtatInvitation.EN_ATTENTE and invitation.expire_le <= timezone.now()


class CreationInvitationSerializer(serializers.Serializer):
    """Invite a person: instructeur (no member, no registry entry), instance member (`membre`) or accompagnateur
    (`accompagnateur`)."""

    role = RoleInvitationField(choices=RoleInvitation.choices, help_text="Rôle proposé.")
    departement = ChampCode(queryset=Departement.objects.all(), help_text="Département.")
    email = serializers.EmailField(help_text="Adresse électronique de la personne invitée.")
    membre = IdentifiantRelatedField(
        queryset=MembreInstance.objects.select_related("instance"),
        required=False,
        allow_null=True,
        help_text="Le membre de l'instance à relier (rôle membre_instance).",
    )
    accompagnateur = IdentifiantRelatedField(
        queryset=Accompagnateur.objects.all(),
        required=False,
        allow_null=True,
        help_text="La fiche du registre à relier (rôle accompagnateur).",
    )


@extend_schema_view(
    list=extend_schema(summary="Lister les invitations du personnel", parameters=[DEPARTEMENT]),
    retrieve=extend_schema(summary="Consulter une invitation", responses={200: InvitationSerializer, 404: INTROUVABLE}),
)
class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PageMixin):
    """Invitations du personnel d'un département : instructeur·rices, membres de l'instance, accompagnateur·rices."""

    serializer_class = InvitationSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Invitation]:
        qs = Invitation.objects.filter(departement__in=departements_administres(self.request.user))
        if code := self.request.query_params.get("departement"):
            qs = qs.none() if contient_octet_nul(code) else qs.filter(departement_id=code)
        return qs.select_related("invite_par").order_by("-invite_le", "-pk")

    @extend_schema(
        summary="Inviter une personne",
        description="Équipe nationale : tout département ; instructeur·rices : leurs départements. Le lien part par "
        "courriel, sert une fois et expire au bout de 14 jours.",
        request=CreationInvitationSerializer,
        responses={201: InvitationSerializer, 400: INVALIDE, 403: SANS_DROIT},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CreationInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        exiger(permissions.can_inviter_personnel(request.user, donnees["departement"].code))
        invitation = services_administration.invitation_creer(
            acteur=request.user,
            role=donnees["role"],
            departement=donnees["departement"],
            email=donnees["email"],
            membre=donnees.get("membre"),
            accompagnateur=donnees.get("accompagnateur"),
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Annuler une invitation", request=None, responses={200: InvitationSerializer, **REPONSES_ERREUR}
    )
    @action(detail=True, methods=["post"])
    def annuler(self, request: Request, pk: str | None = None) -> Response:
        invitation = services_administration.invitation_annuler(acteur=request.user, invitation=self.get_object())
        return Response(InvitationSerializer(invitation).data)


# --- A département's instructeurs -----------------------------------------------------------------------------------


class InstructeurSerializer(serializers.ModelSerializer):
    prenom = serializers.CharField(source="user.prenom", read_only=True, help_text="Prénom.")
    nom = serializers.CharField(source="user.nom", read_only=True, help_text="Nom.")
    email = serializers.CharField(source="user.email", read_only=True, help_text="Adresse électronique.")

    class Meta:
        model = Instructeur
        fields = ["id", "prenom", "nom", "email"]
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("departement_code", str, OpenApiParameter.PATH, description="Code du département (COG).")
    ]
)
@extend_schema_view(
    list=extend_schema(
        summary="Lister les instructeur·rices d'un département",
        responses={200: InstructeurSerializer(many=True), 403: SANS_DROIT, 404: INTROUVABLE},
    ),
)
class InstructeurAdministrationViewSet(mixins.ListModelMixin, PageMixin):
    """Instructeur·rices d'un département ; l'équipe nationale en retire."""

    serializer_class = InstructeurSerializer
    http_method_names = ["get", "post", "head", "options"]

    def _departement(self) -> Departement:
        departement: Departement = get_object_or_404(Departement, code=code_du_chemin(self.kwargs["departement_code"]))
        exiger(permissions.can_voir_equipe(self.request.user, departement.code))
        return departement

    def get_queryset(self) -> QuerySet[Instructeur]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Instructeur.objects.none()
        return instructeurs_du_departement(self._departement().code)

    @extend_schema(
        summary="Retirer un·e instructeur·rice du département",
        description="Équipe nationale seulement. Le compte et ses autres départements restent.",
        request=None,
        responses={204: None, **REPONSES_ERREUR},
    )
    @action(detail=True, methods=["post"])
    def retirer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        departement = self._departement()
        instructeur = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        exiger(permissions.can_retirer_instructeur(request.user, departement.code))
        services_administration.instructeur_retirer(
            acteur=request.user, instructeur=instructeur, departement=departement
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
