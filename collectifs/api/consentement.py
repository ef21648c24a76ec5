"""How the consent of a proxy entry is typed and read through the API (R10, R20): the collectif's accompagnateur,
or a référent for a member without e-mail, enters data on someone's behalf (a member, the collectif) only with
their consent, recorded by `services.consentement_enregistrer`. Shared by the members (api.membres) and the
yearly check-ins (fonds.api.bilans)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers

from collectifs.enums import ModeConsentement
from collectifs.models import Consentement
from collectifs.services import DonneesConsentement
from core.api_champs import LibelleChoix

# The service's field names of a consent (services.consentement_enregistrer).
CHAMPS_CONSENTEMENT = ("pour_le_compte_de", "mode", "precision", "recueilli_le")


class ConsentementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """R10, R20: the consent to an entry on someone's behalf (a member, or the collectif), as typed."""

    pour_le_compte_de = serializers.CharField(
        max_length=200, help_text="Qui a donné son accord : la personne concernée, ou qui parle au nom du collectif."
    )
    mode = serializers.ChoiceField(choices=ModeConsentement.choices, help_text="Comment l'accord a été donné.")
    precision = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Précision (si « autre »)."
    )
    recueilli_le = serializers.DateField(help_text="Date de l'accord (pas dans le futur).")


class ConsentementMembreSerializer(ConsentementSerializer):
    """R10, R20: a member's consent to an entry on their behalf; it names the member unless said otherwise."""

    pour_le_compte_de = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Facultatif : par défaut, le prénom et le nom du membre saisi.",
    )


def donnees_consentement(valeurs: Mapping[str, Any] | None) -> DonneesConsentement | None:
    """A consent as validated by ConsentementSerializer, for the services; None when none was given."""
    if not valeurs:
        return None
    return DonneesConsentement(
        pour_le_compte_de=valeurs.get("pour_le_compte_de", ""),
        mode=valeurs["mode"],
        recueilli_le=valeurs["recueilli_le"],
        precision=valeurs.get("precision", ""),
    )


def erreurs_de_saisie(erreur: DjangoValidationError, champ: str, accord_donne: bool) -> exceptions.ValidationError:
    """A service's refusal of an entry, with the consent's messages next to `champ` (the nested consent field):
    the messages on the consent given go inside it; without consent, the refusal of a proxy entry that needs one
    (the service puts it on « mode ») goes on the field itself. The member's own messages stay where they are."""
    if not hasattr(erreur, "error_dict"):
        return exceptions.ValidationError({"non_field_errors": erreur.messages})
    messages: dict[str, Any] = dict(erreur.message_dict)
    if not accord_donne:
        if "mode" in messages:
            messages[champ] = messages.pop("mode")
        return exceptions.ValidationError(messages)
    imbriquees = {nom: messages.pop(nom) for nom in CHAMPS_CONSENTEMENT if nom in messages}
    if imbriquees:
        messages[champ] = imbriquees
    return exceptions.ValidationError(messages)


class SaisiePourLeCompteSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """R10, R20: a proxy entry as read, « saisi par … pour le compte de … », with how and when consent was given."""

    saisi_par = serializers.StringRelatedField(help_text="Qui a saisi, pour le compte de la personne.")  # type: ignore[var-annotated]
    mode_libelle = LibelleChoix(source="get_mode_display", help_text="Comment l'accord a été donné, en toutes lettres.")

    class Meta:
        model = Consentement
        fields = ["saisi_par", "pour_le_compte_de", "mode", "mode_libelle", "precision", "recueilli_le", "saisi_le"]
        read_only_fields = fields
        extra_kwargs = {
            "pour_le_compte_de": {"help_text": "Qui a donné son accord."},
            "mode": {"help_text": "oral, papier ou autre."},
            "precision": {"help_text": "Précision (si « autre »)."},
            "recueilli_le": {"help_text": "Date de l'accord."},
            "saisi_le": {"help_text": "Date et heure de la saisie pour le compte de la personne."},
        }
