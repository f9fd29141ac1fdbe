"""Settings for Jiedu, read from the environment (django-environ).

Every variable read here is listed in .env.example; tests/test_docs.py checks that.
JIEDU_ENV=production turns on the production rules: no DEBUG, and the process refuses to
start without a secret key and data-encryption keys.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = PROJECT_DIR / "var"

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

JIEDU_ENV = env.str("JIEDU_ENV", default="development")
if JIEDU_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("JIEDU_ENV must be 'development' or 'production'")
PRODUCTION = JIEDU_ENV == "production"

DEBUG = False if PRODUCTION else env.bool("DJANGO_DEBUG", default=True)

# Development keys are fixed and public: they exist so that a newcomer runs the platform with nothing set.
_DEV_SECRET = "dev-insecure-secret-key-do-not-use-in-production-0123456789"
_DEV_DATA_KEYS = "dev1:ZGV2LWluc2VjdXJlLWtleQ=="  # base64 of 16 bytes, public
_DEV_BLIND_INDEX_KEY = "ZGV2LWluc2VjdXJlLWJsaW5kLWluZGV4LWtleS0wMDA="


def _required_in_production(name: str, dev_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when JIEDU_ENV=production")
    return dev_default


SECRET_KEY = _required_in_production("DJANGO_SECRET_KEY", _DEV_SECRET)
# Data-encryption keys for personal identifiers: "key_id:base64(16 bytes)" entries, comma separated.
JIEDU_DATA_KEYS = _required_in_production("JIEDU_DATA_KEYS", _DEV_DATA_KEYS)
# Which of JIEDU_DATA_KEYS encrypts new values; older keys still decrypt (rotation).
JIEDU_DATA_KEY_ID = env.str("JIEDU_DATA_KEY_ID", default="") or JIEDU_DATA_KEYS.split(",")[0].split(":")[0]
# Key for the HMAC-SM3 blind index used for exact-match search and uniqueness.
JIEDU_BLIND_INDEX_KEY = _required_in_production("JIEDU_BLIND_INDEX_KEY", _DEV_BLIND_INDEX_KEY)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "jiedu.common",
    "jiedu.accounts",
    "jiedu.organisation",
    "jiedu.people",
    "jiedu.audit",
    "jiedu.epidemic",
    "jiedu.gatelog",
    "jiedu.health",
    "jiedu.environment",
    "jiedu.isolation",
    "jiedu.standby",
    "jiedu.overseas",
    "jiedu.staffleave",
    "jiedu.screening",
    "jiedu.crosscheck",
    "jiedu.evidence",
    "jiedu.standards",
    "jiedu.supervision",
    "jiedu.findings",
    "jiedu.hygiene",
    "jiedu.assessment",
    "jiedu.api",
    "jiedu.dashboard",
    "jiedu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiedu.common.request_context.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiedu.common.locale.JieduLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiedu.common.request_context.LoginRequiredMiddleware",
    "jiedu.audit.middleware.DeniedActionAuditMiddleware",
]

ROOT_URLCONF = "jiedu.urls"
WSGI_APPLICATION = "jiedu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "jiedu.organisation.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jiedu.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded default: WAL lets readers work while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development the finders serve assets straight from the source tree (and build output).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "jiedu.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["jiedu.api.filters.ScopedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiedu.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiedu API",
    "DESCRIPTION": "戒毒场所综合管理平台 API. Every list is scoped to the caller's facilities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ResidentStatusEnum": "jiedu.people.models.Resident.Status",
        "StaffStatusEnum": "jiedu.people.models.Staff.Status",
        "StaffKindEnum": "jiedu.people.models.Staff.Kind",
        "DepartmentKindEnum": "jiedu.organisation.models.Department.Kind",
        "EnvironmentRecordKindEnum": "jiedu.environment.models.EnvironmentRecord.Kind",
        "GateOutcomeEnum": "jiedu.gatelog.models.GateEvent.Outcome",
        "ScreeningRoundKindEnum": "jiedu.screening.models.ScreeningRound.Kind",
        "CatalogueVersionStatusEnum": "jiedu.standards.models.CatalogueVersion.Status",
        "SelfAssessmentStatusEnum": "jiedu.standards.models.SelfAssessment.Status",
        "FindingStatusEnum": "jiedu.findings.models.Finding.Status",
        "FindingOriginEnum": "jiedu.findings.models.Finding.Origin",
        "FindingSeverityEnum": "jiedu.findings.models.Finding.Severity",
        "FindingMethodEnum": "jiedu.findings.models.Finding.Method",
        "FindingOversightEnum": "jiedu.findings.models.Finding.Oversight",
        "FindingEventKindEnum": "jiedu.findings.models.FindingEvent.Kind",
        "TeamKindEnum": "jiedu.supervision.models.Team.Kind",
        "CampaignKindEnum": "jiedu.supervision.models.Campaign.Kind",
        "InspectionStatusEnum": "jiedu.supervision.models.Inspection.Status",
        "EvidenceFileKindEnum": "jiedu.evidence.models.EvidenceFile.Kind",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "jiedu.common.log_filters.RequestContextLogFilter"},
        "scrub_pii": {"()": "jiedu.common.log_filters.PiiScrubFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_context", "scrub_pii"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("JIEDU_LOG_LEVEL", default="INFO")},
    # runserver's access log prints query strings: route it through the scrubbing handler too.
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # fpdf2's font subsetting is chatty at INFO: a dozen lines for every PDF.
        "fontTools": {"level": "WARNING"},
    },
}

# A CJK font for printed documents (PDF hand-over sheets); Debian's fonts-noto-cjk provides this one.
JIEDU_PDF_FONT = env.str("JIEDU_PDF_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Evidence files (inspection photos, video screenshots, rectification proof): outside static and
# media URLs, under random names, served only through a view that checks the reader's scope.
EVIDENCE_ROOT = Path(env.str("JIEDU_EVIDENCE_ROOT", default=str(VAR_DIR / "evidence")))
EVIDENCE_MAX_BYTES = env.int("JIEDU_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

DEMO_PASSWORD = env.str("JIEDU_DEMO_PASSWORD", default="Jiedu#Demo2026")
