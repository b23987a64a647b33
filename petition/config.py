"""Settings read from the environment, with safe production behaviour."""

import math
import os
from collections import Counter

from limits import parse_many

DEV_SECRET_KEY = "dev-only-not-secret"
# Keys printed in this project's samples and docs, past and present: public, so anyone can
# sign a session cookie with them.
KNOWN_SAMPLE_KEYS = frozenset({
    DEV_SECRET_KEY,
    "change-me-to-64-random-characters-from-python-secrets-token-urlsafe",
})
# Words that mark a placeholder typed by a person. Six letters or more, so a random key
# contains one by chance about once in a billion.
PLACEHOLDER_WORDS = ("change", "secret", "example", "sample", "password", "default",
                     "insecure", "replace")
MIN_SECRET_KEY_LENGTH = 32
# A rough estimate (see estimated_bits): 32 random hex digits (128 bits) never scored under
# 90 in 100,000 tries; repeats, runs and short alphabets score far lower.
MIN_SECRET_KEY_BITS = 80
# Seconds to wait on the rate-limit Redis before the in-memory fallback starts: a Redis
# that accepts connections but never answers would otherwise hold a request for redis-py's
# default of 5 seconds (forever before redis-py 6), again at each check whether it is back.
RATELIMIT_REDIS_TIMEOUT_SECONDS = 1
GENERATE_KEY_HINT = ('generate one with: python3 -c "import secrets; '
                     'print(secrets.token_urlsafe(48))"')


class ConfigError(RuntimeError):
    """Raised when the environment cannot run the app safely."""


def _bool(value, default=False):
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name, default):
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def database_uri(url, instance_path):
    """Turn DATABASE_URL into an SQLAlchemy URI, defaulting to SQLite in instance/."""
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "petition.db")
    # Heroku-style and plain URLs name no driver; we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _shannon_bits_per_symbol(symbols):
    counts = Counter(symbols)
    total = len(symbols)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def estimated_bits(key):
    """Guess a key's entropy from its characters and from the steps between neighbours."""
    if len(key) < 2:
        return 0.0
    # The steps catch runs such as "abcdef..." that look varied character by character.
    steps = [ord(b) - ord(a) for a, b in zip(key, key[1:], strict=False)]
    per_symbol = min(_shannon_bits_per_symbol(key), _shannon_bits_per_symbol(steps))
    return len(key) * per_symbol


def secret_key_problem(key):
    """Why an outsider could forge sessions signed with this key (None when it is fit)."""
    if not key:
        return f"SECRET_KEY is not set: {GENERATE_KEY_HINT}."
    if key in KNOWN_SAMPLE_KEYS or any(word in key.lower() for word in PLACEHOLDER_WORDS):
        return f"SECRET_KEY is a sample or placeholder, not a secret: {GENERATE_KEY_HINT}."
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (f"SECRET_KEY is too short: use at least {MIN_SECRET_KEY_LENGTH} random "
                f"characters; {GENERATE_KEY_HINT}.")
    if estimated_bits(key) < MIN_SECRET_KEY_BITS:
        return f"SECRET_KEY is too predictable (repeats or runs): {GENERATE_KEY_HINT}."
    return None


def from_environ(environ, instance_path):
    """Build the config dict from environment variables."""
    env = environ.get("APP_ENV", "production").strip().lower()
    config = {
        "APP_ENV": env,
        "SECRET_KEY": environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_uri(environ.get("DATABASE_URL"), instance_path),
        "PUBLIC_URL": (environ.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int(environ, "MAIL_PORT", 25),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(environ.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER") or "petitions@localhost",
        # Flask-Mail suppresses sending when TESTING; our tests use a real SMTP server.
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_TIMEOUT": _int(environ, "MAIL_TIMEOUT", 30),
        # Where development mail is written as .eml files when no MAIL_SERVER is set.
        "MAIL_FILE_DIR": environ.get("MAIL_FILE_DIR") or os.path.join(instance_path, "mail"),
        "CONFIRM_TOKEN_MAX_AGE": _int(environ, "CONFIRM_TOKEN_MAX_AGE", 14 * 24 * 3600),
        # Links to remove one's signature stay valid for the life of a campaign.
        "REMOVE_TOKEN_MAX_AGE": _int(environ, "REMOVE_TOKEN_MAX_AGE", 400 * 24 * 3600),
        "CONFIRMATION_MAX_SENDS": _int(environ, "CONFIRMATION_MAX_SENDS", 3),
        "OUTBOX_BATCH_SIZE": _int(environ, "OUTBOX_BATCH_SIZE", 50),
        "OUTBOX_MAX_ATTEMPTS": _int(environ, "OUTBOX_MAX_ATTEMPTS", 12),
        "OUTBOX_LEASE_SECONDS": _int(environ, "OUTBOX_LEASE_SECONDS", 300),
        "OUTBOX_POLL_SECONDS": _int(environ, "OUTBOX_POLL_SECONDS", 2),
        # Workers per `flask outbox send` process, each with its own SMTP connection: a
        # relay that takes 100 ms a message needs 20 of them for 200 emails a second.
        "OUTBOX_CONCURRENCY": _int(environ, "OUTBOX_CONCURRENCY", 4),
        "SQLITE_BUSY_TIMEOUT_MS": _int(environ, "SQLITE_BUSY_TIMEOUT_MS", 30000),
        # Pre-ping costs a round trip per request; without it a database restart fails the
        # requests in flight once, then the pool is replaced (see README, production).
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": _bool(environ.get("DB_POOL_PRE_PING")),
            "pool_recycle": _int(environ, "DB_POOL_RECYCLE", 1800),
        },
        # A session-long CSRF token: a phone left open on the form must still submit.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies in production; a plain-HTTP test of production settings may
        # turn it off (SESSION_COOKIE_SECURE=false), or browsers drop the session.
        "SESSION_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"),
                                       default=env == "production"),
        # Flask-Login: no "remember me" cookie is set, but if one ever is it follows the
        # session cookie's rules.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        # Rate limits (Flask-Limiter): memory:// is per process; use redis://host:6379/0
        # when several workers serve the app.
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_STORAGE_OPTIONS": {
            "socket_connect_timeout": RATELIMIT_REDIS_TIMEOUT_SECONDS,
            "socket_timeout": RATELIMIT_REDIS_TIMEOUT_SECONDS,
        },
        # If that storage is unreachable, every process keeps counting the same limits in
        # its own memory (and checks now and then whether the storage is back) instead of
        # failing the request; any other storage error is logged and the limit skipped.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_ENABLED": _bool(environ.get("RATELIMIT_ENABLED"), default=True),
        # Retry-After and X-RateLimit-* headers, so clients know when to come back.
        "RATELIMIT_HEADERS_ENABLED": True,
        # Per IP address and petition, a burst and a sustained rate, like the UK
        # Parliament's petitions site. Signatures over it are kept but set aside (not
        # counted) until an organizer approves them; "" turns the check off.
        "SIGN_RATE_LIMIT": (environ.get("SIGN_RATE_LIMIT") if "SIGN_RATE_LIMIT" in environ
                            else "5 per minute;30 per hour"),
        # Look-ups per IP (the page and the API): over it, a 429 with a clear message.
        "LOOKUP_RATE_LIMIT": environ.get("LOOKUP_RATE_LIMIT") or "30 per minute;500 per hour",
        "LOGIN_RATE_LIMIT": environ.get("LOGIN_RATE_LIMIT") or "10 per minute;60 per hour",
        # Per account: this many failures are free, then each waits twice as long (1 s, 2 s,
        # 4 s...) up to the cap, so guessing is slow but the real organizer waits seconds.
        "LOGIN_FREE_FAILURES": _int(environ, "LOGIN_FREE_FAILURES", 3),
        "LOGIN_MAX_DELAY_SECONDS": _int(environ, "LOGIN_MAX_DELAY_SECONDS", 60),
        # Argon2id cost (argon2-cffi's RFC 9106 low-memory profile by default).
        "ARGON2_TIME_COST": _int(environ, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int(environ, "ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int(environ, "ARGON2_PARALLELISM", 4),
        # Rows per database fetch when streaming exports.
        "EXPORT_BATCH_SIZE": _int(environ, "EXPORT_BATCH_SIZE", 20_000),
        # Seconds browsers and caches may reuse the public counts JSON.
        "COUNTS_MAX_AGE": _int(environ, "COUNTS_MAX_AGE", 15),
        # Organizer emails to signers: rows are spread this many per minute (all emails
        # together), so a big send does not trip the mail provider's limits.
        "BLAST_RATE_PER_MINUTE": _int(environ, "BLAST_RATE_PER_MINUTE", 60),
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_CONTENT_LENGTH", 1024 * 1024),
        # A file of signatures to import (CSV or XLSX) may be this large; and the command
        # line's import looks addresses up in this many processes.
        "IMPORT_MAX_BYTES": _int(environ, "IMPORT_MAX_BYTES", 20 * 1024 * 1024),
        "IMPORT_WORKERS": _int(environ, "IMPORT_WORKERS", os.cpu_count() or 1),
        # Where an uploaded file waits between its preview and its import.
        "IMPORT_FOLDER": environ.get("IMPORT_FOLDER") or os.path.join(instance_path, "imports"),
        "BABEL_DEFAULT_LOCALE": "en",
        # Who runs the site, shown in the header, the footer, emails and the packets.
        "ORG_NAME": environ.get("ORG_NAME") or None,
        "ORG_LOGO": environ.get("ORG_LOGO") or None,
        "ORG_ABOUT": environ.get("ORG_ABOUT") or None,
        "ORG_ABOUT_ES": environ.get("ORG_ABOUT_ES") or None,
        "ORG_CONTACT_EMAIL": environ.get("ORG_CONTACT_EMAIL") or None,
        "ORG_WEBSITE": environ.get("ORG_WEBSITE") or None,
        # An absolute URL of a picture for link previews (og:image), if you have one.
        "SHARE_IMAGE_URL": environ.get("SHARE_IMAGE_URL") or None,
        # How many reverse proxies (nginx, a load balancer) stand in front of the app.
        # 0 trusts no X-Forwarded-* header, so a forged one changes nothing.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 0),
        # Extra email domains refused on the sign form, comma-separated; a list of
        # throwaway-mail providers ships in petition/data/blocked_email_domains.txt.
        "BLOCKED_EMAIL_DOMAINS": [
            d.strip().lower() for d in (environ.get("BLOCKED_EMAIL_DOMAINS") or "").split(",")
            if d.strip()
        ],
    }
    return config


def finalize(config):
    """Fill development defaults and refuse unsafe production settings."""
    env = config.get("APP_ENV", "production")
    if env not in {"development", "production", "testing"}:
        raise ConfigError(f"APP_ENV must be development, production or testing, not {env!r}")
    if env == "production":
        for key in (config.get("SECRET_KEY"), *(config.get("SECRET_KEY_FALLBACKS") or ())):
            problem = secret_key_problem(key)
            if problem:
                raise ConfigError(f"{problem} (APP_ENV=development runs locally without one)")
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = DEV_SECRET_KEY
    for name in ("SIGN_RATE_LIMIT", "LOOKUP_RATE_LIMIT", "LOGIN_RATE_LIMIT"):
        try:
            parse_many(config.get(name) or "1 per second")
        except ValueError as exc:
            raise ConfigError(f"{name} is not a rate limit such as "
                              f"'5 per minute;30 per hour': {config[name]!r}") from exc
    return config


def production_problems(config):
    """What stops this configuration from running a real campaign (empty when fit)."""
    problems = []
    if config.get("APP_ENV") != "production":
        problems.append("APP_ENV must be production.")
    key_problem = secret_key_problem(config.get("SECRET_KEY"))
    if key_problem:
        problems.append(key_problem)
    uri = config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not uri.startswith("postgresql"):
        problems.append("DATABASE_URL must point at PostgreSQL (SQLite is for one machine "
                        "and development).")
    if not config.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER is not set, so no email would be sent.")
    sender = config.get("MAIL_DEFAULT_SENDER") or ""
    if not sender or sender.endswith("@localhost"):
        problems.append("MAIL_DEFAULT_SENDER must be a real address on your domain.")
    if not (config.get("PUBLIC_URL") or "").startswith("https://"):
        problems.append("PUBLIC_URL must be the https:// address people use.")
    return problems
