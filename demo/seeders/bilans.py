"""Seeds the yearly check-ins of the funded 2026 collectifs (R11, R7): the first collectif's year-1 check-in is filed
by its référent and validated by the instructrice, so tranche 2 is payable; the last one's is filed and returned « à
compléter » with a message. Everything goes through the services (the journal, the processes and the tranche's
release are written as in production). Idempotent: a check-in already past « attendu » is left as it is."""

from __future__ import annotations

from decimal import Decimal

from collectifs.models import Indicateur
from comptes.models import User
from fonds import services as fonds_services
from fonds.enums import EtatBilan, NiveauParticipation
from fonds.models import BilanAnnuel, Convention

RECIT = (
    "La cuisine partagée a ouvert en mars au pied de la tour B. Onze repas ont réuni habitant·es, "
    "travailleuses sociales et élu·es ; trois ateliers ont préparé le jardin de l'été."
)
DIFFICULTES = "Trouver une salle chauffée l'hiver ; garder le lien avec les familles arrivées en cours d'année."
MESSAGE_A_COMPLETER = (
    "Merci de préciser où en est l'indicateur « confiance entre habitant·es et institutions » : "
    "quelques mots suffisent."
)


def _valeurs(convention: Convention, texte: str) -> dict[int, tuple[str, Decimal | None]]:
    indicateurs = Indicateur.objects.filter(declaration__convention=convention).order_by("ordre", "pk")
    return {i.pk: (texte, None) for i in indicateurs}


def _deposer(convention: Convention, bilan: BilanAnnuel, texte_indicateurs: str) -> BilanAnnuel | None:
    referent = convention.declaration.collectif.referents.order_by("pk").first()  # type: ignore[union-attr]
    if referent is None:
        return None
    return fonds_services.bilan_deposer(
        acteur=referent,
        bilan=bilan,
        donnees=fonds_services.DonneesBilan(
            recit=RECIT,
            difficultes=DIFFICULTES,
            niveau_participation=NiveauParticipation.CO_CONSTRUCTION,
            nombre_rencontres=14,
            nombre_participants=62,
            nombre_habitants=41,
            valeurs=_valeurs(convention, texte_indicateurs),
        ),
    )


def bilans_2026(instructrice: User) -> list[BilanAnnuel]:
    """R11: a validated year-1 check-in (tranche 2 payable) and a check-in « à compléter »."""
    conventions = list(
        Convention.objects.filter(campagne__annee=2026, declaration__isnull=False, signee_le__isnull=False)
        .select_related("declaration__collectif")
        .order_by("pk")
    )
    if len(conventions) < 2:
        return []
    faits = []
    premiere, derniere = conventions[0], conventions[-1]
    bilan = BilanAnnuel.objects.filter(convention=premiere, rang=1).first()
    if bilan is not None and bilan.etat == EtatBilan.ATTENDU:
        depose = _deposer(premiere, bilan, "Les habitant·es prennent la parole aux réunions avec la mairie.")
        if depose is not None:
            faits.append(fonds_services.bilan_valider(acteur=instructrice, bilan=depose))
    bilan = BilanAnnuel.objects.filter(convention=derniere, rang=1).first()
    if bilan is not None and bilan.etat == EtatBilan.ATTENDU:
        depose = _deposer(derniere, bilan, "En cours.")
        if depose is not None:
            faits.append(fonds_services.bilan_retourner(acteur=instructrice, bilan=depose, message=MESSAGE_A_COMPLETER))
    return faits
