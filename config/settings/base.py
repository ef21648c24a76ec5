"""Settings shared by every environment. No secret has a default here."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-dsfr before django.forms: its widget templates must override Django's own.
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    # RQ on Redis, used when TASKS_BACKEND=rq; always installed, so that `manage.py rqworker` and the schema are the
    # same everywhere.
    "django_rq",
    "django_tasks_rq",
    # Project apps, from the bottom layer up (CONVENTIONS §2; checked by import-linter in `make lint`).
    "core",
    "territoires",
    "comptes",
    "journal",
    "documents",
    "campagnes",
    "collectifs",
    "fonds",
    "instances",
    "mutualisation",
    "workflow",
    "personnes",
    # After `workflow`: of two apps with a management command of the same name, the one listed first wins, and
    # `workflow` extends viewflow's `workflow_timers` (it also repairs missing processes).
    "viewflow",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.LimiteCorpsApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "config.middleware.MethodeNonAutoriseeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptes.context_processors.roles",
            ],
            # After Django's own: the project's faster `date` filter (same output; core/templatetags).
            "builtins": ["core.templatetags.dates_rapides"],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the `make run` default): writers queue instead of failing with « database is locked ».
    # IMMEDIATE takes the write lock when a transaction starts, so two transactions never deadlock on a lock
    # upgrade (which SQLite answers at once, without waiting); `timeout` is how long a writer waits, in seconds;
    # WAL lets readers go on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies: the longest form (a declaration's three texts of 5 000 characters) is far below this. Above it,
# Django refuses the request; the API answers 413 in JSON (core.api.exception_handler, config.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "comptes.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Several web processes (and machines) share nothing but PostgreSQL, Redis and the document storage (ADR 0007):
# sessions are rows of the database (Django's default, written here so that nobody swaps it for a per-process
# cache), and so are django-axes' login failures (AXES_HANDLER below).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "tableau_de_bord"
LOGOUT_REDIRECT_URL = "accueil"

# django-axes: lock an (e-mail, IP) pair after 5 failures, for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "comptes/verrouille.html"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # the failures are rows: every process sees them
AXES_USERNAME_CALLABLE = "comptes.backends.identifiant_axes"
# The client's address: REMOTE_ADDR, or behind PROXIES_DE_CONFIANCE reverse proxies (nginx: 1), the address the
# nearest untrusted hop was seen from in X-Forwarded-For (core.reseau.ip_client). Axes and DRF's throttles agree.
PROXIES_DE_CONFIANCE = env_int("PROXIES_DE_CONFIANCE", 0)
AXES_CLIENT_IP_CALLABLE = "core.reseau.ip_client"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Issued documents (documents app) carry personal data: no URL serves MEDIA_ROOT, in any settings. They leave
# the server only through the views that check permissions (documents.views.reponse_pdf). MEDIA_URL stays
# Django's empty default, so that `static(settings.MEDIA_URL, …)` would fail loudly if someone re-added it.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Behind nginx, documents.views.reponse_pdf may hand the sending of a document to nginx: after the permission check
# and the SHA-256 check, it answers with an empty body and `X-Accel-Redirect: <this prefix><storage name>`, which
# nginx maps to MEDIA_ROOT in an `internal` location (deploy/nginx/collectifs.conf). Empty: Django sends the bytes.
DOCUMENTS_X_ACCEL_REDIRECT = env_str("DOCUMENTS_X_ACCEL_REDIRECT", "")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder the e-mails are written to.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "courriels"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Collectifs DS <ne-pas-repondre@collectifs-ds.localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The grant-giver of the fund's conventions in the SCDL « subventions » export (SPEC §7): `nomAttribuant` and
# `idAttribuant` (a SIRET, checked by the export). Required: dev and test settings give a demo value.
FONDS_ATTRIBUANT_NOM = env_str("FONDS_ATTRIBUANT_NOM")
FONDS_ATTRIBUANT_SIRET = env_str("FONDS_ATTRIBUANT_SIRET")
# The daily digests of the hash chains (R19, ADR 0006): HMAC key kept out of the database, and the folder of the
# signed files (copy them off the server). Outside production the key is derived from SECRET_KEY (not a secret
# worth keeping); production requires JOURNAL_CLE_CONDENSE (config/settings/prod.py).
JOURNAL_CLE_CONDENSE = env_str("JOURNAL_CLE_CONDENSE", f"condenses-hors-production:{SECRET_KEY}")
JOURNAL_CONDENSES_DIR = Path(env_str("JOURNAL_CONDENSES_DIR", str(BASE_DIR / "var" / "condenses")))

DSFR_USE_INTEGRITY_CHECKSUMS = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # API throttling per client address (anonymous) and per user; the 429 is in French (core.api). The counters
    # live in the default cache: production shares it between the workers (config.settings.prod).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.reseau.DebitAnonyme",
        "core.reseau.DebitUtilisateur",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_DEBIT_ANONYME", "60/min"),
        "user": env_str("API_DEBIT_UTILISATEUR", "600/min"),
    },
    "NUM_PROXIES": PROXIES_DE_CONFIANCE,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Collectifs DS",
    "DESCRIPTION": "API des collectifs locaux de développement social : déclarations, campagnes, documents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers shared by every operation (401, 404, 400, 429) are documented in one place.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api_schema.reponses_communes"],
}

# Background jobs (docs/exploitation.md, « Tâches sur Redis (RQ) »). TASKS_BACKEND=db (the default, `make run`):
# the jobs are rows of the database, run by `manage.py db_worker`. TASKS_BACKEND=rq: they go to Redis (REDIS_URL,
# e.g. redis://redis.interne:6379/0 or unix:///run/redis/redis.sock?db=0), run by
# `manage.py rqworker default --with-scheduler` on any machine (django-tasks-rq over django-rq).
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
REDIS_URL = env_str("REDIS_URL", "")
if TASKS_BACKEND not in {"db", "rq"}:
    raise ImproperlyConfigured(f"TASKS_BACKEND vaut « db » ou « rq », pas « {TASKS_BACKEND} ».")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq demande l'adresse du serveur Redis dans REDIS_URL.")
# No RQ dashboard in the admin (its model has no table, and its JSON views answer to tokens): the operators read the
# queues with `manage.py rqstats` (docs/exploitation.md).
RQ_SHOW_ADMIN_LINK = False
if REDIS_URL:
    # Every task of the project is on django-tasks' « default » queue. A job running longer than
    # RQ_DUREE_MAX_TACHE seconds is stopped by the worker (the séance documents' recovery waits 30 minutes).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_DUREE_MAX_TACHE", 1800)}}
    # The worker must build django-tasks-rq's jobs (they run a django-tasks Task, not a bare function).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
if TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content Security Policy: only our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# ProConnect for agents (optional; docs/proconnect.md), with mozilla-django-oidc: enabled only when
# OIDC_RP_CLIENT_ID is set, and then the secret and the provider's endpoints are required. Unset: no backend, no
# route, no button. Accounts are never created from the provider (comptes.oidc.ProConnectBackend).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")  # empty: local logout only
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email given_name usual_name")
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds, for each call to the provider
    OIDC_CREATE_USER = False
    OIDC_STORE_ID_TOKEN = True  # the provider's logout needs it as id_token_hint
    OIDC_AUTHENTICATION_CALLBACK_URL = "comptes:proconnect_retour"
    # After the axes backend, which keeps throttling the password form; the callback is exempt (comptes.oidc).
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "comptes.oidc.ProConnectBackend"]
    AXES_WHITELIST_CALLABLE = "comptes.oidc.hors_axes"
    if OIDC_OP_LOGOUT_ENDPOINT:
        # The logout form's redirect goes to the provider: browsers apply form-action to redirects.
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("/".join(OIDC_OP_LOGOUT_ENDPOINT.split("/")[:3]))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
