"""Settings for OER Coalition Hub.

Every setting that varies between machines comes from an environment variable,
documented in README.md ("Configuration"). The defaults are safe: without
HUB_DEBUG=1 the Hub runs as in production and refuses to start without a secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env("HUB_BASE_DIR", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(env("HUB_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("HUB_DEBUG", False)

SECRET_KEY = env("HUB_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set HUB_SECRET_KEY (or HUB_DEBUG=1 for local development).")
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - never used without HUB_DEBUG=1

ALLOWED_HOSTS = env_list("HUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("HUB_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("HUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # The Hub's apps come before allauth so that their templates override allauth's.
    "coalition.core",
    "coalition.recommendation",
    "coalition.members",
    "coalition.activities",
    "coalition.updates",
    "coalition.catalogue",
    "coalition.consultations",
    "coalition.monitoring",
    "coalition.site",
    "allauth",
    "allauth.account",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "csp",
]

MIDDLEWARE = [
    # First: oversized bodies, NUL characters and broken multipart bodies are refused
    # before anything reads them (core.guard).
    "coalition.core.guard.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Turns django-ratelimit's refusals into a 429 page (RATELIMIT_VIEW) instead of a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coalition.site.context_processors.hub",
                # After Django's own csrf processor: kept pages get a slot, not a token.
                "coalition.core.page_cache.csrf_slot",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hub.sqlite3'}"),
        conn_max_age=int(env("HUB_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" when two writers upgrade their locks at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "site:my-hub"
LOGOUT_REDIRECT_URL = "site:home"

# Accounts (django-allauth): e-mail is the login, and must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_SIGNUP_FORM_CLASS = "coalition.members.forms.SignupForm"
# The Hub's name and address in accounts' mails, in the reader's language (not example.com).
ACCOUNT_ADAPTER = "coalition.site.accounts.AccountAdapter"
ACCOUNT_FORMS = {"signup": "coalition.site.accounts.SignupForm"}
# An address that has an account gets the same answer as a new one; the account is mailed.
ACCOUNT_PREVENT_ENUMERATION = True

# Languages: the interface speaks the six UN languages. Content fields are
# translated separately (modeltranslation) and fall back in a fixed order.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# One date style per language, CLDR's (the clocks' Babel), in Django's `date` filter too.
FORMAT_MODULE_PATH = ["coalition.site.formats"]
USE_TZ = True
TIME_ZONE = "UTC"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "ar", "es", "ru", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-hans")
# Content is written in one language first; it must not be copied into the others.
MODELTRANSLATION_AUTO_POPULATE = False

STATIC_URL = "static/"
STATIC_ROOT = Path(env("HUB_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("HUB_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Request size: a body declared larger than this is refused with a 413 before it is read
# (core.guard). The proxy in front must refuse larger bodies too (README, "Production":
# nginx `client_max_body_size 25m;`). Within it, files over 2 MB go to a temporary file and
# the form fields together may not exceed 5 MB; each form field has its own, smaller limit.
HUB_MAX_REQUEST_BYTES = int(env("HUB_MAX_REQUEST_MB", "25")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Errors under these paths are answered as JSON (core.guard), like the API's own.
HUB_JSON_PATH_PREFIXES = ["/api/"]
# Uploads served to anyone at MEDIA_URL (core.uploads): images only, from these folders.
HUB_PUBLIC_UPLOAD_DIRS = ["logos/", "activities/"]
HUB_UPLOAD_CACHE_SECONDS = int(env("HUB_UPLOAD_CACHE_SECONDS", "3600"))

_redis_url = env("HUB_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
RATELIMIT_VIEW = "coalition.site.views.rate_limited"
# How long anonymous visitors' list pages are kept (core.page_cache); 0 keeps none. Edits
# show at once; this bounds what no edit announces, like an event's passing into the past.
HUB_PAGE_CACHE_SECONDS = int(env("HUB_PAGE_CACHE_SECONDS", "60"))

# Background work: the database queue needs no broker; run more `db_worker`s to scale.
TASKS = {"default": {"BACKEND": env("HUB_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A retry-safe task RUNNING this long when a worker starts was left by a dead worker and
# is run again (core.recovery).
TASK_STALL_MINUTES = int(env("HUB_TASK_STALL_MINUTES", "15"))

EMAIL_BACKEND = env(
    "HUB_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("HUB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("HUB_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("HUB_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("HUB_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HUB_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("HUB_DEFAULT_FROM_EMAIL", "OER Coalition Hub <hub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env("HUB_SECRETARIAT_EMAIL", "secretariat@localhost")

# Sending the Update: messages per second per worker (0: as fast as the SMTP server
# takes them), and how long a worker's claim on a batch lasts before another may take it.
UPDATE_SEND_RATE = float(env("HUB_UPDATE_SEND_RATE", "0"))
UPDATE_SEND_LEASE_SECONDS = int(env("HUB_UPDATE_SEND_LEASE_SECONDS", "120"))
# A temporary SMTP refusal is retried after this many seconds, doubling at each attempt
# (at most an hour between attempts).
UPDATE_RETRY_SECONDS = float(env("HUB_UPDATE_RETRY_SECONDS", "30"))
# The subscription form sends at most one confirmation mail per address in this many
# seconds, however often it is submitted (0: no limit).
UPDATE_CONFIRMATION_INTERVAL = int(env("HUB_UPDATE_CONFIRMATION_INTERVAL", "600"))
# Shared secret of the bounce webhook (header X-Hub-Bounce-Token); unset disables it.
UPDATE_BOUNCE_TOKEN = env("HUB_UPDATE_BOUNCE_TOKEN") or None

# Catalogue harvesting (catalogue.services.harvesting): how long a worker's hold on a source
# lasts without renewal, how often the workers look for due sources, the largest page read.
CATALOGUE_HARVEST_LEASE = int(env("HUB_CATALOGUE_HARVEST_LEASE", "300"))
CATALOGUE_SCHEDULE_SECONDS = int(env("HUB_CATALOGUE_SCHEDULE_SECONDS", "300"))
CATALOGUE_MAX_PAGE_BYTES = int(env("HUB_CATALOGUE_MAX_PAGE_MB", "100")) * 1024 * 1024
CATALOGUE_HTTP_TIMEOUT = float(env("HUB_CATALOGUE_HTTP_TIMEOUT", "60"))
# Signs the OAI-PMH provider's resumption tokens; they stay valid this many seconds.
CATALOGUE_OAI_TOKEN_SECONDS = int(env("HUB_CATALOGUE_OAI_TOKEN_SECONDS", "86400"))

# Security: strict by default; development relaxes only what plain HTTP needs.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("HUB_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HUB_BEHIND_PROXY") else None
)
SECURE_HSTS_SECONDS = int(env("HUB_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("HUB_HSTS_PRELOAD", False)
# Preloading commits the whole registrable domain and its subdomains to HTTPS in browsers
# for months; whoever runs the domain opts in (HUB_HSTS_PRELOAD=1). Django's reminder
# that it is off (security.W021) is therefore not a defect of a default deployment.
# The published-activity indexes carry the id as a non-key column on PostgreSQL (so that a
# filtered count reads the index alone); SQLite has no such columns and does without them
# (models.W040 says so on every command).
SILENCED_SYSTEM_CHECKS = ["security.W021", "models.W040"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from the Hub
# only, never inline (the pages' scripts are files in static/; JSON-LD and the API docs'
# settings are data blocks, which a policy does not govern); no plugins, no framing, forms
# posted only to the Hub. The browser tests fail on any violation it reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

COUNTRIES_FIRST_BREAK = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("HUB_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per OAI-PMH page request would drown the harvester's own messages.
        "httpx": {"level": "WARNING"},
    },
}

HUB_NAME = _("OER Coalition Hub")
