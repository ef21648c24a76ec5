"""Seeds the research-action journal (R10) of the collectif the demo accompagnatrice follows: a few dated entries
and a member entered on her behalf with her consent (a signed paper form), shown « saisi par … pour le compte
de … ». Idempotent: nothing is added once the collectif's journal has entries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from collectifs.enums import College, ModeConsentement
from collectifs.services import DonneesConsentement, DonneesMembre, membre_ajouter
from comptes.models import User
from instances.models import AffectationAccompagnateur, EntreeJournal
from instances.services_journal import entree_journal_ajouter

# (days ago, text): the journal of the first months.
ENTREES = [
    (
        40,
        "Première rencontre avec le collectif au centre social. Les habitant·es présent·es veulent que la cuisine "
        "partagée soit ouverte le soir ; les professionnel·les s'inquiètent des horaires. Question de recherche "
        "retenue : qui décide des horaires, et comment ?",
    ),
    (
        21,
        "Atelier de co-construction : 14 personnes, dont 8 habitant·es. Le collectif adopte un tour de parole. "
        "Une habitante sans adresse électronique souhaite rejoindre le collège des habitant·es : fiche saisie "
        "pour son compte, avec son accord écrit.",
    ),
    (
        3,
        "Point d'étape : le règlement de la cuisine est rédigé par les habitant·es. À suivre : la participation "
        "se maintient-elle après l'été ?",
    ),
]


def journal_2026(accompagnatrice: User) -> list[EntreeJournal]:
    """R10, R20: the journal of the first collectif the accompagnatrice follows, and one proxy entry."""
    affectation = (
        AffectationAccompagnateur.objects.filter(fin__isnull=True, accompagnateur__user=accompagnatrice)
        .select_related("collectif")
        .order_by("pk")
        .first()
    )
    if affectation is None or affectation.collectif.entrees_journal.exists():
        return []
    collectif = affectation.collectif
    aujourd_hui = timezone.localdate()
    # Demo only: the accompagnement started after the 2026 séance, before the first entry.
    AffectationAccompagnateur.objects.filter(pk=affectation.pk).update(
        affecte_le=timezone.now() - datetime.timedelta(days=max(jours for jours, _ in ENTREES) + 1)
    )
    membre_ajouter(
        acteur=accompagnatrice,
        collectif=collectif,
        donnees=DonneesMembre(
            college=College.HABITANT,
            prenom="Yvette",
            nom="Moulin",
            consentement=True,
            fonction="Habitante de la Marandinière",
        ),
        pour_autrui=DonneesConsentement(
            pour_le_compte_de="",
            mode=ModeConsentement.PAPIER,
            recueilli_le=aujourd_hui - datetime.timedelta(days=21),
        ),
    )
    return [
        entree_journal_ajouter(
            acteur=accompagnatrice,
            collectif=collectif,
            date_entree=aujourd_hui - datetime.timedelta(days=jours),
            texte=texte,
        )
        for jours, texte in ENTREES
    ]
