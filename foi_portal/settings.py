"""Settings, read from the environment with safe defaults.

With no configuration at all the app runs on an SQLite file under ``var/``, sends
email to the console, keeps uploads under ``var/media`` and caches under ``var/cache``;
background tasks run in-process with DEBUG on and in a database-queue worker otherwise.
Every variable is documented in the README's "Configuration" section.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FOI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DEBUG", False)


def private_dir(path):
    """Create a directory only its owner can open (an existing one is left as it is)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened: be exact


def private_file(path):
    """Make sure a file exists and only its owner can read it, before anything writes it."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        if path.stat().st_uid == os.getuid():
            path.chmod(0o600)


def is_weak_secret_key(key):
    # The same bar as Django's security.W009 check, so check --deploy stays quiet.
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


def development_secret_key():
    """A key generated on first use and kept in var/, which git ignores."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        private_dir(VAR_DIR)
        # Created owner-only: written with write_text, it would be readable for a moment.
        with os.fdopen(os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# True when no key was given and the one in var/ is used: in development, and for
# manage.py commands, which sign nothing that outlives them. The web server (wsgi.py)
# with DEBUG off refuses to start instead, and `manage.py check` warns (foi.W001).
SECRET_KEY_IS_GENERATED = not SECRET_KEY and (DEBUG or env_bool("FOI_MANAGEMENT_COMMAND", False))
if SECRET_KEY_IS_GENERATED:
    SECRET_KEY = development_secret_key()
elif is_weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or weak. With DEBUG off (production), set SECRET_KEY to a "
        "random string of at least 50 characters, for example the output of: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))". '
        "For development, set DEBUG=true instead and a key is generated for you."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks",
    "django_tasks_db",
    "exemptions",
    "responses",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "foi_portal.urls"
WSGI_APPLICATION = "foi_portal.wsgi.application"

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
                "responses.context_processors.navigation",
                "responses.context_processors.choices",
            ],
        },
    },
]


def database_from_url(url):
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except Exception as error:  # dj-database-url raises several types
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL ({error}).") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"DATABASE_URL names no database engine: {url!r}.")
    if "postgresql" in config["ENGINE"]:
        # Form choices are read with QuerySet.iterator(), which on PostgreSQL declares a
        # server-side cursor: three round trips for a list of a few dozen options, and a
        # decision form has five such lists. The app never streams a result too big to
        # fetch at once; this also makes it safe behind PgBouncer's transaction pooling.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    private_dir(VAR_DIR)
    # SQLite gives its journal files the database file's mode, so this covers them too.
    private_file(VAR_DIR / "db.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Wait for a writer rather than failing at once when two requests overlap.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", GOVUK_FRONTEND_DIR),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# GOV.UK Frontend's compiled stylesheet asks for its fonts and images under /assets/.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# The request editor posts four fields per question (responses.intake.MAX_QUESTIONS, 250):
# above Django's default of 1,000 fields a long request would get a bare "Bad request".
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000


def object_storage(bucket):
    """An S3-compatible bucket through django-storages (boto3). Credentials come from
    STORAGE_ACCESS_KEY_ID / STORAGE_SECRET_ACCESS_KEY, or boto3's own chain (AWS_* variables,
    an instance role) when those are not set."""
    options = {
        "bucket_name": bucket,
        "location": os.environ.get("STORAGE_PREFIX", ""),
        # Nothing public: every document is served by a view that checks permission.
        "default_acl": None,
        "querystring_auth": True,
        # Names are SHA-256s and stored files are never replaced (models/stored_files.py).
        "file_overwrite": False,
    }
    for option, variable in [
        ("endpoint_url", "STORAGE_ENDPOINT_URL"),
        ("region_name", "STORAGE_REGION"),
        ("access_key", "STORAGE_ACCESS_KEY_ID"),
        ("secret_key", "STORAGE_SECRET_ACCESS_KEY"),
    ]:
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Issued PDFs, public copies, enclosures and uploads (the logo) go to the "default"
# storage: files under MEDIA_ROOT, or the S3-compatible bucket STORAGE_BUCKET names.
STORAGES = {
    "default": (
        object_storage(os.environ["STORAGE_BUCKET"])
        if os.environ.get("STORAGE_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: the console by default; SMTP once EMAIL_HOST is set; or any backend named in
# EMAIL_BACKEND. With DEBUG off the console is refused by `check --deploy` (foi.E001):
# it would print requesters' private links into the server log instead of sending them.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "foi@localhost")
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = CONSOLE_EMAIL_BACKEND
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or EMAIL_BACKEND

# Background work (issuing PDFs): in-process for development; in production a worker beside
# the web server (`manage.py db_worker`), so no render runs inside a web request, which the
# web server may stop at any moment. foi_portal/checks.py refuses `immediate` with DEBUG off.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate" if DEBUG else "database")
TASK_BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASK_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASK_BACKEND!r}."
    )
TASKS = {"default": TASK_BACKENDS[TASK_BACKEND]}
if TASK_BACKEND == "rq":
    # django_rq provides the `rqworker` command and the queue connections the backend uses.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# Draft PDFs are rendered during the request that asks for one, in a child process stopped
# after this many seconds: keep it below the web server's request timeout (gunicorn: 30).
DRAFT_PDF_TIMEOUT_SECONDS = env_int("DRAFT_PDF_TIMEOUT_SECONDS", 20)

# Caches: files under var/, so every web worker process shares them. Draft PDFs have their
# own, bounded one, so culling PDFs never throws out anything else.
CACHE_DIR = VAR_DIR / "cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR / "default",
    },
    "draft_pdfs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR / "draft-pdfs",
        "TIMEOUT": 7 * 24 * 3600,
        # Each entry is one letter's PDF (tens of KB to a few MB).
        "OPTIONS": {"MAX_ENTRIES": env_int("DRAFT_PDF_CACHE_ENTRIES", 200)},
    },
}

# The public address of the site, used in emails and in every issued PDF's footer.
# `check --deploy` requires an https address other than this machine's (foi.E002/E003).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Deadlines: "ico" counts day one as the first working day after receipt; "code2018"
# treats a request received on a non-working day as received on the next working day.
DEADLINE_RECEIPT_RULE = os.environ.get("DEADLINE_RECEIPT_RULE", "ico")
if DEADLINE_RECEIPT_RULE not in ("ico", "code2018"):
    raise ImproperlyConfigured("DEADLINE_RECEIPT_RULE must be 'ico' or 'code2018'.")

# How long a requester's private link works.
REQUESTER_LINK_MAX_AGE_DAYS = env_int("REQUESTER_LINK_MAX_AGE_DAYS", 365)

# Security headers and cookies: on whenever DEBUG is off.
SECURE = env_bool("SECURE", not DEBUG)
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Requesters' private links never reach the log (foi_portal/log_redaction.py).
    "filters": {"redact_requester_links": {"()": "foi_portal.log_redaction.RedactRequesterLinks"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_requester_links"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Drop Django's own console handler, which printed every line twice under DEBUG;
    # its messages still reach the root handler above.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # runserver's request lines, through the redacting handler too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint logs every layout step, and fontTools every font it reads, at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------
# Security defaults (issue 14): sign-in lockout, rate limits, Content Security Policy,
# Permissions-Policy, no caching of personal data, idle sessions, owner-only files.
# Every variable here is in the README's configuration table.
# ---------------------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["axes", "csp"]
MIDDLEWARE += [
    # After WhiteNoise, so static files keep their own long-lived caching headers.
    "csp.middleware.CSPMiddleware",
    "foi_portal.middleware.SecurityHeadersMiddleware",
    # django-axes wants to be last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in lockout (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for SIGN_IN_LOCKOUT_MINUTES after the
# last failure. Attempts are kept in the database, so every worker process agrees.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "responses.views.sign_in.locked_out"
AXES_CLIENT_IP_CALLABLE = "responses.views.ratelimit.client_ip"

# The client's address, for the lockout and the rate limits. Behind proxies, set how many
# of them append to X-Forwarded-For; with 0 the connection's own address is used.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Public forms limited per client address: (requests, seconds). Counted in the default
# cache; with Django's default local-memory cache each worker process counts on its own.
RATE_LIMITS = {
    "verify": (env_int("VERIFY_RATE_LIMIT_PER_HOUR", 30), 3600),
    "review_request": (env_int("REVIEW_REQUEST_RATE_LIMIT_PER_HOUR", 5), 3600),
}

# Content Security Policy (django-csp 4): nothing inline runs. Scripts come from our own
# static files; a template that truly needs an inline script gives it
# nonce="{{ request.csp_nonce }}". Views that serve a letter as a document of its own set
# a stricter policy themselves, which the middleware leaves in place.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

# Browser features no page here uses, switched off for every response.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), serial=(), hid=()"
)

# A staff session ends after a working day without a request (each request restarts it).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 9) * 3600
SESSION_SAVE_EVERY_REQUEST = True

# Uploads (the authority's logo) readable by the app's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Enclosures (the released material sent with a letter): the largest file accepted, in
# megabytes, the kinds of file by extension, and how many one letter may carry.
ENCLOSURE_MAX_MB = env_int("ENCLOSURE_MAX_MB", 20)
ENCLOSURE_TYPES = env_list(
    "ENCLOSURE_TYPES", "pdf,csv,txt,xlsx,xls,docx,doc,odt,ods,odp,pptx,png,jpg,jpeg,gif"
)
ENCLOSURES_PER_LETTER = env_int("ENCLOSURES_PER_LETTER", 26)
