"""Backup and restore round trip (scripts/sauvegarder.sh, scripts/restaurer.sh): the restored database has the same
rows in every table, every document file has its recorded SHA-256, and the journal's chains and signed digest
verify on the restored copy."""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from collectifs.services import declaration_deposer
from documents.models import Document
from journal.condense import condense_ecrire
from journal.verification import verifier
from tests.collectifs.factories import DeclarationFactory
from tests.deploiement.postgresql import exiger_postgresql, outil_postgresql, url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgresql_seulement() -> None:
    exiger_postgresql()


SCRIPTS = Path(settings.BASE_DIR) / "scripts"
ALIAS = "restauree"


def _script(*arguments: str, media: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url(),
        "MEDIA_ROOT": str(media),
        "PATH": f"{Path(outil_postgresql('pg_dump')).parent}:{os.environ.get('PATH', '')}",
    }
    resultat = subprocess.run(arguments, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert resultat.returncode == 0, resultat.stderr + resultat.stdout
    return resultat.stdout


def _comptes(alias: str) -> dict[str, int]:
    with connections[alias].cursor() as curseur:
        tables = connections[alias].introspection.table_names(curseur)
        comptes = {}
        for table in tables:
            curseur.execute(f"SELECT count(*) FROM {connections[alias].ops.quote_name(table)}")  # noqa: S608 (introspected names)
            comptes[table] = curseur.fetchone()[0]
    return comptes


def test_sauvegarde_puis_restauration_dans_une_nouvelle_base(distribution, tmp_path):
    # Data with issued documents (their files written at commit), then a sealed, signed digest of the chains.
    for collectif, referent in [(distribution.collectif_a, distribution.referent_a),
                                (distribution.collectif_b, distribution.referent_b)]:  # fmt: skip
        declaration = DeclarationFactory(collectif=collectif, prete=True, campagne=distribution.campagne)
        declaration_deposer(acteur=referent, declaration=declaration)
    condenses = tmp_path / "condenses"
    condense_ecrire(dossier=condenses)
    originaux = {document.numero: document.sha256 for document in Document.objects.all()}
    assert len(originaux) >= 2

    dossier = Path(_script(str(SCRIPTS / "sauvegarder.sh"), str(tmp_path / "sauvegardes"), media=settings.MEDIA_ROOT)
                   .strip().splitlines()[-1])  # fmt: skip
    assert sorted(p.name for p in dossier.iterdir()) == ["SHA256SUMS", "base.dump", "media.tar.gz"]

    base = f"{connection.settings_dict['NAME']}_restauree_{secrets.token_hex(3)}"
    media_restauree = tmp_path / "media-restauree"
    connections.databases[ALIAS] = {**connection.settings_dict, "NAME": base}
    try:
        _script(str(SCRIPTS / "restaurer.sh"), str(dossier), base, str(media_restauree), media=settings.MEDIA_ROOT)

        # Opened here: Django's test case refuses to open a connection to an alias it did not set up itself.
        connections[ALIAS].connect()
        assert _comptes(ALIAS) == _comptes("default")
        restaures = Document.objects.using(ALIAS).all()
        assert {document.numero: document.sha256 for document in restaures} == originaux
        for document in restaures:
            contenu = (media_restauree / document.fichier.name).read_bytes()
            assert hashlib.sha256(contenu).hexdigest() == document.sha256, document.numero
        resultat = verifier(using=ALIAS, condenses_dir=condenses)
        assert resultat.ok, resultat.erreurs
        assert resultat.condenses >= 1
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.databases[ALIAS]
        with connection.cursor() as curseur:
            curseur.execute(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)')


def test_la_restauration_refuse_une_sauvegarde_alteree(distribution, tmp_path):
    dossier = Path(_script(str(SCRIPTS / "sauvegarder.sh"), str(tmp_path / "sauvegardes"), media=settings.MEDIA_ROOT)
                   .strip().splitlines()[-1])  # fmt: skip
    with open(dossier / "media.tar.gz", "ab") as archive:
        archive.write(b"\0")

    with pytest.raises(AssertionError, match="FAILED"):
        _script(str(SCRIPTS / "restaurer.sh"), str(dossier), "jamais_creee", str(tmp_path / "m"), media=tmp_path)
    with connection.cursor() as curseur:
        curseur.execute("SELECT count(*) FROM pg_database WHERE datname = 'jamais_creee'")
        assert curseur.fetchone() == (0,)
