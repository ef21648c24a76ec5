"""Helpers of the yearly check-in tests (R11): a signed collectif convention whose tranche 1 is paid, with two
indicators of its own, and a complete check-in as the collectif would type it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import NatureIndicateur
from collectifs.models import Collectif, Indicateur
from comptes.models import User
from fonds.enums import NiveauParticipation
from fonds.models import BilanAnnuel, Convention
from fonds.services import DonneesBilan, convention_signer, versement_enregistrer
from tests.fonds.parcours import LoireFinancee, agreer, campagne_ouverte, loire_financee


@dataclass
class CollectifFinance:
    monde: LoireFinancee
    convention: Convention
    collectif: Collectif
    referent: User
    indicateurs: list[Indicateur]

    def bilan(self, rang: int = 1) -> BilanAnnuel:
        return BilanAnnuel.objects.get(convention=self.convention, rang=rang)


def collectif_finance(
    monde: LoireFinancee | None = None,
    *,
    nom: str = "Collectif du Soleil",
    payer: bool = True,
    campagne: Campagne | None = None,
    **champs: object,
) -> CollectifFinance:
    """A Loire collectif agreed in a 2027 campaign (opened here unless given), its convention signed today and (by
    default) tranche 1 paid."""
    monde = monde or loire_financee()
    campagne = campagne or campagne_ouverte(monde, **champs)
    declaration = agreer(monde, campagne, nom)
    indicateurs = [
        Indicateur.objects.create(
            declaration=declaration, libelle="Confiance entre habitant·es et institutions", ordre=0
        ),
        Indicateur.objects.create(
            declaration=declaration, libelle="Repas partagés", nature=NatureIndicateur.QUANTITATIF, ordre=1
        ),
    ]
    convention = Convention.objects.get(declaration=declaration)
    aujourd_hui = timezone.localdate()
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=aujourd_hui,
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Le président du Département",
    )
    if payer:
        versement_enregistrer(
            acteur=monde.instructeur,
            tranche=convention.tranches.get(rang=1),
            date_versement=aujourd_hui,
            montant=convention.tranches.get(rang=1).montant,
            reference_bancaire=f"VIR-{convention.pk}-1",
        )
    convention.refresh_from_db()
    collectif = declaration.collectif
    return CollectifFinance(monde, convention, collectif, collectif.referents.get(), indicateurs)


def donnees_completes(finance: CollectifFinance, **champs: object) -> DonneesBilan:
    """A complete check-in: a short narrative, the level reached, aggregate counts and a value per indicator."""
    valeurs = {
        finance.indicateurs[0].pk: ("Les habitant·es prennent la parole en réunion avec la mairie.", None),
        finance.indicateurs[1].pk: ("Un repas par mois.", Decimal("11")),
    }
    donnees: dict[str, object] = {
        "recit": "Nous avons ouvert la cuisine partagée et tenu onze repas.",
        "difficultes": "Trouver une salle l'hiver.",
        "niveau_participation": NiveauParticipation.CO_CONSTRUCTION,
        "nombre_rencontres": 14,
        "nombre_participants": 60,
        "nombre_habitants": 45,
        "valeurs": valeurs,
        **champs,
    }
    return DonneesBilan(**donnees)  # type: ignore[arg-type]
