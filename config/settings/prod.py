"""Production: every secret comes from the environment, and is checked at start-up."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *
from config.settings.base import MIDDLEWARE, STATIC_ROOT
from config.settings.env import env_bool, env_int, env_str

DEBUG = False
_db_url = env_str("DATABASE_URL")  # fail fast: production runs on PostgreSQL
JOURNAL_CLE_CONDENSE = env_str("JOURNAL_CLE_CONDENSE")  # the digests' HMAC key (ADR 0006): required, out of the DB
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Static files: gunicorn serves them through WhiteNoise (right after SecurityMiddleware, so that its headers apply),
# from `collectstatic`'s STATIC_ROOT, with hashed names cached for a year and pre-compressed copies. No MEDIA_URL:
# documents leave only through the permission-checked views (docs/exploitation.md).
if MIDDLEWARE[0] != "django.middleware.security.SecurityMiddleware":
    raise ImproperlyConfigured("SecurityMiddleware doit rester le premier middleware.")
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(STATIC_ROOT)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache shared by every gunicorn worker and the other processes: the API throttling counters must not be per
# process (LocMem). A table of the database, created by `manage.py createcachetable` with the owner role.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "collectifs_cache",
    }
}
