"""Reads of the prizes (R18), scoped to a user (hidden prizes give 404), and the public reads: the laureates of a
year (`laureats_publics`) and the catalogue's badges (`fiches_laureates`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum

from collectifs.enums import College
from collectifs.models import Collectif
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale
from mutualisation.enums import FICHE_PUBLIQUE, EtatPrix, NiveauPrix
from mutualisation.models import FichePratique, MembreJury, Nomination, NoteJury, Prix


def prix_visibles(user: Acteur) -> QuerySet[Prix]:
    """R18: national staff read every prize; instructeurs their départements' prizes and the national prizes;
    jurors the prizes they sit on. With the counts a list shows (one query)."""
    qs = Prix.objects.select_related("departement").annotate(
        nombre_nominations=Count("nominations", distinct=True), nombre_jures=Count("jury", distinct=True)
    )
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    filtre = Q(pk__in=MembreJury.objects.filter(user=user).values("prix_id"))
    if getattr(user, "instructeur", None) is not None:
        instruits = Prix.objects.filter(departement__instructeurs__user=user).values("pk")
        filtre |= Q(pk__in=instruits) | Q(niveau=NiveauPrix.NATIONAL)
    return qs.filter(filtre)


def nominations_du_prix(prix: Prix) -> list[Nomination]:
    """R18: the nominations with their sheet, collectif and scores so far (`total`, `nombre_notes`), best rank first
    once proclaimed (one query)."""
    return list(
        Nomination.objects.filter(prix=prix)
        .select_related("fiche", "fiche__collectif", "fiche__departement")
        .annotate(total=Sum("notes__note"), nombre_notes=Count("notes"))
        .order_by("rang", "fiche__titre", "pk")
    )


def moyenne(nomination: Nomination) -> Fraction | None:
    """The mean score of a nomination annotated by `nominations_du_prix` (exact, to compare ties); None unscored."""
    nombre = getattr(nomination, "nombre_notes", 0)
    return Fraction(int(nomination.total), nombre) if nombre else None  # type: ignore[attr-defined]


def jury_du_prix(prix: Prix) -> list[MembreJury]:
    """R18: the jury, by college then name (one query)."""
    return list(MembreJury.objects.filter(prix=prix).select_related("user"))


def colleges_manquants(prix: Prix) -> list[str]:
    """R18: the colleges (labels) without any juror yet: the jury must mirror all three."""
    presents = set(MembreJury.objects.filter(prix=prix).values_list("college", flat=True))
    return [libelle for valeur, libelle in College.choices if valeur not in presents]


def collectifs_en_conflit(user: Acteur) -> set[int]:
    """R18: the collectifs a person may not score: those they are a référent of, or a member of (recorded with
    their account's e-mail address). One query."""
    if not connecte(user):
        return set()
    referent = Collectif.objects.filter(referents=user).values("pk")
    membre = Collectif.objects.filter(membres__email__iexact=user.email).values("pk")
    return set(Collectif.objects.filter(Q(pk__in=referent) | Q(pk__in=membre)).values_list("pk", flat=True))


def notes_du_jure(user: Acteur, prix: Prix) -> dict[int, NoteJury]:
    """The scores this juror gave, by nomination (one query)."""
    if not connecte(user):
        return {}
    return {
        n.nomination_id: n
        for n in NoteJury.objects.filter(nomination__prix=prix, membre_jury__user=user).select_related("membre_jury")
    }


def fiches_nominables(prix: Prix) -> QuerySet[FichePratique]:
    """R18: what may still be nominated. Departmental prize: the département's published sheets. National prize:
    the laureates of the departmental prizes of the same year, once proclaimed."""
    deja = Nomination.objects.filter(prix=prix).values("fiche_id")
    if prix.niveau == NiveauPrix.NATIONAL:
        laureates = Nomination.objects.filter(
            laureat=True,
            prix__niveau=NiveauPrix.DEPARTEMENTAL,
            prix__annee=prix.annee,
            prix__etat=EtatPrix.PROCLAME,
        ).values("fiche_id")
        qs = FichePratique.objects.filter(pk__in=laureates)
    else:
        qs = FichePratique.objects.filter(departement_id=prix.departement_id, etat__in=FICHE_PUBLIQUE)
    return qs.exclude(pk__in=deja).select_related("collectif", "departement").order_by("titre", "pk")


@dataclass(frozen=True)
class Distinction:
    """A sheet's prize, for the catalogue's badge: « Lauréate du prix départemental 2027 (Loire) »."""

    niveau: str
    annee: int
    departement: str  # the département's name; empty for the national prize
    rang: int | None

    @property
    def libelle(self) -> str:
        if self.niveau == NiveauPrix.NATIONAL:
            return f"Lauréate du prix national {self.annee}"
        return f"Lauréate du prix départemental {self.annee} ({self.departement})"


def fiches_laureates(ids: list[int] | set[int]) -> dict[int, list[Distinction]]:
    """R18: for the catalogue, the proclaimed prizes each of these sheets won (one query), national first."""
    resultat: dict[int, list[Distinction]] = {}
    lignes = (
        Nomination.objects.filter(fiche_id__in=list(ids), laureat=True, prix__etat=EtatPrix.PROCLAME)
        .select_related("prix", "prix__departement")
        .order_by("-prix__niveau", "-prix__annee", "pk")
    )
    for n in lignes:
        prix = n.prix
        resultat.setdefault(n.fiche_id, []).append(
            Distinction(
                niveau=prix.niveau,
                annee=prix.annee,
                departement=prix.departement.nom if prix.departement is not None else "",
                rang=n.rang,
            )
        )
    return resultat


@dataclass(frozen=True)
class PalmaresPrix:
    """A proclaimed prize and its laureates, for the public page."""

    prix: Prix
    laureats: list[Nomination]


def laureats_publics(annee: int) -> list[PalmaresPrix]:
    """R18: the public list of a year's laureates: the national prize first, then the départements' (two queries).
    Only published sheets show (a sheet is public once published, R14); no juror, no score, no person."""
    prix = list(
        Prix.objects.filter(annee=annee, etat=EtatPrix.PROCLAME)
        .select_related("departement")
        .order_by("-niveau", "departement__nom")
    )
    laureats: dict[int, list[Nomination]] = {}
    for n in (
        Nomination.objects.filter(prix__in=prix, laureat=True, fiche__etat__in=FICHE_PUBLIQUE)
        .select_related("fiche", "fiche__collectif", "fiche__departement")
        .order_by("rang", "fiche__titre")
    ):
        laureats.setdefault(n.prix_id, []).append(n)
    return [PalmaresPrix(prix=p, laureats=laureats.get(p.pk, [])) for p in prix]
