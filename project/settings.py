"""Datamill settings: one file, driven by the environment.

Every value has a development default; production differs only by environment
variables (see README, "Configuration").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONCE, NONE, SELF
from kombu import Exchange, Queue

from project import openapi
from project.env import celery_redis_url, env_bool, env_int, env_list, env_str, read_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var").resolve()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)

DATA_DIR = Path(env_str("DATA_DIR", str(VAR_DIR / "data"))).resolve()
# Unset means "the private Redis that `manage.py start` runs on this socket".
REDIS_URL = env_str("REDIS_URL") or f"unix://{VAR_DIR / 'redis.sock'}"
EMBEDDED_REDIS = not env_str("REDIS_URL")

# Uploads stream to disk under DATA_DIR (a rename, not a copy, moves them in place).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024**3)
FILE_UPLOAD_HANDLERS = ["apps.datasets.uploads.LimitedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
# Any other body (forms, JSON, uploads not signed in) is cut off past this at the ASGI boundary (live/body_limit).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 4 * 1024**2)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # Django's own limit on non-file data says the same
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
URL_IMPORT_TIMEOUT = env_int("URL_IMPORT_TIMEOUT", 600)
INGEST_MEMORY_LIMIT = env_str("INGEST_MEMORY_LIMIT", "1GB")
QUERY_TIMEOUT = env_int("QUERY_TIMEOUT", 10)
# Day/month order of date columns whose every value reads both ways (01/02/2000): "MDY" or "DMY".
# The ingest reads the same variable when it is not given the order.
DATE_ORDER = env_str("DATE_ORDER", "MDY").strip().upper()
if DATE_ORDER not in ("MDY", "DMY"):
    raise ValueError(f"DATE_ORDER must be MDY or DMY, not {DATE_ORDER!r}.")
# SQL over datasets (apps/sql): seconds a synchronous and an async statement may run, DuckDB's memory per statement.
SQL_TIME_LIMIT = env_int("SQL_TIME_LIMIT", 10)
SQL_ASYNC_TIME_LIMIT = env_int("SQL_ASYNC_TIME_LIMIT", 300)
SQL_MEMORY_LIMIT = env_str("SQL_MEMORY_LIMIT", "1GB")
# Statements one account, and one workspace, may have running or queued at once (apps/sql/caps.py).
SQL_MAX_RUNNING_PER_USER = env_int("SQL_MAX_RUNNING_PER_USER", 2)
SQL_MAX_RUNNING_PER_WORKSPACE = env_int("SQL_MAX_RUNNING_PER_WORKSPACE", 4)
# User-written SQL and expressions run in child processes capped at SQL_MEMORY_LIMIT (dataplane/engine/isolation.py):
# at most QUERY_CHILDREN at once per web or worker process, QUERY_CHILDREN_WARM of them started ahead.
QUERY_CHILDREN = env_int("QUERY_CHILDREN", 4)
QUERY_CHILDREN_WARM = env_int("QUERY_CHILDREN_WARM", 1)
QUERY_ANSWER_MAX_BYTES = env_int("QUERY_ANSWER_MAX_BYTES", 64 * 1024**2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_vite",
    "oauth2_provider",
    "rest_framework_simplejwt.token_blacklist",
    "apps.core",
    "apps.accounts",
    "apps.jobs",
    "apps.datasets",
    "apps.dashboards",
    "apps.audit",
    "apps.integrations",
    "apps.live",
    "apps.sql",
]

MIDDLEWARE = [
    "apps.live.streaming.AsyncStreamingMiddleware",  # under ASGI, stream exports chunk by chunk
    "apps.core.logs.RequestContextMiddleware",
    "apps.core.metrics.MetricsMiddleware",
    "apps.core.unavailable.RedisUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

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
                "csp.context_processors.nonce",
                "apps.core.context_processors.app_config",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything dj-database-url reads otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'datamill.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Abuse limits (README, "Security"; apps/accounts/login_throttle.py): failed sign-ins per window, requests an hour.
LOGIN_FAILURES_PER_ACCOUNT_AND_IP = env_int("LOGIN_FAILURES_PER_ACCOUNT_AND_IP", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 100)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3)
PASSWORD_RESETS_PER_IP = env_int("PASSWORD_RESETS_PER_IP", 10)
SIGNUPS_PER_IP = env_int("SIGNUPS_PER_IP", 10)

# Programs and single sign-on (README, "Programs, OAuth2 and single sign-on").
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_ACCESS_SECONDS", 300)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "CHECK_REVOKE_TOKEN": True,  # a password change or reset ends every JWT issued before it
    "SIGNING_KEY": SECRET_KEY,
}
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read the workspaces, datasets, charts and dashboards you can see",
        "write": "Upload, change and delete data where your role allows it",
    },
    "DEFAULT_SCOPES": ["read"],
    "OAUTH2_VALIDATOR_CLASS": "apps.accounts.oauth.OAuth2Validator",  # PKCE for public clients
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only checksums of OAuth2 tokens are stored
}
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_NAME = env_str("OIDC_NAME", "single sign-on")
INVITATION_DAYS = 7

# E-mail: the console by default, so password-reset links show in `make run`'s output.
_email = dj_email_url.parse(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "Datamill <datamill@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "frontend" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Vite names built files by content hash (assets/name-HASH.js), so browsers may cache them forever.
WHITENOISE_IMMUTABLE_FILE_TEST = r"/assets/[^/]+-[A-Za-z0-9_-]{8}\.(js|css)$"

DJANGO_VITE = {
    "default": {
        "dev_mode": env_bool("VITE_DEV", False),
        "dev_server_port": env_int("VITE_PORT", 5173),
        "manifest_path": BASE_DIR / "frontend" / "dist" / "manifest.json",
    }
}
VITE_DEV_ORIGIN = f"http://localhost:{DJANGO_VITE['default']['dev_server_port']}"

# Scripts only from our own origin: no inline scripts, every island is a module file.
_vite_dev = DJANGO_VITE["default"]["dev_mode"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE] + ([VITE_DEV_ORIGIN] if _vite_dev else []),
        "style-src": [SELF] + ([VITE_DEV_ORIGIN, "'unsafe-inline'"] if _vite_dev else []),
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF] + ([VITE_DEV_ORIGIN, "ws://localhost:*"] if _vite_dev else []),
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
# The API, and the OAuth2 token endpoints a browser app on another origin calls (no cookies there).
CORS_URLS_REGEX = r"^/(api/.*|oauth/token/|oauth/revoke_token/)$"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS")  # proxies whose X-Forwarded-For is believed; none by default

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "datamill",
        # A stopped Redis answers a 503 within seconds (apps/core/unavailable.py), never a hang.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }
}

# Live updates: Django Channels groups on the same Redis (redis-py reads `unix://` URLs too). The read
# timeout must outlast channels-redis's 5 s blocking pop, which redis-py's default (5 s) does not.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
            "prefix": "datamill:live",
            "capacity": 200,
            "expiry": 30,
        },
    }
}
# A job's progress reaches its subscribers at most this often (seconds); the last report always does.
LIVE_JOB_MIN_INTERVAL = float(env_str("LIVE_JOB_MIN_INTERVAL", "0.1"))
LIVE_CREDENTIAL_CHECK_SECONDS = float(env_str("LIVE_CREDENTIAL_CHECK_SECONDS", "5"))  # then closes 4401 if gone
LIVE_RIGHTS_CACHE_SECONDS = float(env_str("LIVE_RIGHTS_CACHE_SECONDS", "1"))  # a socket trusts a rights answer so long

# Celery: Redis as broker and result store.
CELERY_BROKER_URL = celery_redis_url(REDIS_URL)
CELERY_RESULT_BACKEND = celery_redis_url(REDIS_URL)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("JOB_TIME_LIMIT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Starts of one job whose worker process died (killed, out of memory) before it is given up.
JOB_MAX_DELIVERIES = env_int("JOB_MAX_DELIVERIES", 3)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a task gives up within about two seconds when Redis is down, so the request can answer 503.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# User queries (async SQL, derived builds) have their own queue and worker; a worker without -Q consumes both.
CELERY_TASK_DEFAULT_QUEUE, SQL_QUEUE = "celery", "queries"
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, SQL_QUEUE)]
CELERY_TASK_ROUTES = {"sql.run": {"queue": SQL_QUEUE}, "sql.build_derived_version": {"queue": SQL_QUEUE}}
QUERY_WORKER_CONCURRENCY = env_int("QUERY_WORKER_CONCURRENCY", 1)
CELERY_BEAT_SCHEDULE: dict = {
    "fail-abandoned-jobs": {"task": "jobs.fail_abandoned", "schedule": 300.0},
    "fail-orphaned-versions": {"task": "datasets.fail_orphaned_versions", "schedule": 60.0},
    "remove-old-sql-results": {"task": "sql.remove_old_results", "schedule": 3600.0},
    "clear-expired-credentials": {"task": "accounts.clear_expired_credentials", "schedule": 24 * 3600.0},
}
READYZ_WORKER_TIMEOUT = env_int("READYZ_WORKER_TIMEOUT", 5)

# Integrations: scheduled refresh, webhooks, version diffs.
# Outbound requests (URL import, refresh, webhooks) reach private and loopback addresses only when allowed.
OUTBOUND_ALLOW_PRIVATE = env_bool("OUTBOUND_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
# Diffs of versions with more rows than this (both together) run as a job; smaller ones answer at once.
DIFF_INLINE_ROWS = env_int("DIFF_INLINE_ROWS", 2_000_000)
# The address people use to reach this site, for links in webhook bodies.
SITE_URL = env_str("SITE_URL", f"http://{HOST}:{PORT}").rstrip("/")
CELERY_BEAT_SCHEDULE["run-due-refreshes"] = {"task": "integrations.run_due_refreshes", "schedule": 60.0}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.permissions.TokenScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.throttling.AnonRateThrottle",
        "apps.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "120/minute"),
        "user": env_str("API_RATE_USER", "1200/minute"),
    },
}

SPECTACULAR_SETTINGS = openapi.SPECTACULAR_SETTINGS

# Operations: `LOG_FORMAT=json` writes one JSON object a line; /metrics needs METRICS_TOKEN or loopback.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_COLLECTORS = ["apps.jobs.metrics.JobsCollector", "apps.datasets.metrics.IngestCollector"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "apps.core.logs.ContextFilter"}, "redact": {"()": "apps.core.logs.RedactFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(job_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # No secret in a line (apps/core/logs.py): uvicorn's access lines go to our handler, its WebSocket lines to its.
        "uvicorn.access": {"handlers": ["console"], "filters": ["redact"], "propagate": False},
        "uvicorn.error": {"filters": ["redact"]},
    },
}
