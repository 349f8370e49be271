"""Settings, read from the environment.

Two modes: demo/development (DEBUG may be on, SQLite under ./var by default) and production
(`CQS_ENV=production`), which refuses to start with a default SECRET_KEY or DEBUG on.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from chinhquyenso.payments.conf import (
    SANDBOX_DEMO_SECRET,
    GatewayConfigError,
    default_gateway_from_env,
    gateways_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent  # src/chinhquyenso
VAR_DIR = Path(os.environ.get("CQS_VAR_DIR", Path.cwd() / "var")).resolve()

DEMO_SECRET_KEY = "cqs-demo-insecure-key-do-not-use-in-production"  # noqa: S105 (refused in production)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} không hợp lệ: dùng true hoặc false.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest (≥ 8.2) sets PYTEST_VERSION: the suite runs in "test" mode unless told otherwise.
ENVIRONMENT = os.environ.get("CQS_ENV", "test" if os.environ.get("PYTEST_VERSION") else "development").strip().lower()
if ENVIRONMENT not in {"development", "demo", "test", "production"}:
    raise ImproperlyConfigured(f"CQS_ENV={ENVIRONMENT!r} không hợp lệ: dùng development, demo, test hoặc production.")
PRODUCTION = ENVIRONMENT == "production"
DEMO_MODE = env_bool("CQS_DEMO", not PRODUCTION)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)

if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Chế độ production cần biến môi trường SECRET_KEY riêng, ngẫu nhiên, dài ít nhất 50 ký tự "
            "(production needs its own random SECRET_KEY of at least 50 characters)."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "Chế độ production không được bật DEBUG: đặt DEBUG=false (production must not run with DEBUG on)."
        )
    if DEMO_MODE:
        raise ImproperlyConfigured(
            "Chế độ production không được bật CQS_DEMO (demo sign-ins are never allowed in production)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Chế độ production cần ALLOWED_HOSTS (production needs ALLOWED_HOSTS).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# --- database -----------------------------------------------------------------------------------
_default_db_url = f"sqlite:///{VAR_DIR / 'cqs.sqlite3'}"
_db_url = os.environ.get("DATABASE_URL", "").strip() or _default_db_url
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
except Exception as exc:  # dj_database_url raises bare ValueError/KeyError variants
    raise ImproperlyConfigured(
        f"DATABASE_URL không hợp lệ ({exc}). Ví dụ: postgres://user:pass@127.0.0.1:5432/cqs "
        "hoặc sqlite:///var/cqs.sqlite3"
    ) from None
if _db.get("ENGINE") not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ImproperlyConfigured("DATABASE_URL phải là PostgreSQL (postgres://...) hoặc SQLite (sqlite:///...).")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets the web server and the worker read while one of them writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    if str(_db.get("NAME", "")).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("TEST", {})
    if os.environ.get("CQS_TEST_DB_NAME"):
        _db["TEST"]["NAME"] = os.environ["CQS_TEST_DB_NAME"]
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "chinhquyenso.core",
    "chinhquyenso.agencies",
    "chinhquyenso.accounts",
    "chinhquyenso.catalog",
    "chinhquyenso.dossiers",
    "chinhquyenso.payments",
    "chinhquyenso.sandbox_pay",
    "chinhquyenso.signing",
    "chinhquyenso.wallet",
    "chinhquyenso.quality",
    "chinhquyenso.demo",
]

MIDDLEWARE = [
    "chinhquyenso.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chinhquyenso.core.middleware.PrivateApiCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chinhquyenso.config.urls"
WSGI_APPLICATION = "chinhquyenso.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "chinhquyenso.core.context_processors.site",
            ],
        },
    }
]

# --- accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "chinhquyenso.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["chinhquyenso.accounts.hashers.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: lock an account+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chinhquyenso.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # usernames can be CCCD numbers: keep them out of extra tables

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Each language named in itself, so a speaker finds theirs whatever the page language.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected files (`cqs collectstatic`); elsewhere WhiteNoise reads the apps' folders.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static")) if PRODUCTION else None
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
_storage_backend = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
if _storage_backend == "s3":
    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "cqs"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif _storage_backend == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("STORAGE_BACKEND phải là local hoặc s3.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, serve static files straight from the apps (no collectstatic step for the demo).
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chính quyền số <no-reply@localhost>")

# --- cache and sessions -------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- tasks --------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if ENVIRONMENT == "test":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- logging: one JSON object per line, with the request id; never personal data ------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "chinhquyenso.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "chinhquyenso.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stderr,
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

SITE_NAME = os.environ.get("CQS_SITE_NAME", "Cổng Dịch vụ công thành phố Hải Phòng")
# The province this installation serves (code from the `vietnam-provinces` package; 31 = Hải Phòng).
CQS_PROVINCE_CODE = int(os.environ.get("CQS_PROVINCE_CODE", "31"))
ADMIN_PATH = os.environ.get("CQS_ADMIN_PATH", "quan-tri").strip("/")

# SMS for applicant notifications: console | file | http (see dossiers/notifications.py).
CQS_SMS_BACKEND = os.environ.get("CQS_SMS_BACKEND", "console" if not PRODUCTION else "http")
CQS_SMS_FILE = os.environ.get("CQS_SMS_FILE", str(VAR_DIR / "sms.jsonl"))
CQS_SMS_URL = os.environ.get("CQS_SMS_URL", "")
CQS_SMS_TOKEN = os.environ.get("CQS_SMS_TOKEN", "")
# Attachments (DOMAIN: PDF, JPEG, PNG checked by content).
CQS_MAX_FILE_BYTES = int(os.environ.get("CQS_MAX_FILE_MB", "10")) * 1024 * 1024
CQS_MAX_DOSSIER_BYTES = int(os.environ.get("CQS_MAX_DOSSIER_MB", "50")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The 766 index: points and thresholds per indicator over the defaults (quality/indicators.py, ADR 0015), as JSON,
# e.g. '{"online_dossiers": {"points": 8}, "online_payment": {"points": 8}}'; `cqs check` says what does not add up.
try:
    CQS_766_WEIGHTS = json.loads(os.environ.get("CQS_766_WEIGHTS") or "{}")
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"CQS_766_WEIGHTS không phải JSON hợp lệ: {exc.msg} (ký tự {exc.pos}).") from None
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The public address citizens reach; used in QR codes and links in e-mails and SMS.
CQS_PUBLIC_BASE_URL = os.environ.get("CQS_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The payment gateway SIMULATOR (sandbox_pay) is mounted only in demo and tests, never in production.
CQS_SANDBOX_PAY = env_bool("CQS_SANDBOX_PAY", not PRODUCTION)
if PRODUCTION and CQS_SANDBOX_PAY:
    raise ImproperlyConfigured("Chế độ production không được bật CQS_SANDBOX_PAY (the payment simulator).")
CQS_SANDBOX_PAY_SECRET = os.environ.get("CQS_SANDBOX_PAY_SECRET", SANDBOX_DEMO_SECRET)
CQS_SANDBOX_PAY_IPN_URL = os.environ.get("CQS_SANDBOX_PAY_IPN_URL", "")
try:
    CQS_PAYMENT_GATEWAYS = gateways_from_env(
        os.environ, public_base_url=CQS_PUBLIC_BASE_URL, sandbox=CQS_SANDBOX_PAY, production=PRODUCTION
    )
    CQS_PAYMENT_DEFAULT_GATEWAY = default_gateway_from_env(os.environ, CQS_PAYMENT_GATEWAYS)
except (GatewayConfigError, ValueError) as exc:
    raise ImproperlyConfigured(f"Cấu hình cổng thanh toán không hợp lệ: {exc}") from None
CQS_PAY_BEFORE_PROCESSING = env_bool("CQS_PAY_BEFORE_PROCESSING", True)
CQS_PAY_SERVER_IP = os.environ.get("CQS_PAY_SERVER_IP", "127.0.0.1")
CQS_RECEIPT_SYMBOL = os.environ.get("CQS_RECEIPT_SYMBOL", "{unit}/{year}")
