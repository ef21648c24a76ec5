"""Helpers of the secondment tests (R9): collectif A of the shared `distribution` agreed in séance (its convention
runs 2028–2030), a professional member employed by its originating institution, and the employer's login."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from campagnes.services import campagne_clore
from collectifs.enums import College
from collectifs.models import Membre, Organisation
from fonds.models import Convention, MiseADisposition
from fonds.services import DonneesMiseADisposition, mise_a_disposition_demander
from tests.comptes.factories import UserFactory
from tests.fonds.parcours import LoireFinancee, campagne_ouverte
from tests.fonds.test_vues_conventions import agreer_declaration, compte_employeur, financer_loire
from tests.mondes import SurDistribution
from tests.vues import membre

ANNEE = 2028
DEBUT = datetime.date(ANNEE, 3, 1)
FIN = datetime.date(ANNEE, 8, 31)
PLAN = "Pendant les mardis de Karim Benali, sa collègue Sophie Delorme assure l'accueil du centre social."


@dataclass
class MondeMAD(SurDistribution):
    """Collectif A funded (convention 2028–2030), Karim Benali (PROFESSIONNEL, employed by the originating
    institution), Josette Granger (HABITANT), an employer's login of that institution and a member of the
    Loire's instance with an account."""

    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("employeur", "membre_instance", "financeur")

    fonds: LoireFinancee
    convention: Convention
    institution: Organisation
    professionnel: Membre
    habitant: Membre
    employeur: Any
    membre_instance: Any
    financeur: Any


def construire(distribution: Any) -> MondeMAD:
    fonds = financer_loire(distribution)
    campagne_clore(acteur=distribution.instructeur_42, campagne=distribution.campagne)
    campagne = campagne_ouverte(fonds, annee=ANNEE)
    declaration = agreer_declaration(fonds, campagne, distribution.collectif_a)
    collectif = distribution.collectif_a
    institution = collectif.institutions_origine.first()
    institution.nom = "Centre social de Montreynaud"
    institution.save()
    professionnel = membre(
        collectif, College.PROFESSIONNEL, "Karim", "Benali", organisation=institution, fonction="Animateur"
    )
    habitant = membre(collectif, College.HABITANT, "Josette", "Granger", organisation=institution)
    employeur = compte_employeur(institution, distribution.referent_a)
    votant = fonds.membres[0]
    votant.user = UserFactory(email="votante.instance@exemple.fr")
    votant.save()
    financeur = UserFactory(email="financeur.mad@exemple.fr")
    return MondeMAD(
        distribution=distribution,
        fonds=fonds,
        convention=Convention.objects.get(declaration=declaration),
        institution=institution,
        professionnel=professionnel,
        habitant=habitant,
        employeur=employeur,
        membre_instance=votant.user,
        financeur=financeur,
    )


def donnees(m: MondeMAD, **champs: Any) -> DonneesMiseADisposition:
    valeurs = {
        "membre": m.professionnel,
        "quotite": Decimal("10"),
        "date_debut": DEBUT,
        "date_fin": FIN,
        "plan_continuite": PLAN,
        "email_employeur": m.employeur.email,
        **champs,
    }
    return DonneesMiseADisposition(**valeurs)


def demander(m: MondeMAD, **champs: Any) -> MiseADisposition:
    return mise_a_disposition_demander(acteur=m.referent_a, collectif=m.collectif_a, donnees=donnees(m, **champs))
