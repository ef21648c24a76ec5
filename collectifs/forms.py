"""Forms of the declaration journey. They only shape input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone

from collectifs.enums import College, ModeConsentement, NatureIndicateur
from collectifs.models import (
    LONGUEUR_COMPLEMENTS,
    LONGUEUR_DESCRIPTION_INDICATEUR,
    LONGUEUR_MESSAGE,
    LONGUEUR_MOTIF,
    LONGUEUR_TERRITOIRE,
    LONGUEUR_TEXTE_DECLARATION,
    NOMBRE_MAX_INDICATEURS,
    Collectif,
    Membre,
    Message,
)
from collectifs.services import DonneesConsentement, DonneesIndicateur, DonneesMembre, DonneesOrganisation
from collectifs.validators import valider_codes_communes, valider_rna, valider_siret
from core.ui import DATE, Formulaire, au_plus
from territoires.selectors import departements, quartiers_prioritaires

TEXTE_LONG = forms.Textarea(attrs={"rows": 6})


class CollectifForm(Formulaire):
    """Step 1: who the collectif is and where it acts."""

    nom = forms.CharField(label="Nom du collectif", max_length=200)
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=departements(),
        empty_label="Choisissez un département",
        help_text="Le département où le collectif agit ; il ne pourra plus être changé.",
    )
    territoire = forms.CharField(
        label="Territoire d'action",
        max_length=LONGUEUR_TERRITOIRE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=au_plus(LONGUEUR_TERRITOIRE, "Commune(s), quartier, bassin de vie… en quelques mots."),
    )
    codes_communes = forms.CharField(
        label="Codes INSEE des communes",
        required=False,
        max_length=500,
        validators=[valider_codes_communes],
        help_text="Facultatif. Séparés par des espaces, ex. 42218 42095.",
    )
    quartiers_prioritaires = forms.ModelMultipleChoiceField(
        label="Quartiers prioritaires de la politique de la ville (facultatif)",
        queryset=quartiers_prioritaires().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Cochez les quartiers prioritaires du département où le collectif agit, s'il y en a. "
            "Ne cochez rien si le collectif n'agit dans aucun d'eux."
        ),
        error_messages={"invalid_choice": "Ce quartier prioritaire n'est pas dans la liste du département."},
    )

    def __init__(
        self, *args: Any, modification: bool = False, collectif: Collectif | None = None, **kwargs: Any
    ) -> None:
        """`collectif`: the one being edited; the quartiers prioritaires of its département are offered (R17), its
        current ones ticked. Without it (creation: the département is chosen in this very form) or when its
        département has none, the field is left out."""
        super().__init__(*args, **kwargs)
        if modification:
            del self.fields["departement"]
        quartiers = quartiers_prioritaires(collectif.departement) if collectif is not None else None
        if collectif is None or quartiers is None or not quartiers.exists():
            del self.fields["quartiers_prioritaires"]
            return
        self.fields["quartiers_prioritaires"].queryset = quartiers  # type: ignore[attr-defined]
        self.initial.setdefault("quartiers_prioritaires", list(collectif.quartiers_prioritaires.all()))


class InstitutionForm(Formulaire):
    """One originating institution of the collectif."""

    nom = forms.CharField(label="Nom de l'institution", max_length=200, required=False)
    siret = forms.CharField(
        label="SIRET", max_length=20, required=False, validators=[valider_siret], help_text="Facultatif : 14 chiffres."
    )
    rna = forms.CharField(
        label="Numéro RNA",
        max_length=12,
        required=False,
        validators=[valider_rna],
        help_text="Facultatif, pour une association : W suivi de 9 caractères.",
    )

    def donnees(self) -> DonneesOrganisation:
        return DonneesOrganisation(
            nom=self.cleaned_data.get("nom", ""),
            siret=self.cleaned_data.get("siret", ""),
            rna=self.cleaned_data.get("rna", ""),
        )


class BaseInstitutionFormSet(forms.BaseFormSet):
    def donnees(self) -> list[DonneesOrganisation]:
        return [f.donnees() for f in self.forms if f.cleaned_data.get("nom")]


InstitutionFormSet: type[BaseInstitutionFormSet] = forms.formset_factory(  # type: ignore[assignment]
    InstitutionForm, formset=BaseInstitutionFormSet, extra=3, max_num=10, validate_max=True
)


class MembreForm(Formulaire):
    """A person of the collectif. No e-mail needed (R20)."""

    college = forms.ChoiceField(label="Collège", choices=College.choices, widget=forms.RadioSelect)
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    fonction = forms.CharField(
        label="Fonction ou qualité",
        max_length=200,
        required=False,
        help_text="Facultatif, ex. adjointe aux solidarités, éducateur, habitante du quartier.",
    )
    organisation_nom = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Facultatif. Institution, structure ou association, même informelle.",
    )
    organisation_siret = forms.CharField(
        label="SIRET de l'organisation",
        max_length=20,
        required=False,
        validators=[valider_siret],
        help_text="Facultatif : 14 chiffres.",
    )
    organisation_rna = forms.CharField(
        label="RNA de l'association",
        max_length=12,
        required=False,
        validators=[valider_rna],
        help_text="Facultatif : W suivi de 9 caractères.",
    )
    email = forms.EmailField(
        label="Adresse électronique", required=False, help_text="Facultatif : beaucoup de membres n'en ont pas."
    )
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False, help_text="Facultatif.")
    date_debut = forms.DateField(
        label="Membre depuis le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Laissez vide pour aujourd'hui.",
    )
    date_fin = forms.DateField(
        label="Membre jusqu'au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Pour une personne qui quitte le collectif : elle ne compte plus après cette date.",
    )
    consentement = forms.BooleanField(
        label="La personne a donné son accord pour figurer dans la déclaration du collectif", required=False
    )

    @staticmethod
    def initial_de(membre: Membre) -> dict[str, Any]:
        """The form's values for an existing member (its correction, by a référent or on the person's behalf)."""
        organisation = membre.organisation
        return {
            "college": membre.college,
            "prenom": membre.prenom,
            "nom": membre.nom,
            "fonction": membre.fonction,
            "organisation_nom": organisation.nom if organisation else "",
            "organisation_siret": organisation.siret if organisation else "",
            "organisation_rna": organisation.rna if organisation else "",
            "email": membre.email,
            "telephone": membre.telephone,
            "date_debut": membre.date_debut,
            "date_fin": membre.date_fin,
            "consentement": membre.consentement,
        }

    def __init__(self, *args: Any, modification: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not modification:
            del self.fields["date_fin"]

    def donnees(self) -> DonneesMembre:
        """The member as typed, for membre_ajouter / membre_modifier (no end date when adding)."""
        d = self.cleaned_data
        return DonneesMembre(
            college=d["college"],
            prenom=d["prenom"],
            nom=d["nom"],
            fonction=d.get("fonction", ""),
            organisation=DonneesOrganisation(
                nom=d.get("organisation_nom", ""),
                siret=d.get("organisation_siret", ""),
                rna=d.get("organisation_rna", ""),
            ),
            email=d.get("email", ""),
            telephone=d.get("telephone", ""),
            date_debut=d.get("date_debut"),
            date_fin=d.get("date_fin"),
            consentement=d.get("consentement", False),
        )


class ConsentementDuCollectifMixin:
    """R10, R20: the consent fields of an entry on the collectif's behalf (a check-in, a practice sheet), added by
    `ajouter_consentement` when the accompagnateur types it; `consentement()` gives what the service records."""

    NOMS_CONSENTEMENT = ("consentement_pour", "consentement_mode", "consentement_precision", "consentement_le")
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    pour_le_compte: bool

    def ajouter_consentement(self, pour_le_compte: bool, aide: str) -> None:
        """`aide`: what « pour le compte de » means here, e.g. « Qui, au nom du collectif, vous a demandé de
        saisir ce bilan. »"""
        self.pour_le_compte = pour_le_compte
        if not pour_le_compte:
            return
        self.fields["consentement_pour"] = forms.CharField(
            label="Pour le compte de", max_length=200, required=False, help_text=aide
        )
        self.fields["consentement_mode"] = forms.ChoiceField(
            label="Comment l'accord a été donné",
            choices=[("", "Choisissez"), *ModeConsentement.choices],
            required=False,
        )
        self.fields["consentement_precision"] = forms.CharField(
            label="Précision (si « autre »)", max_length=200, required=False
        )
        self.fields["consentement_le"] = forms.DateField(
            label="Accord recueilli le", widget=DATE, required=False, initial=timezone.localdate
        )

    def champs_consentement(self) -> list[Any]:
        return [self[nom] for nom in self.NOMS_CONSENTEMENT if nom in self.fields]  # type: ignore[index]

    def consentement(self) -> DonneesConsentement | None:
        """The consent typed with a proxy entry; None when nothing was typed (the service then refuses it)."""
        if not self.pour_le_compte:
            return None
        d = self.cleaned_data
        if not (d.get("consentement_pour") or d.get("consentement_mode")):
            return None
        return DonneesConsentement(
            pour_le_compte_de=d.get("consentement_pour", ""),
            mode=d.get("consentement_mode", ""),
            precision=d.get("consentement_precision", ""),
            recueilli_le=d.get("consentement_le") or timezone.localdate(),
        )


class MembrePourAutruiForm(MembreForm):
    """A member entered on the person's behalf (R10, R20): the member, and how and when the person agreed that
    someone else types it. The accompagnateur must give the consent (the service refuses an entry without it);
    a référent gives it for a member without e-mail."""

    # Service field names of the consent → the fields of this form.
    RENVOIS = {"mode": "accord_mode", "precision": "accord_precision", "recueilli_le": "accord_recueilli_le"}

    accord_mode = forms.ChoiceField(
        label="Comment la personne a-t-elle donné son accord pour que vous saisissiez pour elle ?",
        choices=ModeConsentement.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    accord_precision = forms.CharField(
        label="Précision", max_length=200, required=False, help_text="Obligatoire pour « Autre » : comment ?"
    )
    accord_recueilli_le = forms.DateField(label="Accord recueilli le", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        if donnees.get("accord_mode") or donnees.get("accord_recueilli_le") or donnees.get("accord_precision"):
            if not donnees.get("accord_mode"):
                self.add_error("accord_mode", "Indiquez comment la personne a donné son accord.")
            if not donnees.get("accord_recueilli_le"):
                self.add_error("accord_recueilli_le", "Indiquez la date à laquelle l'accord a été recueilli.")
        return donnees

    def pour_autrui(self) -> DonneesConsentement | None:
        """The consent as typed, or None when the consent part is left empty (then no proxy entry)."""
        d = self.cleaned_data
        if not d.get("accord_mode"):
            return None
        return DonneesConsentement(
            pour_le_compte_de="",
            mode=d["accord_mode"],
            recueilli_le=d["accord_recueilli_le"],
            precision=d.get("accord_precision", ""),
        )


class ProjetForm(Formulaire):
    """Step 3: the pre-existing dynamic, the project, the additionality (R2). Saved even when incomplete."""

    dynamique_preexistante = forms.CharField(
        label="La dynamique collaborative qui existe déjà",
        required=False,
        max_length=LONGUEUR_TEXTE_DECLARATION,
        widget=TEXTE_LONG,
        help_text=au_plus(
            LONGUEUR_TEXTE_DECLARATION, "Depuis quand travaillez-vous ensemble ? Qu'avez-vous déjà fait ensemble ?"
        ),
    )
    projet = forms.CharField(
        label="Le projet du collectif",
        required=False,
        max_length=LONGUEUR_TEXTE_DECLARATION,
        widget=TEXTE_LONG,
        help_text=au_plus(LONGUEUR_TEXTE_DECLARATION, "Ce que vous voulez faire dans les trois années qui viennent."),
    )
    additionnalite = forms.CharField(
        label="Ce qui n'existerait pas sans le collectif",
        required=False,
        max_length=LONGUEUR_TEXTE_DECLARATION,
        widget=TEXTE_LONG,
        help_text=au_plus(LONGUEUR_TEXTE_DECLARATION, "Ce que chacun ne pourrait pas faire seul."),
    )


class IndicateurForm(Formulaire):
    """One of the collectif's own indicators."""

    libelle = forms.CharField(label="Intitulé de l'indicateur", max_length=200, required=False)
    nature = forms.ChoiceField(label="Nature", choices=NatureIndicateur.choices, initial=NatureIndicateur.QUALITATIF)
    description = forms.CharField(
        label="Comment l'observer",
        required=False,
        max_length=LONGUEUR_DESCRIPTION_INDICATEUR,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=au_plus(LONGUEUR_DESCRIPTION_INDICATEUR),
    )


class BaseIndicateurFormSet(forms.BaseFormSet):
    def ajouter_erreurs(self, messages: list[str]) -> None:
        """Show a service's refusal on top of the formset."""
        self.full_clean()
        self._non_form_errors = self.error_class(messages, error_class="nonform")

    def donnees(self) -> list[DonneesIndicateur]:
        return [
            DonneesIndicateur(
                libelle=f.cleaned_data["libelle"],
                description=f.cleaned_data.get("description", ""),
                nature=f.cleaned_data.get("nature") or NatureIndicateur.QUALITATIF,
            )
            for f in self.forms
            if f.cleaned_data.get("libelle")
        ]


IndicateurFormSet: type[BaseIndicateurFormSet] = forms.formset_factory(  # type: ignore[assignment]
    IndicateurForm,
    formset=BaseIndicateurFormSet,
    extra=0,
    min_num=NOMBRE_MAX_INDICATEURS,
    max_num=NOMBRE_MAX_INDICATEURS,
    validate_max=True,
)


class CharteForm(Formulaire):
    accepte = forms.BooleanField(
        label="J'ai lu la charte et je l'accepte au nom du collectif",
        error_messages={"required": "Cochez la case pour accepter la charte."},
    )


class RetraitForm(Formulaire):
    motif = forms.CharField(
        label="Motif du retrait",
        max_length=LONGUEUR_MOTIF,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=au_plus(LONGUEUR_MOTIF),
        error_messages={"required": "Indiquez le motif du retrait."},
    )


class InvitationForm(Formulaire):
    email = forms.EmailField(label="Adresse électronique de la personne à inviter")


class ReponseComplementsForm(Formulaire):
    """The collectif's answer to a request for more (R4): the service files the declaration again."""

    reponse = forms.CharField(
        label="Votre réponse à la demande",
        max_length=LONGUEUR_COMPLEMENTS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=au_plus(
            LONGUEUR_COMPLEMENTS,
            "Dites ce que vous avez complété ou corrigé. Votre réponse est transmise au service instructeur.",
        ),
        error_messages={"required": "Écrivez votre réponse à la demande."},
    )


def _extrait(texte: str, longueur: int = 60) -> str:
    texte = " ".join(texte.split())
    return texte if len(texte) <= longueur else texte[: longueur - 1].rstrip() + "…"


def _libelle_message(message: Message) -> str:
    quand = formats.date_format(timezone.localtime(message.envoye_le), "j F Y à H:i")
    return f"Message de {message.auteur} du {quand} : « {_extrait(message.texte)} »"


class MessageForm(Formulaire):
    """A message on the declaration's thread, new or in reply to one of its messages."""

    texte = forms.CharField(
        label="Votre message",
        max_length=LONGUEUR_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=au_plus(LONGUEUR_MESSAGE),
        error_messages={"required": "Écrivez votre message."},
    )
    parent = forms.ChoiceField(label="En réponse à", required=False)

    def __init__(self, *args: Any, fil: list[Message], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._messages = {str(m.pk): m for m in fil}
        champ = self.fields["parent"]
        assert isinstance(champ, forms.ChoiceField)
        champ.choices = [
            ("", "Aucun message : nouvelle conversation"),
            *((cle, _libelle_message(m)) for cle, m in self._messages.items()),
        ]
        if not fil:
            del self.fields["parent"]

    def clean_parent(self) -> Message | None:
        cle = self.cleaned_data.get("parent") or ""
        return self._messages.get(cle)
