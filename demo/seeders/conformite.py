"""Seeds a funded 2026 collectif whose composition fell short (R12): one of its inhabitants left yesterday, so its
convention is « non conforme » and inside its grace period (the campaign's, three months by default), with its
viewflow process waiting and its reminder timer scheduled. Idempotent: nothing is changed once a 2026 convention
is non conforme or suspended."""

from __future__ import annotations

import datetime

from django.utils import timezone

from collectifs import services
from collectifs.enums import College
from collectifs.services import DonneesMembre, DonneesOrganisation
from fonds.enums import EtatConvention
from fonds.models import Convention


def collectif_non_conforme_2026() -> Convention | None:
    """The last funded 2026 collectif (the first one carries the secondments) loses one inhabitant, ended by its
    référent through the member service: the change is re-checked against R1 and the convention becomes non
    conforme, with the end of its grace period."""
    conventions = Convention.objects.filter(campagne__annee=2026, declaration__isnull=False).select_related(
        "declaration__collectif"
    )
    deja = conventions.filter(etat__in=(EtatConvention.NON_CONFORME, EtatConvention.SUSPENDUE)).first()
    if deja is not None:
        return deja
    convention = conventions.filter(etat=EtatConvention.ACTIVE).order_by("-pk").first()
    if convention is None or convention.declaration is None:
        return None
    collectif = convention.declaration.collectif
    referent = collectif.referents.order_by("pk").first()
    hier = timezone.localdate() - datetime.timedelta(days=1)
    habitant = (
        collectif.membres.filter(college=College.HABITANT, date_fin__isnull=True, date_debut__lte=hier)
        .order_by("-pk")
        .first()
    )
    if referent is None or habitant is None:
        return None
    organisation = habitant.organisation
    services.membre_modifier(
        acteur=referent,
        membre=habitant,
        donnees=DonneesMembre(
            college=habitant.college,
            prenom=habitant.prenom,
            nom=habitant.nom,
            fonction=habitant.fonction,
            email=habitant.email,
            telephone=habitant.telephone,
            organisation=DonneesOrganisation(organisation.nom, organisation.siret, organisation.rna)
            if organisation is not None
            else None,
            consentement=True,
            date_debut=habitant.date_debut,
            date_fin=hier,
        ),
    )
    convention.refresh_from_db()
    return convention
