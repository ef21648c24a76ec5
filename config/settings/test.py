"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FONDS_ATTRIBUANT_NOM", "Fonds d'innovation sociale (démonstration)")
os.environ.setdefault("FONDS_ATTRIBUANT_SIRET", "13000000300017")  # a made-up SIRET that passes the checksum

from config.settings.base import *
from config.settings.base import BASE_DIR
from config.settings.env import env_str

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if env_str("TASKS_BACKEND", ""):
    # A task worker that a test starts in another process (tests/taches/test_rq.py): the backend, MEDIA_ROOT and
    # EMAIL_FILE_PATH come from its environment (base), and its e-mails are files that the test reads.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AXES_ENABLED = True
# No API throttling, except in tests/deploiement/test_limitation.py, which sets its own rates: the suite (and the
# schema fuzzing) sends many requests from one address, and LocMem counters outlive a test.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
