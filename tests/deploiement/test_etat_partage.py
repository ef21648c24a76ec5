"""Several web processes share nothing but PostgreSQL, Redis and the document storage (issue 13, ADR 0007): with the
production settings, read in a fresh process from the environment, the cache is Redis or the database (never a
per-process LocMem), sessions and login failures are rows, the task backend and the document storage follow the
environment, and the combinations that cannot work refuse to start."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.deploiement.test_production import PYTHON, RACINE, _lancer

REDIS = "redis://redis.interne:6379/0"
LIRE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'caches': s.CACHES, 'session': s.SESSION_ENGINE, 'axes': s.AXES_HANDLER, "
    "'storages': s.STORAGES, 'tasks': s.TASKS, 'rq': getattr(s, 'RQ_QUEUES', None), "
    "'apps': s.INSTALLED_APPS}, default=str))"
)


def _reglages(**env: str) -> dict:
    resultat = _lancer(PYTHON, "-c", LIRE, **env)
    assert resultat.returncode == 0, resultat.stderr
    lu: dict = json.loads(resultat.stdout)
    return lu


def _refus(**env: str) -> str:
    resultat = _lancer(PYTHON, "-c", LIRE, **env)
    assert resultat.returncode != 0, resultat.stdout
    return resultat.stderr


@pytest.mark.parametrize(
    ("env", "cache"),
    [
        ({}, "django.core.cache.backends.db.DatabaseCache"),
        ({"REDIS_URL": REDIS}, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_l_etat_des_requetes_est_partage_entre_les_processus(env, cache):
    lu = _reglages(**env)

    assert [reglage["BACKEND"] for reglage in lu["caches"].values()] == [cache]
    assert "locmem" not in json.dumps(lu["caches"]).lower()
    if "REDIS_URL" in env:
        assert lu["caches"]["default"]["LOCATION"] == REDIS
    else:
        assert lu["caches"]["default"]["LOCATION"] == "collectifs_cache"
    assert lu["session"] == "django.contrib.sessions.backends.db"
    assert lu["axes"] == "axes.handlers.database.AxesDatabaseHandler"


def test_les_taches_restent_en_base_par_defaut():
    lu = _reglages()

    assert lu["tasks"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert lu["rq"] is None


def test_les_taches_passent_par_redis_avec_tasks_backend_rq():
    lu = _reglages(TASKS_BACKEND="rq", REDIS_URL=REDIS, RQ_DUREE_MAX_TACHE="900")

    assert lu["tasks"] == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert lu["rq"] == {"default": {"URL": REDIS, "DEFAULT_TIMEOUT": 900}}
    assert {"django_rq", "django_tasks_rq", "django_tasks_db"} <= set(lu["apps"])


def test_redis_seul_partage_le_cache_sans_deplacer_les_taches():
    lu = _reglages(REDIS_URL=REDIS)

    assert lu["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert lu["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq demande l'adresse du serveur Redis dans REDIS_URL."),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND vaut « db » ou « rq », pas « celery »."),
    ],
)
def test_un_moteur_de_taches_incomplet_ou_inconnu_refuse_de_demarrer(env, message):
    assert message in _refus(**env)


def test_les_documents_sont_dans_un_dossier_local_par_defaut():
    lu = _reglages()

    assert lu["storages"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_les_documents_vont_dans_un_compartiment_s3_prive_quand_il_est_configure():
    lu = _reglages(
        AWS_STORAGE_BUCKET_NAME="collectifs-documents",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        AWS_S3_REGION_NAME="fr-par",
        AWS_S3_ACCESS_KEY_ID="cle",
        AWS_S3_SECRET_ACCESS_KEY="secret",
        AWS_LOCATION="production",
    )

    documents = lu["storages"]["default"]
    assert documents["BACKEND"] == "storages.backends.s3.S3Storage"
    assert documents["OPTIONS"] == {
        "bucket_name": "collectifs-documents",
        "endpoint_url": "https://s3.fr-par.scw.cloud",
        "region_name": "fr-par",
        "access_key": "cle",
        "secret_key": "secret",
        "location": "production",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    assert lu["storages"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_l_exemple_d_environnement_garde_la_base_et_le_dossier_local_sans_secret():
    lignes = (RACINE / "deploy" / "collectifs.env.exemple").read_text().splitlines()
    exemple = dict(ligne.split("=", 1) for ligne in lignes if "=" in ligne and not ligne.startswith("#"))

    assert (exemple["TASKS_BACKEND"], exemple["REDIS_URL"], exemple["AWS_STORAGE_BUCKET_NAME"]) == ("db", "", "")
    assert exemple["AWS_S3_ACCESS_KEY_ID"] == exemple["AWS_S3_SECRET_ACCESS_KEY"] == ""


def test_s3_sans_cles_ou_avec_x_accel_redirect_refuse_de_demarrer():
    assert "AWS_S3_ACCESS_KEY_ID est obligatoire" in _refus(AWS_STORAGE_BUCKET_NAME="collectifs-documents")
    erreur = _refus(
        AWS_STORAGE_BUCKET_NAME="collectifs-documents",
        AWS_S3_ACCESS_KEY_ID="cle",
        AWS_S3_SECRET_ACCESS_KEY="secret",
        DOCUMENTS_X_ACCEL_REDIRECT="/_documents_proteges/",
    )
    assert "DOCUMENTS_X_ACCEL_REDIRECT ne fonctionne qu'avec le stockage local" in erreur


# --- No state in the memory of a process (ADR 0007). ---

# What a process may keep in memory, and why it is safe: each is the same in every process and never changes while
# the process runs.
EN_MEMOIRE_ADMIS = {
    "collectifs/filtres.py:etats_convention": "the labels of a model's choices: code, not data",
    "mutualisation/carte.py:geometrie": "the map tiles, a file shipped with the code",
    "documents/reemission.py:_REEMETTEURS": "filled once by AppConfig.ready(), identical in every process",
    "core/templatetags/dates_rapides.py:_compiler": "the compiled date formats of the templates: code, not data",
    "core/api_champs.py:_libelles": "the labels of a model's choices: code, not data",
}
MUTATIONS = {"append", "add", "update", "setdefault", "pop", "clear", "extend", "insert", "remove", "discard"}
CONTENEURS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter"}


def _modules_du_projet() -> list[Path]:
    return [
        chemin
        for chemin in sorted(RACINE.rglob("*.py"))
        if not {".venv", "tests", "migrations", "node_modules", "var"} & set(chemin.relative_to(RACINE).parts)
    ]


def _etat_en_memoire(chemin: Path, racine: Path = RACINE) -> set[str]:
    """The functions memoised with functools (cache, lru_cache) and the module-level containers that a function
    changes, in one module."""
    arbre = ast.parse(chemin.read_text())
    nom = chemin.relative_to(racine).as_posix()
    trouves: set[str] = set()
    conteneurs: set[str] = set()
    for noeud in arbre.body:
        valeur = noeud.value if isinstance(noeud, ast.Assign | ast.AnnAssign) else None
        cibles = noeud.targets if isinstance(noeud, ast.Assign) else [noeud.target] if valeur is not None else []
        appel = valeur.func if isinstance(valeur, ast.Call) else None
        if isinstance(valeur, ast.Dict | ast.List | ast.Set) or (
            isinstance(appel, ast.Name | ast.Attribute)
            and getattr(appel, "id", getattr(appel, "attr", "")) in CONTENEURS
        ):
            conteneurs |= {cible.id for cible in cibles if isinstance(cible, ast.Name)}
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorateur in noeud.decorator_list:
                cible = decorateur.func if isinstance(decorateur, ast.Call) else decorateur
                if getattr(cible, "id", getattr(cible, "attr", "")) in {"cache", "lru_cache"}:
                    trouves.add(f"{nom}:{noeud.name}")
            for sous in ast.walk(noeud):
                if isinstance(sous, ast.Global):
                    trouves |= {f"{nom}:{variable}" for variable in sous.names}
                elif (
                    isinstance(sous, ast.Call)
                    and isinstance(sous.func, ast.Attribute)
                    and isinstance(sous.func.value, ast.Name)
                    and sous.func.value.id in conteneurs
                    and sous.func.attr in MUTATIONS
                ):
                    trouves.add(f"{nom}:{sous.func.value.id}")
                elif isinstance(sous, ast.Assign | ast.AugAssign):
                    for cible in sous.targets if isinstance(sous, ast.Assign) else [sous.target]:
                        if (
                            isinstance(cible, ast.Subscript)
                            and isinstance(cible.value, ast.Name)
                            and cible.value.id in conteneurs
                        ):
                            trouves.add(f"{nom}:{cible.value.id}")
    return trouves


def test_aucun_etat_metier_n_est_garde_dans_la_memoire_d_un_processus():
    trouves: set[str] = set()
    for chemin in _modules_du_projet():
        trouves |= _etat_en_memoire(chemin)
        assert "LocMemCache" not in chemin.read_text() or chemin.parent.name == "settings", chemin

    assert trouves - set(EN_MEMOIRE_ADMIS) == set()
    assert set(EN_MEMOIRE_ADMIS) <= trouves  # the list above stays true: remove what is gone


def test_la_recherche_d_etat_en_memoire_trouve_ce_qu_elle_cherche(tmp_path):
    module = tmp_path / "exemple.py"
    module.write_text(
        "from functools import lru_cache\n"
        "VUS = set()\nPAR_CLE: dict[str, int] = {}\nCOMPTE = 0\n\n"
        "@lru_cache(maxsize=10)\ndef lire(x):\n    return x\n\n"
        "def noter(x):\n    global COMPTE\n    VUS.add(x)\n    PAR_CLE[x] = 1\n    COMPTE += 1\n"
    )

    assert _etat_en_memoire(module, tmp_path) == {
        "exemple.py:lire",
        "exemple.py:VUS",
        "exemple.py:PAR_CLE",
        "exemple.py:COMPTE",
    }
