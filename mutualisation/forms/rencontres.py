"""Forms of the departmental meetings (R13): plan or change a meeting, invite collectifs, record the attendance,
share the notes, upload a document, cancel. They check types and shapes; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from collectifs.models import Collectif
from core.ui import Formulaire, au_plus
from mutualisation.models import InvitationRencontre
from mutualisation.models.rencontres import LONGUEUR_COMPTE_RENDU, LONGUEUR_DESCRIPTION
from mutualisation.services.rencontres import (
    FORMATS_ACCEPTES,
    LONGUEUR_LIEU,
    LONGUEUR_MOTIF,
    LONGUEUR_THEME,
    LONGUEUR_TITRE_PIECE,
    PERSONNES_MAX,
    DonneesRencontre,
    Presence,
)

# A native date-and-time picker (what <input type="datetime-local"> sends and expects).
DATE_HEURE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CollectifsField(forms.ModelMultipleChoiceField):
    """The collectifs as a list of checkboxes labelled with their name."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.nom)


class RencontreForm(Formulaire):
    """R13: when, where, the theme and the programme; on planning, the collectifs invited."""

    date = forms.DateTimeField(
        label="Date et heure",
        widget=DATE_HEURE,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text="Par exemple 15/03/2027 18:30.",
        error_messages={
            "required": "Indiquez la date et l'heure de la rencontre.",
            "invalid": "Date et heure au format JJ/MM/AAAA HH:MM.",
        },
    )
    lieu = forms.CharField(
        label="Lieu",
        max_length=LONGUEUR_LIEU,
        help_text="Adresse ou nom de la salle.",
        error_messages={"required": "Indiquez le lieu de la rencontre."},
    )
    theme = forms.CharField(
        label="Thème",
        max_length=LONGUEUR_THEME,
        error_messages={"required": "Indiquez le thème de la rencontre."},
    )
    description = forms.CharField(
        label="Programme",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LONGUEUR_DESCRIPTION,
        required=False,
        help_text=au_plus(
            LONGUEUR_DESCRIPTION, "Facultatif : le déroulé, les intervenant·es, l'accessibilité du lieu."
        ),
    )

    def __init__(self, *args: Any, invitables: QuerySet[Collectif] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if invitables is not None:
            self.fields["collectifs"] = CollectifsField(
                label="Collectifs invités",
                queryset=invitables,
                required=False,
                help_text=(
                    "Les collectifs agréés du département. Leurs référent·es reçoivent l'invitation par courriel."
                ),
            )

    def donnees(self) -> DonneesRencontre:
        d = self.cleaned_data
        return DonneesRencontre(
            date=d.get("date"), lieu=d.get("lieu", ""), theme=d.get("theme", ""), description=d.get("description", "")
        )


class InvitationsForm(Formulaire):
    """R13: invite more collectifs (those not invited yet)."""

    def __init__(self, *args: Any, invitables: QuerySet[Collectif], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collectifs"] = CollectifsField(
            label="Collectifs à inviter",
            queryset=invitables,
            error_messages={"required": "Cochez au moins un collectif à inviter."},
        )


OUI_NON = [("", "Non renseigné"), ("oui", "Présent"), ("non", "Absent")]


class PresencesForm(Formulaire):
    """R13: per invited collectif, present or not and how many people came (a count, never names: R20)."""

    def __init__(self, *args: Any, invitations: list[InvitationRencontre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            pk = invitation.collectif_id
            self.fields[f"present_{pk}"] = forms.ChoiceField(
                label=f"{invitation.collectif.nom} : présence",
                choices=OUI_NON,
                required=False,
                initial={True: "oui", False: "non"}.get(invitation.present, ""),  # type: ignore[arg-type]
            )
            self.fields[f"nombre_{pk}"] = forms.IntegerField(
                label=f"{invitation.collectif.nom} : nombre de personnes venues",
                required=False,
                min_value=1,
                max_value=PERSONNES_MAX,
                initial=invitation.nombre_personnes,
                help_text="Un total, sans nom.",
            )

    def lignes(self) -> list[tuple[InvitationRencontre, Any, Any]]:
        return [(i, self[f"present_{i.collectif_id}"], self[f"nombre_{i.collectif_id}"]) for i in self.invitations]

    def presences(self) -> dict[int, Presence]:
        d = self.cleaned_data
        resultat = {}
        for invitation in self.invitations:
            pk = invitation.collectif_id
            present = {"oui": True, "non": False}.get(d.get(f"present_{pk}", ""))
            resultat[pk] = Presence(present=present, nombre_personnes=d.get(f"nombre_{pk}"))
        return resultat


class CompteRenduForm(Formulaire):
    """R13: the notes of the meeting, shared with the invited collectifs."""

    compte_rendu = forms.CharField(
        label="Notes de la rencontre",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=LONGUEUR_COMPTE_RENDU,
        help_text=au_plus(
            LONGUEUR_COMPTE_RENDU,
            "Partagées avec les collectifs invités. Ne nommez pas les habitant·es présent·es sans leur accord.",
        ),
        error_messages={"required": "Écrivez les notes avant de les partager."},
    )


class PieceForm(Formulaire):
    """R13: a document shared with the invited collectifs."""

    titre = forms.CharField(
        label="Titre du document",
        max_length=LONGUEUR_TITRE_PIECE,
        error_messages={"required": "Donnez un titre au document."},
    )
    fichier = forms.FileField(
        label="Fichier",
        help_text=f"10 Mo au plus. Formats acceptés : {FORMATS_ACCEPTES}.",
        error_messages={"required": "Choisissez le fichier à partager.", "empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.png,.jpg,.jpeg"}),
    )


class AnnulationForm(Formulaire):
    """R13: cancel the meeting, with a reason (the invited collectifs are told)."""

    motif = forms.CharField(
        label="Motif de l'annulation",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONGUEUR_MOTIF,
        help_text=au_plus(LONGUEUR_MOTIF, "Transmis aux collectifs invités."),
        error_messages={"required": "Indiquez pourquoi la rencontre est annulée."},
    )
