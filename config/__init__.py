"""Settings, read from the environment: one class per environment.

`load_config()` picks the class from `BUURTPLATFORM_ENV` (development, production, testing).
Outside development a missing `SECRET_KEY` stops start-up with a one-line explanation.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH") or ROOT / "instance")


def _env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment; an empty value counts as not set."""
    return os.environ.get(name) or default


def _bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


MAIL_SECURITY_CHOICES = ("starttls", "tls", "none")
# Development's secret when none is set: in the source code, so never safe in production.
DEVELOPMENT_SECRET = "development-only-secret"  # noqa: S105 - development only


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and what to do."""


class Config:
    ENV_NAME = "base"
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'buurtplatform.sqlite'}")
    REDIS_URL = _env("REDIS_URL")
    # The domain whose subdomains are the municipalities; the bare domain serves the portal.
    # It may carry a port (localhost:5000); hosts are matched without it.
    PLATFORM_DOMAIN = _env("PLATFORM_DOMAIN", "localhost:5000")
    PREFERRED_URL_SCHEME = _env("PREFERRED_URL_SCHEME", "http")
    # Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = int(_env("PROXY_COUNT", "0"))

    # Mail: "outbox" writes each message to a folder (development); "smtp" sends it.
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")
    MAIL_OUTBOX = Path(_env("MAIL_OUTBOX", INSTANCE / "outbox"))
    MAIL_SERVER = _env("MAIL_SERVER", "localhost")
    MAIL_PORT = int(_env("MAIL_PORT", "587"))
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    # How the SMTP connection is secured: "starttls" (port 587) or "tls" (implicit TLS, port
    # 465), both verifying the server's certificate and host name; "none" only for a relay on
    # this machine or a private network.
    MAIL_SECURITY = _env("MAIL_SECURITY", "starttls")
    # A certificate (PEM) to trust besides the system's, e.g. an internal relay's own.
    MAIL_CA_FILE = _env("MAIL_CA_FILE")
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Buurtplatform <noreply@localhost>")

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    WTF_I18N_ENABLED = True

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Host-only cookies: never shared between municipalities' subdomains.
    SESSION_COOKIE_DOMAIN = False
    # A sign-in ends after this many days at the latest, however active the session.
    SESSION_MAX_AGE_DAYS = int(_env("SESSION_MAX_AGE_DAYS", "30"))

    RATELIMIT_ENABLED = True
    RATELIMIT_AUTH = _env("RATELIMIT_AUTH", "10 per minute; 50 per hour")
    RATELIMIT_HEADERS_ENABLED = True
    # "Bel mij terug" needs no account: per address, and per municipality for a flood from
    # many addresses. A person needs one request; a family at one address a few.
    RATELIMIT_CALLBACK = _env("RATELIMIT_CALLBACK", "5 per hour")
    RATELIMIT_CALLBACK_MUNICIPALITY = _env("RATELIMIT_CALLBACK_MUNICIPALITY", "60 per hour")
    # A person needs longer than this to fill in the call-back form; a robot does not.
    CALLBACK_MIN_SECONDS = 3
    # If Redis is down, limit in memory for a while rather than failing the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    # Visitors' pages (no sign-in, no form sent) are kept this many seconds, in browsers and
    # proxies (`Cache-Control: public, max-age`) and in the page cache; a change to a
    # municipality's content or settings empties its part of the page cache at once.
    CACHE_DEFAULT_TIMEOUT = int(_env("PAGE_CACHE_SECONDS", "60"))
    CACHE_KEY_PREFIX = "buurtplatform:"

    VERIFY_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600

    # Uploaded logos and photos (see buurtplatform/storage.py). With several app servers this
    # must be a folder they all share, such as a mounted volume.
    UPLOAD_FOLDER = Path(_env("UPLOAD_FOLDER", INSTANCE / "uploads"))
    # Requests larger than this are refused before they are read: well above the 2 MB a
    # picture may be (buurtplatform/images.py), so that a picture a little too large still
    # gets the plain explanation on its form.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024

    SHOW_OUTBOX = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = Config.SECRET_KEY or DEVELOPMENT_SECRET
    MAIL_BACKEND = _env("MAIL_BACKEND", "outbox")
    SHOW_OUTBOX = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    REDIS_URL = None
    PLATFORM_DOMAIN = "buurt.test"
    MAIL_BACKEND = "outbox"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    CALLBACK_MIN_SECONDS = 0  # tests/test_callbacks.py sets it where it tests it
    SHOW_OUTBOX = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PREFERRED_URL_SCHEME = _env("PREFERRED_URL_SCHEME", "https")

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set: set it to a long random value (see .env.example)."
            )
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            raise ConfigError(
                "DATABASE_URL is not set or names SQLite: production needs PostgreSQL "
                "(background jobs and several workers share it; see .env.example)."
            )
        if self.MAIL_SECURITY not in MAIL_SECURITY_CHOICES:
            raise ConfigError(
                f"MAIL_SECURITY={self.MAIL_SECURITY!r} is unknown: use one of "
                f"{', '.join(MAIL_SECURITY_CHOICES)}."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def load_config(name: str | None = None) -> Config:
    name = name or _env("BUURTPLATFORM_ENV", "production")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(
            f"BUURTPLATFORM_ENV={name!r} is unknown: use one of {', '.join(CONFIGS)}."
        ) from None
