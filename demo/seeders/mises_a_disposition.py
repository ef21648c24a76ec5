"""Seeds the secondments (R9) of the first funded 2026 collectif: one acknowledged by the employer (its Convention
de mise à disposition issued), one awaiting the employer, and the employer's login of the originating
institution. Idempotent: nothing is added once the collectif has secondments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from collectifs.enums import College
from collectifs.models import Membre, cle_personne
from comptes.models import User
from fonds import services as fonds_services
from fonds import tasks
from fonds.enums import EtatConvention
from fonds.models import AccesEmployeur, Convention, MiseADisposition

PLAN = (
    "Pendant ses journées au collectif, l'accueil du service est assuré par un·e collègue de l'équipe, "
    "selon le planning affiché."
)


def mises_a_disposition_2026(employeur: User) -> list[MiseADisposition]:
    convention = (
        Convention.objects.filter(etat=EtatConvention.ACTIVE, declaration__isnull=False, campagne__annee=2026)
        .select_related("declaration__collectif")
        .order_by("pk")
        .first()
    )
    if convention is None or convention.declaration is None:
        return []
    collectif = convention.declaration.collectif
    if MiseADisposition.objects.filter(collectif=collectif).exists():
        return list(MiseADisposition.objects.filter(collectif=collectif))
    institution = collectif.institutions_origine.order_by("pk").first()
    referent = collectif.referents.order_by("pk").first()
    if institution is None or referent is None:
        return []
    acces, _ = AccesEmployeur.objects.get_or_create(
        organisation=institution,
        email=employeur.email,
        defaults={"invite_par": referent, "utilisateur": employeur, "accepte_le": timezone.now()},
    )
    personnes = []
    for prenom, nom in (("Hélène", "Royer"), ("Thomas", "Vial")):
        membre, _ = Membre.objects.get_or_create(
            collectif=collectif,
            cle=cle_personne(prenom, nom),
            defaults={
                "college": College.PROFESSIONNEL,
                "prenom": prenom,
                "nom": nom,
                "fonction": "Travailleur·se social·e",
                "organisation": institution,
                "consentement": True,
                "saisi_par": referent,
            },
        )
        personnes.append(membre)
    debut = max(timezone.localdate() + datetime.timedelta(days=30), convention.date_debut)
    mises = []
    for membre, quotite in zip(personnes, (Decimal("20"), Decimal("10")), strict=True):
        mises.append(
            fonds_services.mise_a_disposition_demander(
                acteur=referent,
                collectif=collectif,
                donnees=fonds_services.DonneesMiseADisposition(
                    membre=membre,
                    quotite=quotite,
                    date_debut=debut,
                    date_fin=min(debut + datetime.timedelta(days=364), convention.date_fin),
                    plan_continuite=PLAN,
                    email_employeur=acces.email,
                ),
            )
        )
    fonds_services.mise_a_disposition_prendre_acte(acteur=employeur, mise=mises[0])
    tasks.emettre_convention_mise_a_disposition.call(mises[0].pk)
    return mises
