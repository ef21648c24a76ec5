"""Reads of the departmental syntheses (R15): who sees which, and the figures a synthesis is generated from.

The figures (`chiffres_synthese`) are a JSON snapshot with a documented, versioned shape, frozen at transmission so
that the national report can be reproduced to the cent later. Every leaf under the SECTIONS is summable: an
integer count, or an amount as a string of a Decimal with two places (« 12345.60 », so that sums are exact).
Aggregates only: no name, no e-mail, no free text of a collectif (R11, R20).

    {
      "version": 1,
      "annee": 2027,
      "departement": {"code": "42", "nom": "Loire"},
      "declarations": {"total": int, "par_etat": {<EtatDeclaration>: int, …}},   # the year's campaigns, drafts out
      "places": {"quota": int, "agreees": int},               # quota of the year's campaigns, agreed declarations
      "argent": {"engage": "0.00", "verse": "0.00", "reste_a_verser": "0.00", "conventions": int},
          # tranches of budget year `annee` not cancelled (committed), their payments (paid), conventions concerned
      "bilans": {"valides": int, "collectifs": int, "indicateurs_renseignes": int,
                 "niveaux": {<NiveauParticipation>: int, …},
                 "rencontres": int, "participants": int, "habitants": int},   # validated check-ins of the year
      "fiches": {"publiees": int, "par_theme": {<Theme.code>: int, …}},      # published (or retained) that year
      "rencontres": {"tenues": int, "objectif": int, "collectifs_presents": int, "personnes": int},
      "mises_a_disposition": {"personnes": int, "quotite_totale": "0.00"}  # acknowledged, overlapping the year
    }
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from comptes.models import Acteur
from comptes.permissions import connecte
from core.graphiques import Graphique, Serie, graphique_barres
from fonds.enums import EtatBilan, EtatMiseADisposition, EtatTranche, NiveauParticipation
from fonds.models import BilanAnnuel, MiseADisposition, Tranche, ValeurIndicateur, Versement
from fonds.services.grand_livre import euros
from mutualisation.enums import FICHE_PUBLIQUE
from mutualisation.models import RENCONTRES_PAR_AN, FichePratique, Rencontre, SyntheseDepartementale, Theme
from mutualisation.models.rencontres import InvitationRencontre
from territoires.models import Departement

VERSION_CHIFFRES = 1
# The parts of `chiffres` whose leaves are summed by the national report (the rest is metadata).
SECTIONS = ("declarations", "places", "argent", "bilans", "fiches", "rencontres", "mises_a_disposition")
ZERO = Decimal("0.00")
CENTIME = Decimal("0.01")


def montant(valeur: Decimal | None) -> str:
    """An amount as stored in `chiffres`: a Decimal string with two places (« 1234.50 »)."""
    return str((valeur or ZERO).quantize(CENTIME))


def _somme(champ: str) -> Coalesce:
    return Coalesce(Sum(champ), ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))


def _bornes(annee: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year as aware instants in Europe/Paris: [1 January 00:00, next 1 January 00:00)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(annee, 1, 1, tzinfo=zone),
        datetime.datetime(annee + 1, 1, 1, tzinfo=zone),
    )


# --- Visibility ------------------------------------------------------------------------------------------------


def _syntheses() -> QuerySet[SyntheseDepartementale]:
    return SyntheseDepartementale.objects.select_related(
        "departement", "generee_par", "transmise_par", "document", "rapport"
    )


def syntheses_visibles(user: Acteur, departements: list[str] | None = None) -> QuerySet[SyntheseDepartementale]:
    """R15: national staff read every synthesis; instructeurs those of their départements; instance members those
    of their instance's département. Hidden syntheses give 404. `departements`: the user's, when already read."""
    if not connecte(user):
        return SyntheseDepartementale.objects.none()
    qs = _syntheses()
    if user.est_equipe_nationale:
        return qs
    return qs.filter(departement_id__in=departements if departements is not None else departements_des_syntheses(user))


def departements_instruits(user: Acteur) -> list[str]:
    """The codes of the départements this user instructs (one query)."""
    if not connecte(user):
        return []
    return list(Departement.objects.filter(instructeurs__user=user).order_by("code").values_list("code", flat=True))


def departements_des_syntheses(user: Acteur, instruits: list[str] | None = None) -> list[str]:
    """The codes of the départements whose syntheses this user reads: those they instruct, and that of the instance
    they are an active member of (national staff: every one, handled by the caller)."""
    if not connecte(user):
        return []
    instruits = departements_instruits(user) if instruits is None else instruits
    instances = Departement.objects.filter(instance__membres__user=user, instance__membres__actif=True).values_list(
        "code", flat=True
    )
    return sorted(set(instruits) | set(instances))


# --- Figures -----------------------------------------------------------------------------------------------------


def _declarations(code: str, annee: int) -> dict[str, Any]:
    lignes = (
        Declaration.objects.filter(campagne__departement_id=code, campagne__annee=annee)
        .exclude(etat=EtatDeclaration.BROUILLON)
        .order_by()
        .values("etat")
        .annotate(n=Count("pk"))
    )
    par_etat = {etat: 0 for etat in EtatDeclaration.values if etat != EtatDeclaration.BROUILLON}
    for ligne in lignes:
        par_etat[ligne["etat"]] = ligne["n"]
    return {"total": sum(par_etat.values()), "par_etat": par_etat}


def _places(code: str, annee: int, agreees: int) -> dict[str, Any]:
    quota = Campagne.objects.filter(departement_id=code, annee=annee).aggregate(q=Coalesce(Sum("quota"), 0))["q"]
    return {"quota": quota, "agreees": agreees}


def _argent(code: str, annee: int) -> dict[str, Any]:
    tranches = Tranche.objects.filter(convention__departement_id=code, annee=annee).exclude(etat=EtatTranche.ANNULEE)
    engage = tranches.aggregate(s=_somme("montant"), n=Count("convention_id", distinct=True))
    verse = Versement.objects.filter(tranche__in=tranches.values("pk")).aggregate(s=_somme("montant"))["s"]
    return {
        "engage": montant(engage["s"]),
        "verse": montant(verse),
        "reste_a_verser": montant(engage["s"] - verse),
        "conventions": engage["n"],
    }


def _bilans(code: str, annee: int) -> dict[str, Any]:
    bilans = BilanAnnuel.objects.filter(convention__departement_id=code, annee=annee, etat=EtatBilan.VALIDE)
    totaux = bilans.aggregate(
        valides=Count("pk"),
        collectifs=Count("convention__declaration__collectif", distinct=True),
        rencontres=Coalesce(Sum("nombre_rencontres"), 0),
        participants=Coalesce(Sum("nombre_participants"), 0),
        habitants=Coalesce(Sum("nombre_habitants"), 0),
    )
    niveaux = dict.fromkeys(NiveauParticipation.values, 0)
    for ligne in (
        bilans.exclude(niveau_participation="").order_by().values("niveau_participation").annotate(n=Count("pk"))
    ):
        niveaux[ligne["niveau_participation"]] = ligne["n"]
    renseignes = (
        ValeurIndicateur.objects.filter(bilan__in=bilans.values("pk"))
        .filter(Q(nombre__isnull=False) | ~Q(texte=""))
        .count()
    )
    return {
        "valides": totaux["valides"],
        "collectifs": totaux["collectifs"],
        "indicateurs_renseignes": renseignes,
        "niveaux": niveaux,
        "rencontres": totaux["rencontres"],
        "participants": totaux["participants"],
        "habitants": totaux["habitants"],
    }


def _fiches(code: str, annee: int) -> dict[str, Any]:
    debut, fin = _bornes(annee)
    fiches = FichePratique.objects.filter(
        departement_id=code, etat__in=FICHE_PUBLIQUE, publiee_le__gte=debut, publiee_le__lt=fin
    )
    par_theme = {
        ligne["code"]: ligne["n"]
        for ligne in Theme.objects.filter(fiches__in=fiches.values("pk"))
        .order_by()
        .values("code")
        .annotate(n=Count("fiches", distinct=True))
    }
    return {"publiees": fiches.count(), "par_theme": dict(sorted(par_theme.items()))}


def _rencontres(code: str, annee: int, maintenant: datetime.datetime) -> dict[str, Any]:
    debut, fin = _bornes(annee)
    tenues = Rencontre.objects.filter(
        departement_id=code, date__gte=debut, date__lt=min(fin, maintenant), annulee_le__isnull=True
    )
    presences = InvitationRencontre.objects.filter(rencontre__in=tenues.values("pk"), present=True).aggregate(
        collectifs=Count("collectif", distinct=True), personnes=Coalesce(Sum("nombre_personnes"), 0)
    )
    return {
        "tenues": tenues.count(),
        "objectif": RENCONTRES_PAR_AN,
        "collectifs_presents": presences["collectifs"],
        "personnes": presences["personnes"],
    }


def _mises_a_disposition(code: str, annee: int) -> dict[str, Any]:
    totaux = MiseADisposition.objects.filter(
        collectif__departement_id=code,
        etat=EtatMiseADisposition.PRISE_ACTE,
        date_debut__lte=datetime.date(annee, 12, 31),
        date_fin__gte=datetime.date(annee, 1, 1),
    ).aggregate(personnes=Count("membre", distinct=True), quotite=_somme("quotite"))
    return {"personnes": totaux["personnes"], "quotite_totale": montant(totaux["quotite"])}


def chiffres_synthese(departement: Departement, annee: int, maintenant: datetime.datetime | None = None) -> dict:
    """R15: the figures of a département's year, from the data (see the module's docstring for the shape). Meetings
    count once held (date past, not cancelled); everything else counts as it stands now."""
    code = departement.code
    declarations = _declarations(code, annee)
    return {
        "version": VERSION_CHIFFRES,
        "annee": annee,
        "departement": {"code": code, "nom": departement.nom},
        "declarations": declarations,
        "places": _places(code, annee, declarations["par_etat"][EtatDeclaration.AGREEE]),
        "argent": _argent(code, annee),
        "bilans": _bilans(code, annee),
        "fiches": _fiches(code, annee),
        "rencontres": _rencontres(code, annee, maintenant or timezone.now()),
        "mises_a_disposition": _mises_a_disposition(code, annee),
    }


# --- What pages and PDFs show --------------------------------------------------------------------------------------


def _entier(valeur: Any) -> str:
    return f"{int(valeur):,}".replace(",", "\u202f")


def _euros(valeur: Any) -> str:
    return euros(Decimal(str(valeur)))


def lignes_chiffres(chiffres: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures as labelled rows grouped by section, formatted in French, for a page or a PDF."""
    if not chiffres:
        return []
    d, p, a, b = chiffres["declarations"], chiffres["places"], chiffres["argent"], chiffres["bilans"]
    f, r, m = chiffres["fiches"], chiffres["rencontres"], chiffres["mises_a_disposition"]
    return [
        (
            "Déclarations et places",
            [
                ("Déclarations déposées sur les campagnes de l'année", _entier(d["total"])),
                ("Collectifs agréés", _entier(p["agreees"])),
                ("Places ouvertes (quota)", _entier(p["quota"])),
                ("En liste d'attente", _entier(d["par_etat"].get(EtatDeclaration.EN_ATTENTE, 0))),
                ("Refusées", _entier(d["par_etat"].get(EtatDeclaration.REFUSEE, 0))),
            ],
        ),
        (
            "Financements de l'année budgétaire",
            [
                ("Montant engagé (tranches de l'année)", _euros(a["engage"])),
                ("Montant versé", _euros(a["verse"])),
                ("Reste à verser", _euros(a["reste_a_verser"])),
                ("Conventions concernées", _entier(a["conventions"])),
            ],
        ),
        (
            "Bilans et indicateurs des collectifs",
            [
                ("Bilans annuels validés", _entier(b["valides"])),
                ("Indicateurs renseignés", _entier(b["indicateurs_renseignes"])),
                ("Rencontres tenues par les collectifs", _entier(b["rencontres"])),
                ("Personnes ayant pris part (total déclaré)", _entier(b["participants"])),
                ("dont habitant·es ou personnes concernées", _entier(b["habitants"])),
            ],
        ),
        (
            "Mutualisation",
            [
                ("Fiches pratiques publiées", _entier(f["publiees"])),
                (f"Rencontres départementales tenues (objectif : {r['objectif']})", _entier(r["tenues"])),
                ("Collectifs présents aux rencontres", _entier(r["collectifs_presents"])),
                ("Personnes mises à disposition", _entier(m["personnes"])),
                ("Quotité totale mise à disposition (points de %)", m["quotite_totale"].replace(".", ",")),
            ],
        ),
    ]


def _libelles(choix: Iterable[tuple[str, str]]) -> dict[str, str]:
    return dict(choix)


def graphiques_synthese(chiffres: dict[str, Any], prefixe: str = "syn") -> list[Graphique]:
    """R15: the synthesis's charts (the same SVG in the page and the PDF): declarations by state, participation
    levels reached, and committed against paid money."""
    if not chiffres:
        return []
    etats = _libelles(EtatDeclaration.choices)
    par_etat = chiffres["declarations"]["par_etat"]
    niveaux = _libelles(NiveauParticipation.choices)
    graphiques = [
        graphique_barres(
            identifiant=f"{prefixe}-declarations",
            titre="Déclarations par état",
            description="Nombre de déclarations des campagnes de l'année, par état (brouillons exclus).",
            libelle_categories="État",
            categories=[etats[e] for e in par_etat],
            series=[Serie("Déclarations", [par_etat[e] for e in par_etat])],
        ),
        graphique_barres(
            identifiant=f"{prefixe}-argent",
            titre="Montants engagés et versés",
            description="Tranches de l'année budgétaire : montant engagé, versé et reste à verser, en euros.",
            libelle_categories="Montant",
            categories=["Engagé", "Versé", "Reste à verser"],
            series=[
                Serie(
                    "Euros",
                    [Decimal(chiffres["argent"][c]) for c in ("engage", "verse", "reste_a_verser")],
                    formater=_euros,
                )
            ],
        ),
        graphique_barres(
            identifiant=f"{prefixe}-participation",
            titre="Niveaux de participation atteints",
            description="Nombre de bilans annuels validés de l'année, par niveau de participation atteint.",
            libelle_categories="Niveau",
            categories=[niveaux[n] for n in chiffres["bilans"]["niveaux"]],
            series=[Serie("Bilans", list(chiffres["bilans"]["niveaux"].values()))],
        ),
    ]
    return graphiques
