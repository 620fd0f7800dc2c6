"""Settings for the pôles de compétitivité site.

Every setting that differs between machines comes from the environment, read through small typed helpers that
refuse bad values. Defaults are safe for local use: DEBUG off, SQLite under the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# production: secrets and hosts from the environment or no start, HTTPS only (HSTS, secure cookies): see below.
DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}")
# The fallback key only serves local use; production refuses to start without a real one.
SECRET_KEY = env_str("SECRET_KEY", "insecure-local-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "widget_tweaks",
    "dsfr",
    "axes",
    "simple_history",
    "poles",
    "policy",
    "events",
    "permalinks",  # old addresses of public pages (renamed slugs, merged pôles) and their 301s
    "opendata",  # the datasets of /donnees/ and the read-only JSON API of /api/
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.page_cache.PublicPageCacheMiddleware",  # anonymous pages from the cache, keyed on the content version
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PublicReadsFromReplicaMiddleware",  # only acts when DATABASE_REPLICA_URL is set
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each change, for the content history
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.CspNonceForDsfrMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",  # a database that cannot be reached gives a 503 page
    "permalinks.middleware.RedirectFallbackMiddleware",  # a 404 at an address that moved becomes a 301
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lock-out into its page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "config.context_processors.site",
            ],
        },
    },
]

VAR_DIR = BASE_DIR / "var"  # local state: the SQLite file, collected static files, backups
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Short queries: JIT compilation costs more than it saves (40 ms on a broad archive search), and the facet
# counts of a broad search sort and hash more than the default 4 MB. The site's tables live in memory or on SSDs:
# at the default random_page_cost of 4 the planner read 10 000 events or 100 000 event-pôle links whole rather
# than through the covering indexes made for them (the event list rendered afresh: ~65 ms instead of ~48 at
# synthetic scale).
# A database that does not answer must not hold a worker: 2 s to connect, then a 503 page.
# (The test suite connects its own PostgreSQL server with these same options: tests/conftest.py.)
POSTGRES_OPTIONS = {"options": "-c jit=off -c work_mem=32MB -c random_page_cost=1.1", "connect_timeout": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
if os.environ.get("DATABASE_REPLICA_URL"):
    # A read replica for what anonymous visitors read (config.routers); the tests read the primary.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache must be shared by every process that serves or changes content (gunicorn workers, management
# commands, other instances): the content version that keeps cached results fresh lives in it (poles.versioning).
# REDIS_URL: Django's own Redis backend, for several machines. Otherwise files under var/cache, shared on one machine.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.OccasionallyCulledFileCache",
            "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Part of every cache key made from content (poles.versioning): what the old code cached is never served by the new.
# RELEASE_ID (a commit hash, a build number) if set, else a fingerprint of the code and templates (config.release).
RELEASE_ID = release_id()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff login throttling (django-axes): 5 failed logins for one username from one address lock that pair out for
# 15 minutes, even with the right password. Each failure is stored (AccessAttempt, AccessFailureLog: readable in the
# admin) and logged as a warning; a successful login clears the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
PROXY_COUNT = 0  # reverse proxies in front of gunicorn (production: PROXY_COUNT, default 1)

# Content history (django-simple-history, see poles.history): reading it and restoring a version take the
# permissions of the historical models (view/change_historical<model>), which poles.roles gives to éditeurs.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
# Restoring goes through our own action (values and many-to-many, permissions checked), not simple-history's form.
SIMPLE_HISTORY_REVERT_DISABLED = True

# French at /, English under /en/ (config.urls: i18n_patterns without a prefix for French); the admin stays French.
# The language follows the address only, never a cookie or the browser's Accept-Language (LocaleMiddleware does so
# for unprefixed paths when the default language has no prefix), so a cached page is always in its URL's language.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats per language (config/formats/<lang>/formats.py), before Django's.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# whitenoise rewrites the DSFR stylesheet, so the checksums django-dsfr would emit no longer match (STACK.md).
DSFR_USE_INTEGRITY_CHECKSUMS = False

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Session and CSRF cookies only travel over HTTPS in production; scripts never read the session cookie.
SESSION_COOKIE_SECURE = DJANGO_ENV == "production"
CSRF_COOKIE_SECURE = DJANGO_ENV == "production"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by config.middleware.PermissionsPolicyMiddleware: the site uses no camera, microphone, location nor payment.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

if DJANGO_ENV == "production":
    # Production refuses to start on a guessable or missing secret, an open host list or a debug mode.
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"DJANGO_ENV=production needs these environment variables: {', '.join(missing)}")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a long random value (50 characters or more) in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be false in production")
    # Behind a reverse proxy that terminates TLS and says so in X-Forwarded-Proto (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = 8 * 3600  # a working day for staff
    # The login throttle counts failures per client address: behind the proxy, that address is in X-Forwarded-For,
    # as appended by the PROXY_COUNT trusted proxies in front of gunicorn (a client cannot forge what they add).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))

ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
