"""Forms of the personal-data pages (R20)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui import Formulaire, au_plus
from personnes.services import LONGUEUR_MOTIF


class RechercheForm(Formulaire):
    """National staff look a person up by name or e-mail (GET)."""

    q = forms.CharField(label=_("Nom, prénom ou adresse électronique"), max_length=200, required=False)


class AnonymisationForm(Formulaire):
    """The reason of an anonymisation, and the confirmation that it cannot be undone."""

    motif = forms.CharField(
        label=_("Motif de l'anonymisation"),
        help_text=au_plus(
            LONGUEUR_MOTIF, str(_("Par exemple : demande reçue par courrier le 3 mars. Ne citez pas la personne."))
        ),
        max_length=LONGUEUR_MOTIF,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirmation = forms.BooleanField(
        label=_(
            "Je confirme : le nom, l'adresse et le téléphone de cette personne seront remplacés partout, "
            "sans retour possible."
        ),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer l'anonymisation.")},
    )
