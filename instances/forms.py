"""Campaign forms (R3), and the forms of the instance's séances (R5, R6)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from dsfr.widgets import InlineRadioSelect

from campagnes.models import Campagne
from core.ui import DATE, Formulaire, au_plus
from fonds.services.grand_livre import euros
from instances.enums import ChoixVote, MotifRefus
from instances.models import LONGUEUR_ENTREE_JOURNAL, LONGUEUR_MOTIFS_REFUS, MembreInstance

# ---------------------------------------------------------------------------------------------------------------
# The instance and its séances (R5, R6). Per-point forms take their choices as lists built once for the page, so
# that rendering the agenda costs no query per point.
# ---------------------------------------------------------------------------------------------------------------


def libelle_membre(membre: MembreInstance) -> str:
    """« Prénom Nom — Institution · collège », with « voix consultative » for non-voting members."""
    consultatif = "" if membre.votant else " · voix consultative"
    return f"{membre.prenom} {membre.nom} — {membre.institution} · {membre.get_college_display()}{consultatif}"


class ChoixCampagne(forms.ModelChoiceField):
    """A campaign, shown as « 2027 (ouverte) »."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.annee} ({obj.get_etat_display().lower()})"


class ChoixMembres(forms.ModelMultipleChoiceField):
    """Members of the instance, each with institution and college."""

    def label_from_instance(self, obj: Any) -> str:
        return libelle_membre(obj)


class SeanceForm(Formulaire):
    """Prepare a séance: when, where, for which campaign, and who is convened (R5)."""

    jour = forms.DateField(label="Date de la séance", widget=DATE)
    heure = forms.TimeField(
        label="Heure de début",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Par ex. 14:30",
    )
    lieu = forms.CharField(label="Lieu", max_length=200, required=False, help_text="Adresse ou salle de réunion.")
    campagne = ChoixCampagne(label="Campagne", queryset=Campagne.objects.none(), empty_label="Choisissez une campagne")
    convoques = ChoixMembres(
        label="Membres convoqués",
        queryset=MembreInstance.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Convoquez au moins un membre de l'instance."},
    )

    def __init__(self, *args: Any, campagnes: Any, membres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campagne"].queryset = campagnes  # type: ignore[attr-defined]
        self.fields["convoques"].queryset = membres  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        jour, heure = donnees.get("jour"), donnees.get("heure")
        if jour is not None and heure is not None:
            donnees["date"] = timezone.make_aware(datetime.datetime.combine(jour, heure))
        return donnees


class PresencesForm(Formulaire):
    """Attendance: the members present (R5). Unticking everyone is allowed (no one came)."""

    presents = forms.TypedMultipleChoiceField(
        label="Membres présents", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, membres: list[MembreInstance], convoques: set[int] | None = None, **kwargs: Any
    ) -> None:
        """`convoques`: the pks of the convened members; the others are marked « non convoqué·e »."""
        super().__init__(*args, **kwargs)
        self.membres = {m.pk: m for m in membres}
        self.fields["presents"].choices = [  # type: ignore[attr-defined]
            (m.pk, libelle_membre(m) + ("" if convoques is None or m.pk in convoques else " · non convoqué·e"))
            for m in membres
        ]

    def clean_presents(self) -> list[MembreInstance]:
        return [self.membres[pk] for pk in self.cleaned_data["presents"]]


class ConflitForm(Formulaire):
    """A conflict of interest with the collectif of one point: that member will not vote on it (R5)."""

    membre = forms.TypedChoiceField(
        label="Membre en conflit d'intérêts",
        coerce=int,
        help_text="Il ou elle se retire du débat sur ce point et, s'il ou elle a voix délibérative, ne vote pas.",
    )
    commentaire = forms.CharField(
        label="Précision",
        max_length=300,
        required=False,
        help_text="Facultatif. Par ex. « administratrice de l'association porteuse ».",
    )

    def __init__(self, *args: Any, membres: list[MembreInstance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membres = {m.pk: m for m in membres}
        choix: list[tuple[Any, str]] = [(m.pk, libelle_membre(m)) for m in membres]
        if len(membres) != 1:
            choix.insert(0, ("", "Choisissez un membre"))
        self.fields["membre"].choices = choix  # type: ignore[attr-defined]

    def clean_membre(self) -> MembreInstance:
        return self.membres[self.cleaned_data["membre"]]


class VotesForm(Formulaire):
    """One radio group pour / contre / abstention per present voting member without a conflict (R5)."""

    def __init__(self, *args: Any, votants: list[MembreInstance], votes: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.votants = votants
        for membre in votants:
            self.fields[f"vote_{membre.pk}"] = forms.ChoiceField(
                label=f"{membre.prenom} {membre.nom} — {membre.institution}",
                choices=ChoixVote.choices,
                widget=InlineRadioSelect,
                required=False,
                initial=votes.get(membre.pk),
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        votes = {m: donnees[f"vote_{m.pk}"] for m in self.votants if donnees.get(f"vote_{m.pk}")}
        if not votes:
            raise forms.ValidationError("Indiquez le vote d'au moins un membre.")
        donnees["votes"] = votes
        return donnees


class MotifsRefusForm(Formulaire):
    """The ground and written reasons of a refusal (R5). The service says what is missing, in French."""

    motif_refus = forms.ChoiceField(
        label="Motif du refus", choices=[("", "Choisissez un motif"), *MotifRefus.choices], required=False
    )
    motifs = forms.CharField(
        label="Motivation écrite",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONGUEUR_MOTIFS_REFUS,
        help_text=au_plus(
            LONGUEUR_MOTIFS_REFUS, "Obligatoire si la déclaration est refusée ; elle figure sur la décision."
        ),
    )


class MontantsForm(Formulaire):
    """R7: the three yearly tranches the instance gives, before deciding: the campaign's minimum by default, more
    within what the campaign's reservation still has (the service checks, and says which year falls short)."""

    def __init__(self, *args: Any, campagne: Campagne, montants: list[Decimal | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minimum = campagne.montant_minimal_annuel
        for rang, montant in enumerate(montants, start=1):
            self.fields[f"montant_annee_{rang}"] = forms.DecimalField(
                label=f"Tranche {rang} — {campagne.annee + rang - 1} (€)",
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=montant if montant is not None else minimum,
                help_text=f"Au moins {euros(minimum)} (le minimum de la campagne, si vide).",
            )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean() or {}
        donnees["montants"] = [donnees.get(f"montant_annee_{rang}") for rang in range(1, 4)]
        return donnees


class MotifsEquiteForm(Formulaire):
    """R17: the written reasons for agreeing despite the equity warning; printed on the decision."""

    motifs_equite = forms.CharField(
        label="Motifs de la dérogation au plafond par institution",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONGUEUR_MOTIFS_REFUS,
        help_text=au_plus(
            LONGUEUR_MOTIFS_REFUS,
            "Obligatoire pour agréer ce collectif malgré l'alerte d'équité ; ils figurent sur la décision.",
        ),
    )


# ---------------------------------------------------------------------------------------------------------------
# The research-action journal (R10)
# ---------------------------------------------------------------------------------------------------------------


class EntreeJournalForm(Formulaire):
    """A dated entry of the accompagnateur's research-action journal (R10)."""

    date = forms.DateField(
        label="Date",
        widget=DATE,
        help_text="Le jour de ce que vous relatez (une réunion, un atelier…), aujourd'hui au plus tard.",
    )
    texte = forms.CharField(
        label="Entrée du journal",
        max_length=LONGUEUR_ENTREE_JOURNAL,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=au_plus(
            LONGUEUR_ENTREE_JOURNAL,
            "Ce que vous avez observé, les questions, les pistes. Visible du collectif et du service instructeur.",
        ),
    )
