"""Helpers of the synthesis and national-report tests (R15): a small funded Loire whose 2027 figures are known, and
transmitted syntheses built from given figures (for the consolidation)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from collectifs.enums import College, EtatDeclaration
from collectifs.models import Declaration
from comptes.models import User
from fonds.enums import EtatMiseADisposition
from fonds.models import MiseADisposition
from fonds.services import bilan_deposer, bilan_valider
from mutualisation.enums import EtatFiche, EtatRencontre, EtatSynthese
from mutualisation.models import FichePratique, InvitationRencontre, Rencontre, SyntheseDepartementale, Theme
from mutualisation.selectors.syntheses import SECTIONS, montant
from territoires.models import Departement
from tests.collectifs.factories import DeclarationFactory, MembreFactory
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee
from tests.fonds.parcours_bilans import CollectifFinance, collectif_finance, donnees_completes

ANNEE = 2027
# Generation happens once the year is over.
APRES = datetime.datetime(ANNEE + 1, 2, 1, 10, 0, tzinfo=datetime.UTC)


@dataclass
class LoireSynthese:
    """The Loire in 2027: two agreed collectifs (tranche 1 of 10 000 € each; only the first paid), one recevable and
    one refused declaration, the first collectif's year-1 check-in validated, two published sheets and a draft, two
    meetings held and one cancelled, one acknowledged secondment at 15 %."""

    monde: LoireFinancee
    premier: CollectifFinance
    second: CollectifFinance
    instructeur: User
    national: User
    loire: Departement


def loire_2027(*, instructeur: User | None = None, national: User | None = None) -> LoireSynthese:
    monde = loire_financee(
        enveloppes={ANNEE: E("100000"), ANNEE + 1: E("100000"), ANNEE + 2: E("100000")},
        instructeur=instructeur,
        national=national,
    )
    campagne = campagne_ouverte(monde, annee=ANNEE)
    premier = collectif_finance(monde, nom="Collectif du Soleil", campagne=campagne)
    second = collectif_finance(monde, nom="Collectif de la Lune", campagne=campagne, payer=False)
    DeclarationFactory(campagne=campagne, recevable=True)
    DeclarationFactory(campagne=campagne, refusee=True)
    DeclarationFactory(campagne=campagne)  # a draft: not counted
    bilan = premier.bilan(1)
    bilan_deposer(acteur=premier.referent, bilan=bilan, donnees=donnees_completes(premier))
    bilan_valider(acteur=monde.instructeur, bilan=bilan)
    loire = Departement.objects.get(code="42")
    alimentation, habitat = Theme.objects.get(code="alimentation"), Theme.objects.get(code="logement-habitat")
    for rang, (etat, publiee_le) in enumerate(
        [
            (EtatFiche.PUBLIEE, datetime.datetime(ANNEE, 5, 3, 12, tzinfo=datetime.UTC)),
            (EtatFiche.RETENUE, datetime.datetime(ANNEE, 9, 8, 12, tzinfo=datetime.UTC)),
            (EtatFiche.BROUILLON, None),
            (EtatFiche.PUBLIEE, datetime.datetime(ANNEE - 1, 12, 31, 12, tzinfo=datetime.UTC)),  # 2026: not counted
        ]
    ):
        fiche = FichePratique.objects.create(
            collectif=premier.collectif,
            departement=loire,
            annee=ANNEE,
            titre=f"Fiche {rang}",
            etat=etat,
            publiee_le=publiee_le,
            cree_par=premier.referent,
        )
        fiche.themes.set([alimentation] if rang == 0 else [alimentation, habitat])
    for rang, (jour, annulee) in enumerate(
        [(datetime.date(ANNEE, 3, 10), False), (datetime.date(ANNEE, 10, 2), False), (datetime.date(ANNEE, 6, 1), True)]
    ):
        rencontre = Rencontre.objects.create(
            departement=loire,
            date=datetime.datetime(jour.year, jour.month, jour.day, 14, tzinfo=datetime.UTC),
            lieu="Saint-Étienne",
            theme=f"Rencontre {rang}",
            annulee_le=timezone.now() if annulee else None,
            etat=EtatRencontre.ANNULEE if annulee else EtatRencontre.PREVUE,
            cree_par=monde.instructeur,
        )
        InvitationRencontre.objects.create(
            rencontre=rencontre, collectif=premier.collectif, present=True, nombre_personnes=4
        )
        InvitationRencontre.objects.create(rencontre=rencontre, collectif=second.collectif, present=False)
    professionnel = MembreFactory(
        collectif=premier.collectif, college=College.PROFESSIONNEL, prenom="Karim", nom="Benali"
    )
    MiseADisposition.objects.create(
        collectif=premier.collectif,
        convention=premier.convention,
        membre=professionnel,
        employeur=premier.collectif.institutions_origine.first(),
        quotite=Decimal("15"),
        date_debut=datetime.date(ANNEE, 2, 1),
        date_fin=datetime.date(ANNEE, 11, 30),
        plan_continuite="Une collègue assure l'accueil.",
        email_employeur="rh@exemple.fr",
        etat=EtatMiseADisposition.PRISE_ACTE,
        demandee_par=premier.referent,
    )
    return LoireSynthese(monde, premier, second, monde.instructeur, monde.national, loire)


def chiffres_fixes(code: str, nom: str, annee: int, *, agreees: int, engage: str, verse: str, **extra: Any) -> dict:
    """Frozen figures of a synthesis, in the shape of `chiffres_synthese` (for the consolidation tests)."""
    par_etat = {e: 0 for e in EtatDeclaration.values if e != EtatDeclaration.BROUILLON}
    par_etat[EtatDeclaration.AGREEE] = agreees
    par_etat[EtatDeclaration.REFUSEE] = extra.get("refusees", 0)
    return {
        "version": 1,
        "annee": annee,
        "departement": {"code": code, "nom": nom},
        "declarations": {"total": sum(par_etat.values()), "par_etat": par_etat},
        "places": {"quota": agreees + 2, "agreees": agreees},
        "argent": {
            "engage": engage,
            "verse": verse,
            "reste_a_verser": montant(Decimal(engage) - Decimal(verse)),
            "conventions": agreees,
        },
        "bilans": {
            "valides": agreees,
            "collectifs": agreees,
            "indicateurs_renseignes": 2 * agreees,
            "niveaux": {
                "information": 0,
                "consultation": 1,
                "co_construction": agreees - 1 if agreees else 0,
                "co_decision": 0,
            },
            "rencontres": 10,
            "participants": 40,
            "habitants": 25,
        },
        "fiches": {"publiees": extra.get("fiches", 1), "par_theme": {"alimentation": extra.get("fiches", 1)}},
        "rencontres": {"tenues": 2, "objectif": 2, "collectifs_presents": agreees, "personnes": 12},
        "mises_a_disposition": {"personnes": 1, "quotite_totale": "12.50"},
    }


def synthese_transmise(
    code: str, annee: int, etat: str = EtatSynthese.TRANSMISE, **figures: Any
) -> SyntheseDepartementale:
    """A synthesis frozen with these figures, as if transmitted."""
    departement = Departement.objects.get(code=code)
    chiffres = chiffres_fixes(code, departement.nom, annee, **figures)
    assert set(SECTIONS) <= set(chiffres)
    return SyntheseDepartementale.objects.create(
        departement=departement,
        annee=annee,
        etat=etat,
        chiffres=chiffres,
        generee_le=timezone.now(),
        texte_instance="Une année de rencontres.",
        transmise_le=timezone.now(),
    )


def apres_l_annee() -> time_machine.travel:
    return time_machine.travel(APRES, tick=True)


__all__ = [
    "ANNEE",
    "Declaration",
    "LoireSynthese",
    "apres_l_annee",
    "chiffres_fixes",
    "loire_2027",
    "synthese_transmise",
]
