"""Load realistic demo data (Loire and Rhône), idempotently, and print one login per role.

The data lives in the seeders of ``demo.seeders``, one module per app; this command calls them in order. The fund
and its envelopes come first: opening a campaign reserves its yearly envelope (R3). The 2026 Loire campaign
interleaves the apps (opened, filed in, decided in a séance that creates the conventions, closed), and must be
closed before the 2027 Loire campaign opens.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.seeders import bilans as bilans_demo
from demo.seeders import (
    campagnes,
    collectifs,
    comptes,
    instances,
    mutualisation_fiches,
    mutualisation_prix,
    mutualisation_rencontres,
    mutualisation_syntheses,
)
from demo.seeders import conformite as conformite_demo
from demo.seeders import fonds as fonds_demo
from demo.seeders import journal as journal_demo
from demo.seeders import mises_a_disposition as mises_a_disposition_demo
from demo.seeders.comptes import COMPTES, MOT_DE_PASSE_DEMO
from territoires.models import Departement


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Autoriser hors mode DEBUG.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Les données de démonstration ne se chargent qu'en mode DEBUG (ou avec --force).")
        utilisateurs = comptes.comptes_charger()
        instructrice, instructeur_69 = utilisateurs["instructrice_42"], utilisateurs["instructeur_69"]
        loire, rhone = Departement.objects.get(code="42"), Departement.objects.get(code="69")
        comptes.instructeurs_charger(utilisateurs, loire, rhone)
        national = utilisateurs["national"]
        fonds = fonds_demo.fonds_national(national, {"42": loire, "69": rhone})
        fonds_demo.acces_financeur(national, utilisateurs["financeur_loire"])
        instance, membres = instances.instance_loire(instructrice, loire, utilisateurs)
        accompagnateurs = instances.accompagnateurs_loire(loire, utilisateurs)

        campagne_2026 = campagnes.campagne_2026_ouvrir(instructrice, loire)
        if campagne_2026 is None:
            self.stderr.write(
                "La séance passée de la campagne 2026 demande une base neuve "
                "(rm -f var/db.sqlite3 puis make run) : elle n'est pas créée."
            )
        else:
            collectifs_2026 = collectifs.collectifs_2026(utilisateurs, loire, instructrice)
            instances.seance_2026(instructrice, instance, campagne_2026, membres)
            campagnes.campagne_2026_clore(instructrice, campagne_2026)
            if not fonds_demo.conventions_2026(instructrice, campagne_2026):
                self.stderr.write(
                    "La campagne 2026 a été ouverte avant le fonds (base chargée par une version précédente) : "
                    "ses agréments n'ont pas de convention. Pour les voir : rm -f var/db.sqlite3 puis make run."
                )
            # The first two collectifs filed are the agreed ones (quota 2).
            instances.accompagnateurs_affecter(instructrice, collectifs_2026[:2], accompagnateurs)
            journal_demo.journal_2026(utilisateurs["accompagnatrice"])  # R10: journal and a proxy entry
            mises_a_disposition_demo.mises_a_disposition_2026(utilisateurs["employeur"])
            bilans_demo.bilans_2026(instructrice)  # R11: one validated (tranche 2 payable), one « à compléter »
            conformite_demo.collectif_non_conforme_2026()  # R12: in its grace period
            mutualisation_rencontres.rencontres_loire(instructrice)  # R13: one held, one planned

        campagnes.campagne_2027(instructrice, loire, ouvrir=True)
        campagnes.campagne_2027(instructeur_69, rhone, ouvrir=False)
        collectifs.collectifs_2027(utilisateurs, loire, instructrice)
        fiches = mutualisation_fiches.fiches_pratiques_charger(utilisateurs)  # R14: the public catalogue
        mutualisation_prix.prix_loire(utilisateurs, fiches)  # R18: the Loire's prize and its laureate
        # R15: last year's syntheses (42, 69, 43 transmitted; 07 in draft, so listed missing) and national report.
        mutualisation_syntheses.syntheses_et_rapport(
            instructeurs={"42": instructrice, "69": instructeur_69},
            national=national,
            annee=timezone.localdate().year - 1,
        )
        fonds_demo.projet_etudiant(instructrice, fonds)
        self._afficher()

    def _afficher(self) -> None:
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {MOT_DE_PASSE_DEMO}")
        lignes = [
            ("Référente (2 collectifs, dont un prêt à déposer)", COMPTES["referente"][0]),
            ("Référent d'un collectif déposé", COMPTES["referent_firminy"][0]),
            ("Instructrice de la Loire (42)", COMPTES["instructrice_42"][0]),
            ("Instructeur du Rhône (69)", COMPTES["instructeur_69"][0]),
            ("Équipe nationale (et /admin/)", COMPTES["national"][0]),
            ("Présidente de l'instance de la Loire", COMPTES["presidente_instance"][0]),
            ("Membre de l'instance de la Loire", COMPTES["membre_instance"][0]),
            ("Accompagnatrice (registre de la Loire)", COMPTES["accompagnatrice"][0]),
            ("Référente d'un collectif à compléter (Roanne)", COMPTES["referente_roanne"][0]),
            ("Financeur : Département de la Loire", COMPTES["financeur_loire"][0]),
            ("Employeur (mises à disposition)", COMPTES["employeur"][0]),
        ]
        for role, email in lignes:
            self.stdout.write(f"  {role:<50} {email}")
