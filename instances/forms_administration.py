"""Forms of the administration of a département's instance and staff (issue 11): the instance's settings, its
members and the presidency rotation (R5, R6), the registry of accompagnateur·rices (R10), the staff invitations
and their acceptance. They validate the input; the rules are in instances.services_administration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from comptes.forms import InscriptionForm
from core.ui import DATE, Formulaire
from instances.enums import CollegeInstance
from instances.forms import libelle_membre
from instances.models import InstanceDepartementale, MembreInstance
from territoires.models import Departement

AIDE_QUORUM = (
    "Le quorum est atteint quand plus de ce pourcentage des membres à voix délibérative sont présents : 50 veut "
    "dire « plus de la moitié »."
)


class InstanceForm(Formulaire):
    """The instance's settings; the département is chosen on creation only."""

    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.none(), empty_label="Choisissez le département"
    )
    nom = forms.CharField(label="Nom de l'instance", max_length=200)
    quorum_pourcentage = forms.IntegerField(
        label="Quorum (pourcentage des membres votants)", min_value=0, max_value=99, initial=50, help_text=AIDE_QUORUM
    )
    duree_mandat_mois = forms.IntegerField(
        label="Durée du mandat de la présidence (mois)",
        min_value=1,
        max_value=72,
        initial=12,
        help_text="La présidence tourne entre les institutions membres ; 12 mois par défaut.",
    )
    contact_email = forms.EmailField(
        label="Adresse électronique de contact",
        required=False,
        help_text="Le secrétariat que les collectifs contactent (« Besoin d'aide ? »).",
    )
    contact_telephone = forms.CharField(label="Téléphone de contact", max_length=30, required=False)
    contact_horaires = forms.CharField(
        label="Horaires de contact",
        max_length=200,
        required=False,
        help_text="Par exemple : du lundi au vendredi, 9 h – 12 h",
    )

    def __init__(self, *args: Any, departements: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departements is None:
            del self.fields["departement"]
        else:
            self.fields["departement"].queryset = departements  # type: ignore[attr-defined]

    @staticmethod
    def initial_de(instance: InstanceDepartementale) -> dict[str, Any]:
        return {
            "nom": instance.nom,
            "quorum_pourcentage": int(instance.quorum_fraction * 100),
            "duree_mandat_mois": instance.duree_mandat_mois,
            "contact_email": instance.contact_email,
            "contact_telephone": instance.contact_telephone,
            "contact_horaires": instance.contact_horaires,
        }

    @staticmethod
    def fraction(pourcentage: int) -> Decimal:
        """The model's quorum fraction (0.50) of the percentage typed (50)."""
        return Decimal(pourcentage) / Decimal(100)


class MembreInstanceForm(Formulaire):
    """A member of the instance: who, which institution and college, voting or not; on creation, the rank in the
    presidency rotation and the e-mail to invite."""

    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    institution = forms.CharField(label="Institution représentée", max_length=200)
    college = forms.ChoiceField(label="Collège", choices=[("", "Choisissez le collège"), *CollegeInstance.choices])
    votant = forms.BooleanField(
        label="Voix délibérative",
        required=False,
        initial=True,
        help_text="Décochez pour une voix consultative : le membre siège sans voter ni compter pour le quorum.",
    )
    rang_rotation = forms.IntegerField(
        label="Rang dans la rotation de la présidence",
        min_value=1,
        required=False,
        help_text="Laissez vide pour le placer en dernier ; les membres suivants reculent d'un rang.",
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        help_text="Facultatif : la personne recevra une invitation à créer son compte (ou à relier le sien).",
    )

    def __init__(self, *args: Any, creation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creation:
            del self.fields["rang_rotation"]
            del self.fields["email"]

    @staticmethod
    def initial_de(membre: MembreInstance) -> dict[str, Any]:
        return {
            "prenom": membre.prenom,
            "nom": membre.nom,
            "institution": membre.institution,
            "college": membre.college,
            "votant": membre.votant,
        }


class FinMandatForm(Formulaire):
    """The day a membership ends."""

    fin = forms.DateField(label="Date de fin du mandat", widget=DATE, help_text="Aujourd'hui ou une date passée.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"fin": timezone.localdate()})
        super().__init__(*args, **kwargs)


class OrdreRotationForm(Formulaire):
    """The presidency rotation order: one rank per member (sitting members first by default). Two members may not
    share a rank."""

    def __init__(self, *args: Any, membres: list[MembreInstance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membres = membres
        for rang, membre in enumerate(membres, start=1):
            fin = "" if membre.actif else " (ne siège plus)"
            self.fields[f"rang_{membre.pk}"] = forms.IntegerField(
                label=f"{libelle_membre(membre)}{fin}", min_value=1, max_value=len(membres), initial=rang
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        vus: dict[int, str] = {}
        for membre in self.membres:
            champ = f"rang_{membre.pk}"
            rang = donnees.get(champ)
            if rang is None:
                continue
            if rang in vus:
                self.add_error(champ, f"Le rang {rang} est déjà donné à {vus[rang]} : chaque rang ne sert qu'une fois.")
            else:
                vus[rang] = f"{membre.prenom} {membre.nom}"
        return donnees

    def ordre(self) -> list[MembreInstance]:
        return sorted(self.membres, key=lambda m: self.cleaned_data[f"rang_{m.pk}"])


class AccompagnateurForm(Formulaire):
    """An entry of the registry of accompagnateur·rices (R10)."""

    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    structure = forms.CharField(label="Structure", max_length=200, required=False)
    email = forms.EmailField(
        label="Adresse électronique", required=False, help_text="Pour la contacter et l'inviter à créer son compte."
    )


class InvitationForm(Formulaire):
    """The e-mail address to invite."""

    email = forms.EmailField(
        label="Adresse électronique de la personne invitée",
        max_length=254,
        help_text="Elle reçoit un lien, valable 14 jours et une seule fois.",
    )


class AcceptationForm(InscriptionForm):
    """Create one's account from an invitation: the address is the invited one and cannot be changed."""

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        champ = self.fields["email"]
        champ.disabled = True
        champ.initial = email
        champ.help_text = "L'adresse à laquelle l'invitation a été envoyée."

    def clean_email(self) -> str:
        # Disabled: the invited address (the service refuses it when an account already uses it).
        return str(self.fields["email"].initial)
