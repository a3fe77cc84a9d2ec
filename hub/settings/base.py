"""Settings shared by every profile. Everything configurable comes from the environment."""

import os
from pathlib import Path

import dj_database_url

from hub.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("ENLACE_DATA_DIR", str(BASE_DIR / "var")))
# Where `dev.py start` serves; the default absolute URL of the site follows it.
ENLACE_HOST = env_str("ENLACE_HOST", "127.0.0.1")
ENLACE_PORT = env_str("ENLACE_PORT", "8000")

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "hub",
    "network",
    "campaigns",
    "contests",
    "publications",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "rules.apps.AutodiscoverRulesConfig",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc served from our own static files (no CDN)
    "allauth",
    "allauth.account",
    "axes",
    "storages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hub.middleware.PageCacheMiddleware",  # anonymous public pages (hub/pagecache.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hub.middleware.SpanishFirstLocaleMiddleware",
    "hub.middleware.SiteNotFoundMiddleware",  # the site's 404 page in the quick start too
    "hub.middleware.MethodNotAllowedMiddleware",  # PUT, DELETE… on the site: a Spanish 405
    "django.middleware.common.CommonMiddleware",
    "hub.middleware.SiteShellMiddleware",  # the site's rows kept per generation (hub/sitecache.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hub.middleware.ScopedPageAdminMiddleware",  # per-page admin views out of the user's scope
    "hub.twofactor.RequireVerifiedStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "publications.middleware.IssueNotReadyMiddleware",  # refusals inside Wagtail's workflow
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hub.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hub.context_processors.site_shell",
            ],
        },
    },
]

WSGI_APPLICATION = "hub.wsgi.application"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'enlace.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker use one SQLite file at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
    # The database holds personal data: readable by its owner only (SQLite gives its -wal
    # and -shm files the database file's permissions).
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if not _sqlite_file.exists():
        _sqlite_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(_sqlite_file, os.O_CREAT | os.O_WRONLY, 0o600))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis that is down degrades to "nothing cached", never to a 500 (hub/cache.py).
            "BACKEND": "hub.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis cannot be reached: the cache then answers "empty".
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "KEY_PREFIX": "enlace",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Endpoints that speak a protocol of their own and answer hostile query strings in it (the
# OAI-PMH endpoint's badArgument, never the site's HTML 400 page): hub.security lets their
# control characters through; each such view keeps them away from the database itself.
ENLACE_OWN_QUERY_CHECKS = ("/oai/",)

# The anonymous page cache (hub/pagecache.py): seconds a page is kept, 0 turns it off. Its
# store must be shared by every process (web workers, the Celery worker that publishes on
# schedule): Redis when configured, otherwise files under the data folder, never memory.
ENLACE_PAGE_CACHE_SECONDS = env_int("ENLACE_PAGE_CACHE_SECONDS", 600)
# Addresses with a query string stored per generation (hub.pagecache.may_store_variant).
ENLACE_PAGE_CACHE_MAX_VARIANTS = env_int("ENLACE_PAGE_CACHE_MAX_VARIANTS", 2000)
if REDIS_URL:
    CACHES["pagecache"] = {**CACHES["default"], "KEY_PREFIX": "enlace-pages"}
else:
    CACHES["pagecache"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "pagecache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("ENLACE_PAGE_CACHE_MAX_ENTRIES", 3000)},
    }

# --- Authentication -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
WAGTAILADMIN_USER_LOGIN_FORM = "hub.auth.StaffLoginForm"  # staff only; entrants use allauth

# Brute-force protection (django-axes): lock a username+IP pair after 5 failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "hub/lockout.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_USERNAME_CALLABLE = "hub.auth.axes_username"
# Days a sign-in stays in django-axes' access log (who, from which address, when); an hourly
# job deletes older ones (hub.tasks.clear_old_access_logs).
ENLACE_ACCESS_LOG_DAYS = env_int("ENLACE_ACCESS_LOG_DAYS", 180)
# Days a mail file is kept under var/mail/ when no SMTP server is configured (hub.tasks).
ENLACE_MAIL_FILES_DAYS = env_int("ENLACE_MAIL_FILES_DAYS", 30)

# Entrants' accounts (django-allauth): e-mail and password, e-mail verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_ADAPTER = "contests.accounts.AccountAdapter"  # keeps the way back to the call
ACCOUNT_FORMS = {"signup": "contests.accounts.SignupForm"}  # the same work for known e-mails
ACCOUNT_UNIQUE_EMAIL = True
# People sign in with their e-mail: it is how allauth's messages name them too, not the user
# name made up from it.
ACCOUNT_USER_DISPLAY = "contests.accounts.user_display"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Enlace SNT] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
ACCOUNT_LOGOUT_REDIRECT_URL = "/concursos/"
LOGIN_REDIRECT_URL = "/concursos/mis-participaciones/"

# Two-factor sign-in for staff (django-otp, TOTP). Every staff user may enrol an
# authenticator app; once enrolled, the admin asks for a code at every sign-in.
# With ENLACE_REQUIRE_2FA on (the production default) members of the groups named
# in ENLACE_2FA_REQUIRED_GROUPS must enrol before they can use the admin.
ENLACE_REQUIRE_2FA = env_bool("ENLACE_REQUIRE_2FA", False)
ENLACE_2FA_REQUIRED_GROUPS = env_list("ENLACE_2FA_REQUIRED_GROUPS", ["Coordinación"])
OTP_TOTP_ISSUER = "Enlace SNT"

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["America/Mexico_City", "America/Tijuana", "America/Hermosillo",
                           "America/Cancun", "UTC"]
# Dates in the active language: lower-case month names in Spanish (hub/formats/).
FORMAT_MODULE_PATH = ["hub.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible object store (AWS, MinIO, DigitalOcean Spaces, Ceph...).
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Entrants' files: private, never under MEDIA_URL; served only by permission-checked views,
# and on disk readable by the owner of the process only.
PRIVATE_FILE_PERMISSIONS = {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_media_storage["OPTIONS"], "location": "privado", "default_acl": "private",
                    "querystring_auth": True, "custom_domain": None},
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("ENLACE_PRIVATE_ROOT", str(DATA_DIR / "private")),
                    "base_url": None, **PRIVATE_FILE_PERMISSIONS},
    }
STORAGES = {
    "default": _media_storage,
    "contests": _private_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads larger than the above stream to this folder (on the same disk as the private
# storage, so keeping a file is a rename, not a copy).
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", str(DATA_DIR / "uploads"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail -----------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    # No SMTP server configured: mails are written as files under var/mail/, readable by
    # their owner only (they carry personal data and sign-in links).
    EMAIL_BACKEND = "hub.mail.PrivateFileEmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Enlace SNT <no-responder@enlace.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------
# Default: an embedded broker that needs no server: kombu's filesystem transport with its
# races between processes removed (hub/broker.py).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env_str("CELERY_BROKER_FOLDER", str(DATA_DIR / "broker")))
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # Look for new messages every 0.1 s when idle, not every second (kombu's default
        # capped a worker at about two messages a second).
        "polling_interval": 0.1,
    }
    # One machine, one worker: no remote control (its broadcast mailbox is the most
    # written file of the embedded broker, and nothing in Enlace uses it).
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Notice a dead or unreachable broker in seconds, not at the kernel's TCP timeout.
        "socket_connect_timeout": 5,
        "socket_timeout": 15,
        "socket_keepalive": True,
        "health_check_interval": 10,
        "retry_on_timeout": True,
    }
# A worker rides out a broker restart: it reconnects for as long as it takes (never gives up
# and exits), and a send in progress is finished and recorded, not cancelled (cancelling it
# would leave the delivery `uncertain` for a person to check).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# ... and retries every 2 s, so it is back within seconds of the broker (hub/celery.py).
CELERY_WORKER_CONSUMER = "hub.celery:Consumer"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Each pool process is replaced after this many jobs, so whatever a library leaves open in it
# (temporary files of image renditions were seen to pile up over hours) goes with the process.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("ENLACE_WORKER_MAX_TASKS", 500) or None
CELERY_TIMEZONE = "America/Mexico_City"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Enlace SNT"
# Absolute links in e-mails, feeds and open data; by default where `dev.py start` serves.
WAGTAILADMIN_BASE_URL = env_str("SITE_BASE_URL", f"http://{ENLACE_HOST}:{ENLACE_PORT}").rstrip("/")
# One time zone on every screen: Mexico City (hub/apps.py ignores any per-user zone).
WAGTAIL_USER_TIME_ZONES: list[str] = []
# Words only, see hub/search.py; PostgreSQL stems Spanish (publications/search.py adds
# accent-free copies). After changing SEARCH_CONFIG run `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "hub.search", "SEARCH_CONFIG": "spanish"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip", "mp3", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff e-mail hashes sent to a third party (and CSP)
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Logos: the largest file accepted for an institution's logo.
ENLACE_LOGO_MAX_BYTES = 1 * 1024 * 1024
# Agreements: how many days before expiry the people responsible are reminded.
ENLACE_AGREEMENT_REMINDER_DAYS = env_int("ENLACE_AGREEMENT_REMINDER_DAYS", 30)
# Municipal roadmaps: an overdue milestone is reminded at most once per this many days.
ENLACE_ROADMAP_REMINDER_PERIOD_DAYS = env_int("ENLACE_ROADMAP_REMINDER_PERIOD_DAYS", 30)

# Contests: days the files of withdrawn entries, and of drafts never sent after their call
# closed, are kept before they are deleted.
ENLACE_CONTEST_RETENTION_DAYS = env_int("ENLACE_CONTEST_RETENTION_DAYS", 30)

# --- Campaigns: social networks and the delivery engine ------------------------------
# Keys that encrypt channel credentials at rest (comma-separated; the first encrypts, all
# decrypt, for rotation). Required in production; development derives one from SECRET_KEY.
ENLACE_CREDENTIALS_KEYS = env_list("ENLACE_CREDENTIALS_KEYS")
TELEGRAM_API_BASE_URL = env_str("TELEGRAM_API_BASE_URL", "https://api.telegram.org")
X_API_BASE_URL = env_str("X_API_BASE_URL", "https://api.x.com")
# Seconds. Every call to a network has explicit connect and read timeouts.
ENLACE_NETWORK_CONNECT_TIMEOUT = float(env_str("ENLACE_NETWORK_CONNECT_TIMEOUT", "5"))
ENLACE_NETWORK_READ_TIMEOUT = float(env_str("ENLACE_NETWORK_READ_TIMEOUT", "20"))
ENLACE_NETWORK_MEDIA_TIMEOUT = float(env_str("ENLACE_NETWORK_MEDIA_TIMEOUT", "60"))
# The dispatcher (hub/celery.py schedules it) enqueues deliveries due within
# ENLACE_DISPATCH_HORIZON seconds (as ETA messages); a delivery still pending
# ENLACE_LOST_AFTER seconds after it was due and after its message was sent (a broker restart
# lost it), or whose message is older than ENLACE_REENQUEUE_AFTER seconds, is enqueued again.
ENLACE_DISPATCH_HORIZON = float(env_str("ENLACE_DISPATCH_HORIZON", "15"))
ENLACE_LOST_AFTER = float(env_str("ENLACE_LOST_AFTER", "15"))
ENLACE_REENQUEUE_AFTER = float(env_str("ENLACE_REENQUEUE_AFTER", "120"))
# The sweeper (hub/celery.py) treats a claim older than ENLACE_DELIVERY_LEASE
# seconds belongs to a worker that died (it must exceed the longest possible send).
ENLACE_DELIVERY_LEASE = float(env_str("ENLACE_DELIVERY_LEASE", "300"))
ENLACE_DELIVERY_MAX_ATTEMPTS = env_int("ENLACE_DELIVERY_MAX_ATTEMPTS", 8)
ENLACE_RETRY_BASE = float(env_str("ENLACE_RETRY_BASE", "5"))
ENLACE_METRICS_DAYS = env_int("ENLACE_METRICS_DAYS", 30)
# RSS/Atom feeds of the institutions' sites (campaigns/feeds.py): seconds a reading may take,
# bytes a feed may weigh, and whether private/loopback addresses may be read (tests only).
ENLACE_FEEDS_TIMEOUT = float(env_str("ENLACE_FEEDS_TIMEOUT", "10"))
ENLACE_FEEDS_MAX_BYTES = env_int("ENLACE_FEEDS_MAX_BYTES", 2_000_000)
ENLACE_FEEDS_ALLOW_PRIVATE = env_bool("ENLACE_FEEDS_ALLOW_PRIVATE", False)

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hub.auth.TokenAuthentication",  # DRF's, with the staff profile in its query
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_THROTTLE_RATE", "600/hour")},
    "EXCEPTION_HANDLER": "campaigns.api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Enlace SNT API",
    "DESCRIPTION": "Publicaciones y canales de la Red SNT. Autenticación: 'Authorization: Token <clave>'.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["campaigns.api.schema.only_enlace_api"],
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Security defaults shared by every profile --------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
