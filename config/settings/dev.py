"""Local development: `make run`. The secret below is for this machine only and guards nothing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("FONDS_ATTRIBUANT_NOM", "Fonds d'innovation sociale (démonstration)")
os.environ.setdefault("FONDS_ATTRIBUANT_SIRET", "13000000300017")  # a made-up SIRET that passes the checksum

from config.settings.base import *

DEBUG = True
