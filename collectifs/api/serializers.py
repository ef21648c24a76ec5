"""How a declaration and its documents are read through the API, shared by the filing endpoints
(api.declarations) and the instruction endpoints (api.instruction): texts, indicators, charter (R16),
récépissé (R2), issued documents (SPEC §6, R19)."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.reverse import reverse

from collectifs.enums import NatureIndicateur
from collectifs.models import (
    AdhesionCharte,
    Declaration,
    Indicateur,
)
from core.api_champs import LibelleChoix
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import derniers_documents


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


class DeclarationSerializer(serializers.ModelSerializer):
    """A declaration (read only: it changes through its own endpoints)."""

    collectif_nom = serializers.CharField(source="collectif.nom", read_only=True, help_text="Nom du collectif.")
    departement = serializers.CharField(
        source="collectif.departement_id", read_only=True, help_text="Code du département du collectif."
    )
    campagne_annee = serializers.IntegerField(
        source="campagne.annee", read_only=True, allow_null=True, help_text="Année de la campagne."
    )
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="État, en toutes lettres.")
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
            recepisses = recepisses_des([declaration])
        document = recepisses.get(declaration.pk)
        if document is None:
            return None
        return {"numero": document.numero, "url": url_recepisse(self.context.get("request"), declaration.pk)}


def url_recepisse(request: Request | None, declaration_pk: int) -> str:
    return str(reverse("declaration-recepisse", args=[declaration_pk], request=request))


def recepisses_des(declarations: list[Declaration]) -> dict[int, Document]:
    """The newest récépissé of each declaration of a page, keyed by declaration id, in one query."""
    return derniers_documents(Declaration, TypeDocument.RECEPISSE, [d.pk for d in declarations])


def url_document(request: Request | None, declaration_pk: int, numero: str) -> str:
    return str(reverse("declaration-document", args=[declaration_pk, numero], request=request))


class DocumentSerializer(serializers.ModelSerializer):
    """An issued document: numbered, hashed, never modified (SPEC §6, R19)."""

    type_libelle = LibelleChoix(source="get_type_display", help_text="Type, en toutes lettres.")
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
