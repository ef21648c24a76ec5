"""Local development: `make run`. The secret below is for this machine only and guards nothing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.settings.base import *

DEBUG = True
