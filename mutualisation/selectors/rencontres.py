"""Reads of the departmental meetings (R13), scoped to a user: hidden meetings give 404.

A meeting is « tenue » (held) once its date has passed, unless it was cancelled: the département's yearly count is
compared with RENCONTRES_PAR_AN (R13: at least two a year by default)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale
from comptes.selectors import departements_instruits_par
from mutualisation.models import RENCONTRES_PAR_AN, InvitationRencontre, PieceRencontre, Rencontre
from territoires.models import Departement


def _avec_totaux(qs: QuerySet[Rencontre]) -> QuerySet[Rencontre]:
    """What a list shows per meeting: invited collectifs, those present and how many people came (aggregates)."""
    return qs.select_related("departement").annotate(
        nombre_invites=Count("invitations", distinct=True),
        nombre_presents=Count("invitations", filter=Q(invitations__present=True), distinct=True),
        nombre_personnes=Sum("invitations__nombre_personnes"),
    )


def rencontres_visibles(user: Acteur) -> QuerySet[Rencontre]:
    """R13: national staff read every meeting; instructeurs those of their départements; the référents and the
    current accompagnateur of a collectif the meetings it is invited to. Nobody else (404)."""
    if not connecte(user):
        return Rencontre.objects.none()
    qs = _avec_totaux(Rencontre.objects.all())
    if est_equipe_nationale(user):
        return qs
    instruites = Rencontre.objects.filter(departement__instructeurs__user=user).values("pk")
    invitees = InvitationRencontre.objects.filter(
        Q(collectif__referents=user)
        | Q(collectif__affectations__fin__isnull=True, collectif__affectations__accompagnateur__user=user)
    ).values("rencontre_id")
    return qs.filter(Q(pk__in=instruites) | Q(pk__in=invitees))


def rencontres_du_departement(departement_code: str) -> QuerySet[Rencontre]:
    """R13: a département's meetings, most recent first, with their aggregates (one query)."""
    return _avec_totaux(Rencontre.objects.filter(departement_id=departement_code)).order_by("-date", "-pk")


def _tenues(maintenant: datetime) -> Q:
    return Q(annulee_le__isnull=True, date__lte=maintenant)


def rencontres_tenues(departement: Departement | str, annee: int) -> int:
    """R13: how many meetings the département held in `annee` (local calendar year): date passed, not cancelled."""
    code = departement.code if isinstance(departement, Departement) else departement
    return Rencontre.objects.filter(_tenues(timezone.now()), departement_id=code, date__year=annee).count()


@dataclass(frozen=True)
class CompteurRencontres:
    """R13: a département's meetings held in a year against the target."""

    departement: Departement
    annee: int
    tenues: int
    attendues: int = RENCONTRES_PAR_AN

    @property
    def atteint(self) -> bool:
        return self.tenues >= self.attendues

    @property
    def texte(self) -> str:
        """« 1 rencontre tenue en 2027 sur 2 attendues au moins »."""
        tenues = f"{self.tenues} rencontre{'s' if self.tenues > 1 else ''} tenue{'s' if self.tenues > 1 else ''}"
        attendues = f"{self.attendues} attendue{'s' if self.attendues > 1 else ''} au moins"
        return f"{tenues} en {self.annee} sur {attendues}"


def compteur_rencontres(departement: Departement, annee: int) -> CompteurRencontres:
    """R13: the département's count for the year (one query)."""
    return CompteurRencontres(departement=departement, annee=annee, tenues=rencontres_tenues(departement, annee))


def compteurs_rencontres(user: Acteur, annee: int | None = None) -> list[CompteurRencontres]:
    """R13: the count of every département the user instructs (all of them for national staff), for the dashboard
    include `mutualisation/rencontres/_compteurs.html`: two queries, whatever the number of départements."""
    annee = annee or timezone.localdate().year
    departements = list(departements_instruits_par(user))
    if not departements:
        return []
    tenues = dict(
        Rencontre.objects.filter(
            _tenues(timezone.now()), departement__in=[d.code for d in departements], date__year=annee
        )
        .values_list("departement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [CompteurRencontres(departement=d, annee=annee, tenues=tenues.get(d.code, 0)) for d in departements]


def collectifs_invitables(departement_code: str) -> QuerySet[Collectif]:
    """R13: the collectifs of the département that may be invited: those agreed at least once (the collectifs the
    département recognised), by name."""
    agrees = Collectif.objects.filter(
        departement_id=departement_code, declarations__etat=EtatDeclaration.AGREEE
    ).values("pk")
    return Collectif.objects.filter(pk__in=agrees).order_by("nom", "pk")


def invitations_de(rencontre: Rencontre) -> list[InvitationRencontre]:
    """R13: the invited collectifs, by name, with their attendance (one query)."""
    return list(
        InvitationRencontre.objects.filter(rencontre=rencontre)
        .select_related("collectif")
        .order_by("collectif__nom", "pk")
    )


def pieces_de(rencontre: Rencontre) -> list[PieceRencontre]:
    """R13: the meeting's shared documents, oldest first (one query)."""
    return list(PieceRencontre.objects.filter(rencontre=rencontre).select_related("deposee_par"))
