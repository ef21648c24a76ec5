"""Settings of the benchmark (`make bench`, `manage.py banc_generer`, `manage.py banc_mesurer`).

Two databases: "default" (DATABASE_URL) holds the national dataset, "loire" (BANC_DATABASE_URL_LOIRE) the
one-département dataset; `demo.banc.routeur.RouteurBanc` sends each query to the alias of the current context, so
the measuring command runs the same request against either. Production-like otherwise: DEBUG off, persistent
connections (a page's time is its own, not the connection's), no e-mail leaves the machine, jobs run at once."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "banc-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FONDS_ATTRIBUANT_NOM", "Fonds d'innovation sociale (banc d'essai)")
os.environ.setdefault("FONDS_ATTRIBUANT_SIRET", "13000000300017")  # a made-up SIRET that passes the checksum

import dj_database_url

from config.settings.base import *
from config.settings.base import ALLOWED_HOSTS, DATABASES, REST_FRAMEWORK
from config.settings.env import env_str

DEBUG = False
if "testserver" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

DATABASES["default"]["CONN_MAX_AGE"] = None
_loire = env_str("BANC_DATABASE_URL_LOIRE", "")
DATABASES["loire"] = (
    {**dj_database_url.parse(_loire), "CONN_MAX_AGE": None}
    if _loire
    # Without a second database, both aliases read the same one (a quick look, not a comparison).
    else {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
)
DATABASE_ROUTERS = ["demo.banc.routeur.RouteurBanc"]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The measuring command sends hundreds of API requests a minute from one user.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
