"""Concurrent filings against a real SQLite file, in a process of its own (the test database is in memory).

Run by tests/collectifs/test_sqlite_concurrence.py, or by hand to measure:

    DATABASE_URL=sqlite:////tmp/x.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python manage.py migrate --noinput
    DATABASE_URL=sqlite:////tmp/x.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.test \\
        .venv/bin/python -m tests.collectifs.charge_sqlite --depots 8 [--sans-options] [--taille 5000]

Prints one JSON line: errors, numbers issued, wall time of the filings, size of the largest récépissé."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depots", type=int, default=8)
    parser.add_argument("--taille", type=int, default=0, help="caractères de chaque texte de la déclaration")
    parser.add_argument("--sans-options", action="store_true", help="SQLite sans les OPTIONS du projet")
    args = parser.parse_args()

    django.setup()
    from django.conf import settings

    if args.sans_options:
        # Before any connection is opened: every thread's connection reads this same dict.
        settings.DATABASES["default"]["OPTIONS"] = {}
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="charge-sqlite-")

    from django.db import connections

    from collectifs.models import Declaration
    from collectifs.services import declaration_deposer
    from tests.collectifs.factories import CollectifFactory, DeclarationFactory
    from tests.comptes.factories import UserFactory
    from tests.instances.factories import CampagneFactory

    campagne = CampagneFactory(ouverte=True)
    texte = ("Le collectif se réunit chaque mois au centre social. " * (args.taille // 50 + 1))[: args.taille]
    couples = []
    for rang in range(args.depots):
        referent = UserFactory()
        collectif = CollectifFactory(referent=referent, nom=f"Collectif concurrent {rang}")
        declaration = DeclarationFactory(collectif=collectif, prete=True, campagne=campagne)
        if args.taille:
            Declaration.objects.filter(pk=declaration.pk).update(
                dynamique_preexistante=texte, projet=texte, additionnalite=texte
            )
            declaration.refresh_from_db()
        couples.append((referent, declaration))
    connections.close_all()

    barriere = threading.Barrier(args.depots)
    verrou = threading.Lock()
    numeros: list[str] = []
    tailles: list[int] = []
    erreurs: list[str] = []

    def deposer(referent: object, declaration: Declaration) -> None:
        try:
            barriere.wait(timeout=30)
            document = declaration_deposer(acteur=referent, declaration=declaration)  # type: ignore[arg-type]
            with verrou:
                numeros.append(document.numero)
                tailles.append(document.taille)
        except Exception as erreur:
            with verrou:
                erreurs.append(f"{type(erreur).__name__}: {erreur}")
        finally:
            connections.close_all()

    fils = [threading.Thread(target=deposer, args=couple) for couple in couples]
    debut = time.monotonic()
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=300)
    duree = time.monotonic() - debut
    sys.stdout.write(
        json.dumps(
            {
                "erreurs": erreurs,
                "numeros": sorted(numeros),
                "duree": round(duree, 2),
                "taille_max_recepisse": max(tailles, default=0),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
