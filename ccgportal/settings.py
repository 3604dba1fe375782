"""Settings for the CCG Portal, read from environment variables with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


# Off unless asked for: a server started without DEBUG set is treated as production.
DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, "
            "or DEBUG=1 for local development (make run and make test do this)."
        )
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rules",
    "axes",
    "ccgportal",
    "directorates",
    "kpis",
    "finance",
    "surveys",
    "plans",
    "dashboards",
    "reports",
]

# The demo and synthetic data (load_demo, make_synthetic_data) are not production code: their
# app is installed in development and tests, or where a training or demonstration site asks
# for it with DEMO_DATA=1.
DEMO_DATA = env_bool("DEMO_DATA", default=DEBUG)
if DEMO_DATA:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # Outermost: every request gets its id and its log line, whatever answers it.
    "ccgportal.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz answers before sessions, log-ins or CSRF are touched.
    "ccgportal.health.HealthMiddleware",
    "csp.middleware.CSPMiddleware",
    "ccgportal.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ccgportal.security.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ccgportal.errors.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ccgportal.urls"
WSGI_APPLICATION = "ccgportal.wsgi.application"
ASGI_APPLICATION = "ccgportal.asgi.application"
# A form refused for its CSRF token gets the portal's page (ccgportal/errors.py).
CSRF_FAILURE_VIEW = "ccgportal.errors.csrf_failure"

# Portal pages render with Jinja2 so they can use NHS England's nhsuk-frontend-jinja
# components; Django's own templates stay for the admin.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "ccgportal.jinja2.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL this portal can use: {exc}"
    ) from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction begins, so concurrent saves on the development
    # server queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out user and address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# No inline script or style anywhere, so the policy never needs 'unsafe-inline' or 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Cookies: secure (HTTPS only) in production, never readable by script, not sent on
# cross-site requests.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session ends after SESSION_IDLE_MINUTES without a request (ccgportal/security.py renews
# it as the user works), and when the browser closes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# HTTPS: on by default in production. Behind a proxy that ends TLS, set
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (only when the proxy always sets or
# overwrites that header, or anyone could claim HTTPS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health probe may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
# How many proxies in front of the portal append to X-Forwarded-For: the address of a failed
# log-in is read from there (ccgportal/security.py client_ip), REMOTE_ADDR when 0.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Repeated failed log-ins (django-axes, in the database): after AXES_FAILURE_LIMIT failures
# for the same user name from the same address, that pair is refused for
# AXES_COOLOFF_MINUTES; an admin unlocks earlier by deleting its access attempt in admin
# (Axes, Access attempts) or with `python manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "ccgportal.security.client_ip"
# Axes' own log lines are off: failed log-ins are in the portal's audit log (ccgportal/logs.py).
AXES_VERBOSE = False

# The cache, and sessions beside the database: in Redis when REDIS_URL is set, so several
# workers and machines share them; otherwise each process keeps its own cache in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ccgportal"),
            "TIMEOUT": 24 * 3600,
        }
    }
    # Sessions in Redis for speed and in the database so a Redis restart signs nobody out.
    SESSION_ENGINE = "ccgportal.sessions"  # cached_db, where a Redis outage costs only time
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 24 * 3600,
        }
    }

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ccg-portal@localhost")
# Where people reach the portal, for links in emails sent outside a request (reminders).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Imports (common/uploads.py reads every IMPORT_* limit): the largest file accepted, in bytes.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# One JSON object a line on standard error (ccgportal/logs.py), for the log collector:
# a line per request, the audit log (approvals, reopens, imports, failed log-ins) and
# warnings. LOG_FORMAT=text prints plain lines instead, for reading in a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "ccgportal.logs.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {
            "()": "ccgportal.logs.TextFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs every 4xx with the exception's traceback (a full one for each 403);
        # the request line says the same in one line. A 500 is still logged with its
        # traceback, at ERROR.
        "django.request": {"level": "ERROR"},
        # django-axes reports every sign-in at INFO, with the user and address masked;
        # failures are in the audit log.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step and page of a PDF at INFO, and each refused address as a
        # warning (common/pdf.py keeps those itself).
        "weasyprint": {"level": "ERROR"},
        "weasyprint.progress": {"level": "ERROR"},
    },
}
