"""Helpers of the practice-sheet tests (R14): sheets in each state, built through the real services, on top of the
shared `distribution` (collectif A and B of the Loire, their référents, the instructeurs of the Loire and of the
Rhône, national staff), plus collectif A's accompagnateur."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils import timezone

from collectifs.enums import ModeConsentement
from collectifs.models import Collectif
from collectifs.services import DonneesConsentement
from instances.services import accompagnateur_affecter
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique, Theme
from mutualisation.services import fiches as services
from tests.comptes.factories import UserFactory
from tests.instances.factories_seances import AccompagnateurFactory
from tests.mondes import SurDistribution

CONTEXTE = "Au pied des tours de Montreynaud, beaucoup de familles mangent seules ; le centre social cherchait un lieu."
DEMARCHE = (
    "Les habitantes ont d'abord cuisiné une fois par mois dans la salle commune, puis les équipes du centre social "
    "et de la mairie ont rejoint le collectif pour ouvrir une cuisine partagée."
)


def donnees(
    titre: str = "Une cuisine partagée au pied des immeubles",
    themes: tuple[str, ...] = ("alimentation",),
    **champs: Any,
) -> services.DonneesFiche:
    """A complete sheet (it can be proposed): title, context, approach, one theme."""
    valeurs: dict[str, Any] = {
        "titre": titre,
        "annee": timezone.localdate().year,
        "resume": "Des repas partagés qui ont fait naître un collectif d'habitant·es.",
        "contexte": CONTEXTE,
        "demarche": DEMARCHE,
        "territoire": "Montreynaud, Saint-Étienne",
        "themes": tuple(Theme.objects.filter(code__in=themes).values_list("pk", flat=True)),
        **champs,
    }
    return services.DonneesFiche(**valeurs)


def consentement() -> DonneesConsentement:
    return DonneesConsentement(
        pour_le_compte_de="Le collectif, réunion du 3 mars",
        mode=ModeConsentement.PAPIER,
        recueilli_le=timezone.localdate(),
    )


def fiche_dans_l_etat(
    etat: str, collectif: Collectif, referent: Any, instructeur: Any, national: Any, **champs: Any
) -> FichePratique:
    """A sheet of the collectif brought to `etat` through the services (the référent writes and proposes, the
    Loire's instructeur publishes, national staff retain)."""
    fiche = services.fiche_creer(acteur=referent, collectif=collectif, donnees=donnees(**champs))
    if etat == EtatFiche.BROUILLON:
        return fiche
    services.fiche_proposer(acteur=referent, fiche=fiche)
    if etat == EtatFiche.PROPOSEE:
        return FichePratique.objects.get(pk=fiche.pk)
    services.fiche_publier(acteur=instructeur, fiche=fiche)
    if etat == EtatFiche.RETENUE:
        services.fiche_retenir(acteur=national, fiche=fiche)
    return FichePratique.objects.get(pk=fiche.pk)


@dataclass
class MondeFiches(SurDistribution):
    """Collectif A has a sheet in each state (titles « Brouillon A », « Proposée A », « Publiée A », « Retenue A »),
    an accompagnateur; collectif B a draft « Brouillon B »."""

    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("accompagnateur",)

    accompagnateur: Any
    fiches: dict[str, FichePratique]
    brouillon_b: FichePratique

    def fiche(self, etat: str) -> FichePratique:
        return FichePratique.objects.get(pk=self.fiches[etat].pk)


def construire(distribution: Any) -> MondeFiches:
    accompagnateur = UserFactory(email="accompagnatrice@exemple.fr")
    accompagnateur_affecter(
        acteur=distribution.instructeur_42,
        collectif=distribution.collectif_a,
        accompagnateur=AccompagnateurFactory(user=accompagnateur, email=accompagnateur.email),
    )
    d = distribution
    fiches = {
        etat: fiche_dans_l_etat(etat, d.collectif_a, d.referent_a, d.instructeur_42, d.national, titre=f"{libelle} A")
        for etat, libelle in EtatFiche.choices
    }
    brouillon_b = fiche_dans_l_etat(
        EtatFiche.BROUILLON, d.collectif_b, d.referent_b, d.instructeur_42, d.national, titre="Brouillon B"
    )
    return MondeFiches(distribution=d, accompagnateur=accompagnateur, fiches=fiches, brouillon_b=brouillon_b)
