"""Seeds the campaigns: the 2026 Loire campaign (quota 2, opened so that its collectifs can file, then closed
after its séance) and the 2027 campaigns of the Loire (open) and the Rhône (in preparation)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from campagnes import services as campagnes_services
from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from comptes.models import User
from territoires.models import Departement

# The past séance of the 2026 Loire campaign (quota 2): two agreed, one refused with reasons, one waitlisted.
QUOTA_2026 = 2


def campagne_2026_ouvrir(instructrice: User, loire: Departement) -> Campagne | None:
    """The 2026 Loire campaign, created and opened by the Loire instructrice (campaigns belong to the
    département's instructeurs, SPEC §2); None when another Loire campaign is already open (the 2026
    campaign must be opened, filed in and closed before the 2027 campaign opens, so it needs a fresh base)."""
    campagne = Campagne.objects.filter(departement=loire, annee=2026).first()
    if campagne is None and Campagne.objects.filter(departement=loire, etat=EtatCampagne.OUVERTE).exists():
        return None
    if campagne is None:
        aujourdhui = timezone.localdate()
        campagne = campagnes_services.campagne_creer(
            acteur=instructrice,
            departement=loire,
            annee=2026,
            quota=QUOTA_2026,
            enveloppe_annuelle=Decimal("40000.00"),
            montant_minimal_annuel=Decimal("15000.00"),
            date_ouverture=aujourdhui - datetime.timedelta(days=200),
            date_cloture=aujourdhui,
        )
    if campagne.etat == EtatCampagne.PREPARATION:
        campagne = campagnes_services.campagne_ouvrir(acteur=instructrice, campagne=campagne)
    return campagne


def campagne_2026_clore(instructrice: User, campagne: Campagne) -> None:
    """Closes the 2026 campaign once its séance has decided."""
    if campagne.etat == EtatCampagne.OUVERTE:
        campagnes_services.campagne_clore(acteur=instructrice, campagne=campagne)


def campagne_2027(acteur: User, departement: Departement, *, ouvrir: bool) -> Campagne:
    """The département's 2027 campaign (quota 6), opened if ``ouvrir``; ``acteur`` instructs the département."""
    campagne = Campagne.objects.filter(departement=departement, annee=2027).first()
    if campagne is None:
        aujourdhui = timezone.localdate()
        campagne = campagnes_services.campagne_creer(
            acteur=acteur,
            departement=departement,
            annee=2027,
            quota=6,
            enveloppe_annuelle=Decimal("120000.00"),
            montant_minimal_annuel=Decimal("15000.00"),
            date_ouverture=aujourdhui - datetime.timedelta(days=30),
            date_cloture=aujourdhui + datetime.timedelta(days=150),
        )
    if ouvrir and campagne.etat == EtatCampagne.PREPARATION:
        campagne = campagnes_services.campagne_ouvrir(acteur=acteur, campagne=campagne)
    return campagne
