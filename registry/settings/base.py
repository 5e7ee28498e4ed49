"""Settings shared by every environment; configuration comes from environment variables.

DATABASE_URL  SQLite by default (``var/registry.sqlite3``), PostgreSQL in production.
SECRET_KEY    required in production; the first local run generates one in ``var/``.
DEBUG         "1"/"true" to enable.
ALLOWED_HOSTS comma-separated host names.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .instance import instance_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("REGISTRY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Old keys still accepted for sessions and reset links while a new key is rolled out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "audit",
    "organizations",
    "catalog",
    "registry",
    "texts",
    "lifecycle",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (settings below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "registry.middleware.PathIdsInRangeMiddleware",
    "registry.middleware.NoNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The organization the request acts in: scopes its records and the user's roles.
    "organizations.middleware.CurrentOrganizationMiddleware",
    # Every page needs a login; the login page and static files opt out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Second factor, users with no role, re-authentication (registry/middleware.py).
    "registry.middleware.AccountGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "registry.middleware.AdminIdsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'registry.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins, so appends to a history
    # chain are serialised on SQLite as the row lock serialises them on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Migrations run as the owner role (docs/deployment.md, least privilege): a login role that
# is a member of it connects and assumes it.
if os.environ.get("DATABASE_ASSUME_ROLE"):
    DATABASES["default"].setdefault("OPTIONS", {})["assume_role"] = os.environ[
        "DATABASE_ASSUME_ROLE"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username or address before any password hash.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend whose permission sets are kept in the cache between requests.
    "registry.backends.CachedPermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:tree"
LOGOUT_REDIRECT_URL = "login"

# Chinese first; English is complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# History rows are append-only: no revert through the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Index (history_date, id) together: as-of queries look up the latest row per record.
SIMPLE_HISTORY_DATE_INDEX = "Composite"

# History you can trust (docs/architecture.md): the key that signs the chains lives in a
# file outside the database; anchors of the chains' heads are written outside it too.
REGISTRY_HISTORY_KEY_FILE = os.environ.get("REGISTRY_HISTORY_KEY_FILE", "")
REGISTRY_HISTORY_ANCHOR_DIR = os.environ.get(
    "REGISTRY_HISTORY_ANCHOR_DIR", str(VAR_DIR / "history-anchors"))
# The application's PostgreSQL role: after every migrate it gets its rights again, with
# only SELECT and INSERT on history and log tables. Empty: not managed.
REGISTRY_DB_APP_ROLE = os.environ.get("REGISTRY_DB_APP_ROLE", "")

# The organization whose system `seed_system` loads.
REGISTRY_ORGANIZATION = os.environ.get("REGISTRY_ORGANIZATION", "昌吉回族自治州社会保险管理局")
# Its administrative-division code (GB/T 2260: 652300 is 昌吉回族自治州) and English name.
REGISTRY_ORGANIZATION_CODE = os.environ.get("REGISTRY_ORGANIZATION_CODE", "652300")
REGISTRY_ORGANIZATION_EN = os.environ.get(
    "REGISTRY_ORGANIZATION_EN", "Changji Hui Autonomous Prefecture Social Insurance Bureau")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Lifecycle periods (configurable, docs/domain.md §3).
REGISTRY_COMMENT_PERIOD_DAYS = int(os.environ.get("REGISTRY_COMMENT_PERIOD_DAYS", "30"))
REGISTRY_PUBLIC_NOTICE_DAYS = int(os.environ.get("REGISTRY_PUBLIC_NOTICE_DAYS", "30"))
REGISTRY_REVIEW_INTERVAL_YEARS = int(os.environ.get("REGISTRY_REVIEW_INTERVAL_YEARS", "5"))
REGISTRY_TRAINING_INTERVAL_MONTHS = int(os.environ.get("REGISTRY_TRAINING_INTERVAL_MONTHS", "12"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registry@localhost")
# Used in e-mail links.
REGISTRY_BASE_URL = os.environ.get("REGISTRY_BASE_URL", "http://127.0.0.1:8000")

# --- Accounts and sessions (docs/deployment.md, "Security") --------------------------------
# Sessions last a working day unless configured otherwise; optionally end with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "9")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_HTTPONLY = True
# Sensitive pages (users and roles, bulk import confirm) ask for the password again when the
# last sign-in or confirmation is older than this.
REGISTRY_REAUTH_MINUTES = int(os.environ.get("REGISTRY_REAUTH_MINUTES", "15"))
# Administrators (the admin role and superusers) must use a second factor (TOTP).
REGISTRY_2FA_REQUIRED_FOR_ADMINS = env_bool("REGISTRY_2FA_REQUIRED_FOR_ADMINS", True)
# The administrators' roles: they must use a second factor and they grant roles.
REGISTRY_ADMIN_GROUPS = ["admin"]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Standard registry")
# Who users with no role are told to ask (shown on the no-role page).
REGISTRY_ROLE_CONTACT = os.environ.get("REGISTRY_ROLE_CONTACT", "")

# Throttling and lockout (django-axes): 5 failures lock the username and, separately, the
# address for AXES_COOLOFF_MINUTES; an administrator unlocks in /admin/axes/ or with
# `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "registry.views.accounts.lockout_response"
# The client address: REMOTE_ADDR, or behind nginx the one it appended (production.py).
AXES_CLIENT_IP_CALLABLE = "registry.rules.accounts.client_address"
# The security log (registry/rules/accounts.py): every failed sign-in is kept in
# axes' failure log, read by administrators only, for REGISTRY_SECURITY_LOG_DAYS; a user
# name that names no account is stored as a keyed hash, never as typed; the second-factor
# code is masked in the stored form data like the password.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_CALLABLE = "registry.rules.accounts.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]
REGISTRY_SECURITY_LOG_DAYS = int(os.environ.get("REGISTRY_SECURITY_LOG_DAYS", "90"))
REGISTRY_BEHIND_PROXY = env_bool("REGISTRY_BEHIND_PROXY", False)

# Content-Security-Policy (django-csp 4): nothing inline, no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The REST API (docs/api.md): personal tokens or the browser's session, the pages'
# permissions, one error shape, pages of 50, a rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Both act in the user's organization (organizations/api.py).
        "organizations.api.TokenInOrganization",
        "organizations.api.SessionInOrganization",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["audit.api.permissions.PagePermission"],
    "DEFAULT_PAGINATION_CLASS": "audit.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["audit.api.throttles.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE", "1200/min")},
    "EXCEPTION_HANDLER": "audit.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Standard-system registry API",
    "DESCRIPTION": "Read and change the standard system, its catalog and its lifecycle with "
                   "the permissions of the pages. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the application's own static files, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "NodeKindEnum": "registry.models.tree.NodeKind",
        "StandardLevelEnum": "catalog.models.choices.Level",
        "StandardStatusEnum": "catalog.models.choices.Status",
        "ProjectLevelEnum": "lifecycle.choices.ProjectLevel",
        "ProjectKindEnum": "lifecycle.choices.ProjectKind",
        "StageEnum": "lifecycle.choices.Stage",
        "DocumentKindEnum": "lifecycle.choices.DocumentKind",
        "ActionStatusEnum": "lifecycle.choices.ActionStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "audit.api.errors.document_errors",
    ],
    # The schema and its page as every endpoint: signed in, with a role.
    "SERVE_PERMISSIONS": ["audit.api.permissions.PagePermission"],
}

# --- Background work: Celery with Redis (registry/celery.py, docs/deployment.md) ----------
# Every job (exports, import previews, e-mail notices, the daily runs) goes to a worker
# through the broker; the web process never starts a process or sends mail itself.
from celery.schedules import crontab  # noqa: E402

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True          # jobs report through their ExportJob row
CELERY_TASK_ACKS_LATE = True              # a job is taken off the queue when it is done ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... and goes back if its worker dies under it
CELERY_WORKER_PREFETCH_MULTIPLIER = 1     # a worker holds only the jobs it is running
# Several installations (or test runs) may share one Redis: each keeps its keys under a
# prefix derived from its database unless CELERY_KEY_PREFIX / CACHE_KEY_PREFIX say otherwise
# (registry/settings/instance.py), so no worker takes another installation's tasks.
INSTANCE_KEY = instance_key(DATABASES["default"])
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A job not acknowledged after this many seconds (its worker was killed) is delivered
    # again, once, to another worker: longer than the longest job (the 5,000-row PDF took
    # 153 s on a busy machine, docs/performance.md), shorter than the reaper's limit below.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600")),
    # How often a worker looks for such messages: every interval × throttle seconds (kombu's
    # defaults, 10 × 10; the worker tests use 1 × 1 with a short visibility timeout).
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
    "global_keyprefix": os.environ.get("CELERY_KEY_PREFIX", f"{INSTANCE_KEY}:"),
    # Each queue is one list per priority step, taken in this order (on Redis 0 comes
    # first): a document a user waits for goes before bulk work (registry/tasks.py,
    # PRIORITIES). Producers and workers must agree on the steps.
    "priority_steps": [0, 3, 6, 9],
}
CELERY_TASK_DEFAULT_PRIORITY = 3          # notices and daily runs: between the two
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Workers log through LOGGING below (JSON lines with the request id of the request that
# queued the task, registry/request_log.py), not through Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# PDF layout is heavy: it has its own queue. Each PDF worker (`celery -A registry worker
# -Q pdf --pool solo`) lays out one PDF at a time with its own layout processes, so the
# number of PDF workers is the bound (docs/deployment.md).
CELERY_TASK_ROUTES = {"registry.tasks.run_pdf_job": {"queue": "pdf"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "run-deadlines": {"task": "lifecycle.tasks.run_deadlines",
                      "schedule": crontab(hour=1, minute=0)},
    "anchor-history": {"task": "registry.tasks.anchor_history",
                       "schedule": crontab(hour=1, minute=30)},
    "sweep-watch": {"task": "registry.tasks.sweep_watch", "schedule": crontab(hour=2, minute=0)},
    "sweep-import-previews": {"task": "registry.tasks.sweep_import_previews",
                              "schedule": crontab(hour=2, minute=30)},
    "reap-jobs": {"task": "registry.tasks.reap_jobs", "schedule": 300.0},
    "purge-security-log": {"task": "registry.tasks.purge_security_log",
                           "schedule": crontab(hour=3, minute=0)},
}
# A running job whose worker has not reported for this long is given up (reap_jobs); by
# default once the broker has had its chance to deliver it again (visibility timeout plus a
# restore period) and a margin.
REGISTRY_JOB_STALE_SECONDS = int(os.environ.get("REGISTRY_JOB_STALE_SECONDS") or (
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 300
    + CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"]
    * CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"]))
# Jobs one user may have queued or running at once (exports, documents, imports); past it
# StartJob refuses with 429 and Retry-After (registry/actions/jobs.py).
REGISTRY_JOBS_PER_USER = int(os.environ.get("REGISTRY_JOBS_PER_USER", "4"))
# The 429 page of a refused job (registry/views/jobs.py); axes stays the last middleware.
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                  "registry.views.jobs.TooManyJobsMiddleware")
# --- end of background work ---------------------------------------------------------------

# --- Several servers: request ids in the logs, health checks (docs/deployment.md) ---------
MIDDLEWARE = ["registry.request_log.RequestIdMiddleware", *MIDDLEWARE]
LOGGING["filters"] = {"request_id": {"()": "registry.request_log.RequestIdFilter"}}
LOGGING["formatters"] = {"json": {"()": "registry.request_log.JsonFormatter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
if os.environ.get("LOG_FORMAT", "json") == "json":  # LOG_FORMAT=plain: Python's default
    LOGGING["handlers"]["console"]["formatter"] = "json"
# --- The cache: Redis, shared by every server (docs/performance.md) ------------------------
# Sessions are read from it and written through to the database (``cached_db``), so any
# server can serve any user and a restart of Redis signs nobody out; each user's permissions
# are kept in it too (registry/backends.py). Redis db 1 by default, apart from the
# broker's db 0.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", INSTANCE_KEY),
        "TIMEOUT": 24 * 3600,
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The load balancer asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# --- end of several servers ---------------------------------------------------------------
