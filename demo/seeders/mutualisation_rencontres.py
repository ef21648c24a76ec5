"""Seeds the Loire's departmental meetings of this year (R13): one held two weeks ago, with its attendance (counts
only) and its shared notes, and one planned next month. The agreed collectifs of the Loire are invited (their
référents' invitations are queued like any other e-mail). Idempotent: a meeting whose theme exists this year is
left as it is."""

from __future__ import annotations

import datetime

from django.utils import timezone

from comptes.models import User
from mutualisation.models import Rencontre
from mutualisation.selectors.rencontres import collectifs_invitables
from mutualisation.services import rencontres as services
from territoires.models import Departement

THEME_TENUE = "Aller vers les habitant·es qu'on ne voit jamais"
THEME_PREVUE = "Partager les pratiques de participation"
NOTES = (
    "Cinq collectifs ont raconté comment ils rencontrent les habitant·es là où ils sont : au pied des immeubles, à "
    "la sortie de l'école, au marché.\n\n"
    "Trois pistes sont ressorties : commencer par un moment convivial plutôt qu'une réunion ; laisser les "
    "habitant·es fixer l'ordre du jour ; rendre compte de ce qui a changé grâce à leur parole.\n\n"
    "Prochaine rencontre : les pratiques de participation, avec les fiches publiées dans le catalogue."
)


def _date_tenue(maintenant: datetime.datetime) -> datetime.datetime:
    """Two weeks ago, at 18:00, but within this year (early January: the first days of the year)."""
    local = timezone.localtime(maintenant)
    tenue = (local - datetime.timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    if tenue.year != local.year:
        tenue = local.replace(month=1, day=1, hour=0, minute=30, second=0, microsecond=0)
    return min(tenue, maintenant - datetime.timedelta(minutes=1))


def rencontres_loire(instructrice: User) -> list[Rencontre]:
    """R13: the Loire's two meetings of this year, planned by its instructrice."""
    loire = Departement.objects.get(code="42")
    maintenant = timezone.now()
    annee = timezone.localdate().year
    invites = list(collectifs_invitables("42"))
    rencontres = []
    for theme, date, lieu in (
        (THEME_TENUE, _date_tenue(maintenant), "Maison de quartier de Montreynaud, Saint-Étienne"),
        (
            THEME_PREVUE,
            timezone.localtime(maintenant + datetime.timedelta(days=30)).replace(
                hour=18, minute=0, second=0, microsecond=0
            ),
            "Centre social du Soleil, Saint-Étienne",
        ),
    ):
        existante = Rencontre.objects.filter(departement=loire, theme=theme, date__year=annee).first()
        if existante is not None:
            rencontres.append(existante)
            continue
        rencontres.append(
            services.rencontre_planifier(
                acteur=instructrice,
                departement=loire,
                donnees=services.DonneesRencontre(
                    date=date,
                    lieu=lieu,
                    theme=theme,
                    description="18 h : accueil. 18 h 30 : tour des collectifs. 19 h 30 : échanges en petits groupes.",
                ),
                collectifs=invites,
            )
        )
    tenue = rencontres[0]
    if tenue.compte_rendu_le is None and tenue.date <= maintenant:
        presences = {
            c.pk: services.Presence(present=rang < 3, nombre_personnes=(6 - rang) if rang < 3 else None)
            for rang, c in enumerate(invites)
        }
        services.rencontre_presences_enregistrer(acteur=instructrice, rencontre=tenue, presences=presences)
        services.rencontre_compte_rendu_partager(acteur=instructrice, rencontre=tenue, texte=NOTES)
    return list(Rencontre.objects.filter(pk__in=[r.pk for r in rencontres]).order_by("date"))
