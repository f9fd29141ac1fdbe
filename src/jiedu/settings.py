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
_DEV_AUDIT_KEY = "ZGV2LWluc2VjdXJlLWF1ZGl0LWNoYWluLWtleS0wMDA="


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
# Key of the audit trail's HMAC-SM3 hash chain; kept outside the database so a database writer
# cannot re-forge the chain. Changing it makes every existing row fail verification.
JIEDU_AUDIT_KEY = _required_in_production("JIEDU_AUDIT_KEY", _DEV_AUDIT_KEY)
# Audit rows are kept at least 180 days (网络安全法 Art. 21(3)); the purge refuses a shorter setting.
JIEDU_AUDIT_RETENTION_DAYS = env.int("JIEDU_AUDIT_RETENTION_DAYS", default=365)

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
    "csp",
    "axes",  # login lockout (accounts/lockout.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "jiedu.privacy",  # access log, reveal with purpose, export approvals, data inventory (PI-01..05)
    "jiedu.administration",  # the three administrators' pages (三员分立, ACL-06)
    "jiedu.backups",  # backup and restore commands with a verified manifest (docs/reliability.md)
    "jiedu.scale",  # generated regions and benchmarks (generate-scale, python -m jiedu.scale.bench)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jiedu.common.http_methods.RefuseTraceMiddleware",  # TRACE/TRACK/CONNECT → 405 before anything else
    "csp.middleware.CSPMiddleware",  # outside WhiteNoise: static SVGs get the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiedu.common.cache_control.NoStoreMiddleware",  # inside WhiteNoise: static files stay cacheable
    "jiedu.common.request_context.RequestContextMiddleware",
    # Database unreachable → 503 with Retry-After; outside sessions and authentication, which query it too.
    "jiedu.common.database_outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiedu.common.locale.JieduLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "jiedu.accounts.middleware.SessionLifetimeMiddleware",  # absolute session lifetime, before LoginRequired
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiedu.common.request_context.LoginRequiredMiddleware",
    "jiedu.accounts.middleware.SecondFactorMiddleware",  # password-only sessions reach only the code step
    "jiedu.accounts.middleware.PasswordExpiryMiddleware",  # expired passwords reach only the change page
    "jiedu.audit.middleware.DeniedActionAuditMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes requires: turns a lockout into our 429 page
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
    # The platform's statements are short: PostgreSQL's JIT compiles a plan whenever its estimated
    # cost passes jit_above_cost, which the panel's count of a day's readings does at a year of
    # history, adding 15–20 ms of compilation to a 60 ms query. Off for the application's
    # connections; a `?options=` in DATABASE_URL takes precedence (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
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


# --- Browser and HTTP protections, deployment checks (issue 6: WEB-01..05, CFG-01, CFG-03, API-01/02) ---
from csp.constants import NONE, SELF  # noqa: E402  (kept inside this block)

# CSP (django-csp 4, ASVS 3.4.3): scripts and styles only from our own static files, so no inline
# <script>, no on* handlers and no style="" anywhere (htmx is told not to add its own <style> in
# base.html); data: images for QR codes and chart exports. Nothing may frame us or be embedded.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# HSTS, in production only: a browser remembers it for a year, and development runs on plain HTTP.
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION
# Only when a reverse proxy (e.g. the 国密 TLS gateway) terminates TLS, sets X-Forwarded-Proto and
# strips any copy sent by the client; otherwise a client could claim HTTPS.
if env.bool("JIEDU_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# security.W021 asks for HSTS "preload": the browsers' preload list holds public domains only, and an
# intranet host name can never be on it, so the directive would promise something that cannot happen.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The schema UI (/api/v1/docs/) is a development aid; production answers 404 there (API-01). The
# schema itself (/api/v1/schema/) is for logged-in or token clients only.
JIEDU_API_DOCS = not PRODUCTION
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
# The schema documents every error answer too (400/401/403/404/409/429), so clients and the fuzz
# run (scripts/fuzz_api.py) meet no undocumented status; drf-spectacular's enum hook stays first.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "jiedu.api.schema.document_error_responses",
]
# Token authentication first: an unauthenticated API call gets 401 with WWW-Authenticate: Token
# (DRF takes the challenge from the first class), a request carrying a token is decided by it, and
# the schema lists tokenAuth first. Session authentication keeps its place and its CSRF check.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = sorted(
    REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"], key=lambda path: not path.endswith(".TokenAuthentication")
)

# Rate limits per user on exports and searches (API-02), "N/s|min|hour|day"; common/rate_limits.py.
JIEDU_EXPORT_RATE = env.str("JIEDU_EXPORT_RATE", default="20/min")
JIEDU_SEARCH_RATE = env.str("JIEDU_SEARCH_RATE", default="60/min")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "jiedu.common.rate_limits.ScopedRateThrottle",
    "jiedu.common.rate_limits.SearchRateThrottle",
]
# Rate-limit counters live in this cache; several worker processes need a shared one (e.g.
# dbcache://jiedu_cache after `manage.py createcachetable`), or each worker counts on its own.
CACHES = {"default": env.cache("JIEDU_CACHE_URL", default="locmemcache://")}


# --- Login hardening, second factor and sessions (issue 6: AUTH-01..07, SESS-01..04) ---
from datetime import timedelta  # noqa: E402  (kept inside this block)

# Passwords (等保 8.1.4.1a 复杂度; ASVS 6.2): Django's length (12), common-list and similarity rules
# above, plus three of four character classes and no platform, bureau or facility names.
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "jiedu.accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "jiedu.accounts.password_validation.ContextWordsValidator"},
]
# 等保 8.1.4.1a 定期更换: change every N days (a documented deviation from ASVS 6.2.10).
JIEDU_PASSWORD_MAX_AGE_DAYS = env.int("JIEDU_PASSWORD_MAX_AGE_DAYS", default=90)

# Lockout (等保 8.1.4.1b) with django-axes: a username is locked after N failures for M minutes; one
# IP address is stopped after a higher number of failures over any usernames (password spraying).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "jiedu.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.int("JIEDU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("JIEDU_LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
JIEDU_LOGIN_IP_FAILURE_LIMIT = env.int("JIEDU_LOGIN_IP_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True  # N failures in a row, not N in a lifetime
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends M minutes after it began
AXES_LOCKOUT_CALLABLE = "jiedu.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jiedu.accounts.lockout.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records logins; no second copy of who logged in when
# axes.W006 wants "ip_address" among the lockout parameters: axes would then lock an address at the
# per-account limit; LockoutHandler counts addresses itself, against JIEDU_LOGIN_IP_FAILURE_LIMIT.
SILENCED_SYSTEM_CHECKS += ["axes.W006"]

# Second factor (等保 8.1.4.1d; ASVS 6.3.3): TOTP codes, required for these roles, available to all.
JIEDU_OTP_REQUIRED_ROLES = env.list(
    "JIEDU_OTP_REQUIRED_ROLES",
    default=["bureau_leader", "facility_leader", "system_admin", "security_admin", "audit_admin"],
)
OTP_TOTP_ISSUER = "Jiedu"
OTP_TOTP_SYNC = False  # never widen the window beyond one step either side (ASVS 6.5.5)

# Sessions (ASVS 7.3): the idle timeout is SESSION_COOKIE_AGE above; this is the absolute one.
JIEDU_SESSION_ABSOLUTE_HOURS = env.int("JIEDU_SESSION_ABSOLUTE_HOURS", default=10)
# ASVS 3.3.3: over HTTPS the cookies carry the __Host- prefix (Secure, path /, no domain), so no
# other host of the intranet domain can set or overwrite them. Plain-HTTP development cannot.
if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Accounts (等保 8.1.4.2c): logins idle this many days are disabled by `disable-idle-accounts`.
JIEDU_ACCOUNT_IDLE_DAYS = env.int("JIEDU_ACCOUNT_IDLE_DAYS", default=90)


# --- Separated administrators and personal-data access (issue 6: ACL-06, PI-01..05, LOG-01, LOG-05) ---
# The data inventory: every model field classified (purpose, legal basis, sensitivity, retention); the
# retention purge (`purge-personal-data`) reads its `expire` entries. Shipped with the code, not data.
JIEDU_DATA_INVENTORY = PROJECT_DIR / "docs" / "data-inventory.yaml"


# --- Scale and reliability (issue 7) ---
# Answers to idempotent submissions (Idempotency-Key) are kept this many days, then forgotten by
# `purge-idempotency-keys`; it must cover the longest a tablet may hold unsent work offline.
JIEDU_IDEMPOTENCY_KEY_DAYS = env.int("JIEDU_IDEMPOTENCY_KEY_DAYS", default=7)
