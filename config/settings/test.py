"""Settings for the test suite (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("FONDS_ATTRIBUANT_NOM", "Fonds d'innovation sociale (démonstration)")
os.environ.setdefault("FONDS_ATTRIBUANT_SIRET", "13000000300017")  # a made-up SIRET that passes the checksum

from config.settings.base import *
from config.settings.base import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AXES_ENABLED = True
# No API throttling, except in tests/deploiement/test_limitation.py, which sets its own rates: the suite (and the
# schema fuzzing) sends many requests from one address, and LocMem counters outlive a test.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
