"""Django settings, read from the environment.

With DJANGO_DEBUG unset or false, start-up raises ImproperlyConfigured until DJANGO_SECRET_KEY,
INONE_BASE_URL and DJANGO_ALLOWED_HOSTS are set, so a production deploy cannot run on
development defaults. With DJANGO_DEBUG=1 every setting has a local default and the database
is a SQLite file, so a first run needs no server.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1 or 0.")


def env_required(name: str, debug_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(
        f"{name} is not set. Set it in the environment, or set DJANGO_DEBUG=1 for a local run."
    )


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_required("DJANGO_SECRET_KEY", "insecure-local-development-key-not-for-production")
# Previous secret keys, comma-separated, still accepted for sessions and sealed SP keys while
# the secret is rotated.
SECRET_KEY_FALLBACKS = [
    key.strip()
    for key in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",")
    if key.strip()
]

INONE_BASE_URL = env_required("INONE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(INONE_BASE_URL)
if _base.scheme not in ("http", "https") or not _base.netloc or _base.path not in ("", "/"):
    raise ImproperlyConfigured(
        f"INONE_BASE_URL={INONE_BASE_URL!r} must be a scheme and host only, "
        "such as https://inone.useinsider.com."
    )
if not DEBUG and _base.scheme != "https":
    raise ImproperlyConfigured("INONE_BASE_URL must use https when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = [
    host.strip()
    for host in env_required("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "accounts.apps.AccountsConfig",
    "sso.apps.SsoConfig",
    "scim.apps.ScimConfig",
    "inone.apps.InoneConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "inone.urls"
WSGI_APPLICATION = "inone.wsgi.application"
ASGI_APPLICATION = "inone.asgi.application"

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
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.AccountBackend"]
# Emails are unique per tenant (a database constraint), not globally, because the same person
# in two tenants has two accounts. AccountBackend scopes every look-up accordingly.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [INONE_BASE_URL]

# A SAMLResponse with a few certificates and attributes is 10 to 30 KiB; the limit leaves room
# for large group lists while keeping XML parsing bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}

# --- SAML service provider (owned by the sso app) ---
# --- end SAML service provider ---

# --- SCIM server (owned by the scim app) ---
# --- end SCIM server ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "inone.log_format.KeyValueFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "inone": {"handlers": ["console"], "level": os.environ.get("INONE_LOG_LEVEL", "INFO")},
        # pysaml2 7.5 logs whole assertions at DEBUG, and at ERROR it can quote a whole decoded
        # response inside a signature error. The sso app logs its own reason for every
        # rejection, so pysaml2's own lines are kept out.
        "saml2": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
    },
}
