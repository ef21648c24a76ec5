"""API of a collectif's members, in the three colleges (R1): a person counts once; a membership ends with a
date, nothing is deleted (R19); inhabitants need no e-mail (R20). The accompagnateur, or a référent for a member
without e-mail, enters a member on the person's behalf with their consent, shown on the member (R10, R20).
Writes go through services.collectif, which decides who may enter what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs import permissions, selectors, services
from collectifs.api.collectifs import INTROUVABLE, OrganisationSerializer, donnees_organisation
from collectifs.api.consentement import (
    ConsentementMembreSerializer,
    SaisiePourLeCompteSerializer,
    donnees_consentement,
    erreurs_de_saisie,
)
from collectifs.models import (
    Collectif,
    Membre,
    Organisation,
)
from collectifs.services import DonneesConsentement, DonneesMembre, DonneesOrganisation
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from core.api_champs import LibelleChoix


def _organisation_actuelle(organisation: Organisation | None) -> DonneesOrganisation | None:
    if organisation is None:
        return None
    return DonneesOrganisation(nom=organisation.nom, siret=organisation.siret, rna=organisation.rna)


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

# R10, R20: the consent of a proxy entry, as typed (write only); `saisi_pour_le_compte` is how it reads back.
SAISIE_POUR_LE_COMPTE = "saisie_pour_le_compte"
AIDE_SAISIE_POUR_LE_COMPTE = (
    "Saisie pour le compte de la personne (R10, R20) : comment et quand elle a donné son accord. Obligatoire pour "
    "l'accompagnateur·rice du collectif ; possible pour un·e référent·e, pour un membre sans adresse électronique. "
    "Chaque saisie pour le compte de la personne enregistre un nouvel accord."
)


def _saisie_pour_le_compte() -> ConsentementMembreSerializer:
    return ConsentementMembreSerializer(
        required=False, allow_null=True, write_only=True, help_text=AIDE_SAISIE_POUR_LE_COMPTE
    )


class MembreSerializer(serializers.ModelSerializer):
    """A member as read, and as added (no end date at creation)."""

    college_libelle = LibelleChoix(source="get_college_display", help_text="Collège, en toutes lettres.")
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
    saisie_pour_le_compte = _saisie_pour_le_compte()
    saisi_pour_le_compte = SaisiePourLeCompteSerializer(
        source="consentement_saisie",
        read_only=True,
        allow_null=True,
        help_text="La dernière saisie faite pour le compte de la personne, avec son accord (R10, R20) ; "
        "null pour une saisie ordinaire.",
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
            "saisie_pour_le_compte",
            "saisi_pour_le_compte",
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
    saisie_pour_le_compte = _saisie_pour_le_compte()

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
            "saisie_pour_le_compte",
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
    list=extend_schema(
        summary="Lister les membres d'un collectif",
        description="Membres actuels et passés ; pour chacun, "
        "la dernière saisie faite pour son compte et son accord (R10, R20).",
    ),
    retrieve=extend_schema(summary="Consulter un membre", responses={200: MembreSerializer, 404: INTROUVABLE}),
)
class MembreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
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

    def _exiger_saisie(self, collectif: Collectif) -> None:
        """403 before reading the body for whoever may not enter members at all (instructeurs, national staff);
        the service decides the rest (R10, R20): the accompagnateur only with the person's consent."""
        exiger(permissions.can_saisir_pour_le_compte(self.request.user, collectif))

    @extend_schema(
        summary="Ajouter un membre",
        description="Référent·es du collectif, et son accompagnateur·rice avec l'accord de la personne "
        "(`saisie_pour_le_compte`, obligatoire dans ce cas ; R10, R20). Un·e référent·e peut aussi saisir pour le "
        "compte d'un membre sans adresse électronique, avec son accord. L'accord est enregistré : qui a saisi, pour "
        "le compte de qui, comment et quand l'accord a été donné. Une même personne ne peut pas être saisie deux "
        "fois.",
        request=MembreSerializer,
        responses={201: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def create(self, request: Request, collectif_pk: str | None = None) -> Response:
        collectif = self._collectif()
        self._exiger_saisie(collectif)
        serializer = MembreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        pour_autrui = donnees_consentement(donnees.get(SAISIE_POUR_LE_COMPTE))
        with _erreurs_de_saisie(pour_autrui):
            membre = services.membre_ajouter(
                acteur=request.user,
                collectif=collectif,
                donnees=DonneesMembre(
                    college=donnees["college"],
                    prenom=donnees["prenom"],
                    nom=donnees["nom"],
                    consentement=donnees["consentement"],
                    fonction=donnees.get("fonction", ""),
                    organisation=donnees_organisation(donnees.get("organisation")),
                    email=donnees.get("email", ""),
                    telephone=donnees.get("telephone", ""),
                    date_debut=donnees.get("date_debut"),
                ),
                pour_autrui=pour_autrui,
            )
        return Response(MembreSerializer(membre).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un membre ou mettre fin à son adhésion",
        description="Référent·es du collectif, et son accompagnateur·rice avec l'accord de la personne "
        "(`saisie_pour_le_compte`, obligatoire dans ce cas ; R10, R20) : chaque saisie pour le compte de la "
        "personne enregistre un nouvel accord. `date_fin` met fin à l'adhésion ; rien n'est supprimé.",
        request=MembreModificationSerializer,
        responses={200: MembreSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def partial_update(self, request: Request, pk: str | None = None, collectif_pk: str | None = None) -> Response:
        membre = self.get_object()
        self._exiger_saisie(self._collectif())
        serializer = MembreModificationSerializer(membre, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        donnees = serializer.validated_data
        organisation = (
            donnees_organisation(donnees["organisation"])
            if "organisation" in donnees
            else _organisation_actuelle(membre.organisation)
        )
        pour_autrui = donnees_consentement(donnees.get(SAISIE_POUR_LE_COMPTE))
        with _erreurs_de_saisie(pour_autrui):
            membre = services.membre_modifier(
                acteur=request.user,
                membre=membre,
                donnees=DonneesMembre(
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
                ),
                pour_autrui=pour_autrui,
            )
        return Response(MembreSerializer(membre).data)


@contextmanager
def _erreurs_de_saisie(pour_autrui: DonneesConsentement | None) -> Iterator[None]:
    """The service's refusals, with the consent's messages next to `saisie_pour_le_compte` (R10, R20)."""
    try:
        yield
    except DjangoValidationError as erreur:
        raise erreurs_de_saisie(erreur, SAISIE_POUR_LE_COMPTE, accord_donne=pour_autrui is not None) from erreur
