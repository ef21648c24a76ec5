"""Production: every secret comes from the environment, and is checked at start-up."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *
from config.settings.base import DOCUMENTS_X_ACCEL_REDIRECT, MIDDLEWARE, REDIS_URL, STATIC_ROOT
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
# Issued documents: the local folder MEDIA_ROOT, or, for several machines, an S3-compatible object store through
# django-storages (docs/exploitation.md, « Stockage objet S3 »; needs `boto3`, installed only there). The bucket is
# private: documents still leave only through the permission-checked views, never by a public or signed URL.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    if DOCUMENTS_X_ACCEL_REDIRECT:
        raise ImproperlyConfigured(
            "DOCUMENTS_X_ACCEL_REDIRECT ne fonctionne qu'avec le stockage local : laissez-la vide avec S3."
        )
    _documents = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "access_key": env_str("AWS_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_S3_SECRET_ACCESS_KEY"),
            "location": env_str("AWS_LOCATION", ""),  # a prefix inside the bucket
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,  # an issued document is never replaced (documents are append-only)
        },
    }
else:
    _documents = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _documents,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache shared by every gunicorn worker and the other processes: the API throttling counters must not be per
# process (LocMem). Redis when REDIS_URL is set (several machines), otherwise a table of the database, created by
# `manage.py createcachetable` with the owner role.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "collectifs_cache",
        }
    }
