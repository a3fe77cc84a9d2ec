"""Production profile: PostgreSQL, Redis, object storage; fails loudly on missing secrets."""

from django.core.exceptions import ImproperlyConfigured

from hub.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
if not ALLOWED_HOSTS or ALLOWED_HOSTS == ["127.0.0.1", "localhost", "testserver"]:
    env_str("ALLOWED_HOSTS", required=True)

ENLACE_REQUIRE_2FA = env_bool("ENLACE_REQUIRE_2FA", True)

# Each worker keeps its database connection between requests, checked before reuse: opening
# one costs about 5 ms a request (SQLite's WAL pragma; PostgreSQL's backend start).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Channel credentials must be encrypted with a key that is not the SECRET_KEY.
env_str("ENLACE_CREDENTIALS_KEYS", required=True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Links in entrants' account e-mails (verification, password reset) use https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
