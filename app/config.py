"""Settings from environment variables, with embedded defaults.

Every variable is documented in the README's configuration table.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

# Values that must never be accepted as a production secret.
KNOWN_BAD_SECRETS = {"", "dev", "change-me", "secret", "changeme"}


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [int(part) for part in value.split(",") if part.strip()]


class Config:
    """Defaults for development and demo use: SQLite, console SMS."""

    APP_ENV = "development"
    SECRET_KEY = None  # resolved in load_secret_key()
    SQLALCHEMY_DATABASE_URI = None  # resolved in resolve_database_uri()
    # No pool_pre_ping: connections idle for a while are pinged instead (extensions._ping_if_idle).
    SQLALCHEMY_ENGINE_OPTIONS = {}
    REDIS_URL = None

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    PROXY_FIX_HOPS = 0
    # The address printed in documents, QR codes and SMS; never taken from the
    # request's Host header. Required in production.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    TRUSTED_HOSTS = None  # production: PUBLIC_BASE_URL's host plus TRUSTED_HOSTS from the environment

    # Languages: Chinese first.
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "中文", "en": "English"}

    # Uploaded materials: outside static/, under random names.
    UPLOAD_DIR = None  # default: instance/uploads
    MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    # Archive packages (flask cases archive, docs/records.md): where, and the 保管期限 they
    # state (the archive office decides it; 30 years is a common term for such records).
    ARCHIVE_DIR = None  # default: instance/archive
    ARCHIVE_RETENTION = "30年"
    # Seconds the queue page's state tabs and watch-list counts may be old (app/memo.py):
    # at a province's scale they would otherwise count every case on every view.
    QUEUE_COUNTS_SECONDS = 60
    # ClamAV's daemon for uploads (app/cases/malware.py): a unix socket, or host and port.
    CLAMD_SOCKET = None
    CLAMD_HOST = None
    CLAMD_PORT = None
    CLAMD_TIMEOUT = 30
    MAX_FILES_PER_MATERIAL = 10  # an ID card's two sides, a scan photographed page by page
    # Enterprise-level papers the applicant may take over from an earlier application of the
    # same enterprise (same credit code). Ideally a key of each material in the spec.
    REUSABLE_MATERIALS = frozenset({"business_license"})

    # Working days an officer has per filing type (the queue's clock turns red after).
    CASE_TIME_LIMITS = {"filing": 3, "approval": 20, "examination": 20}

    # Life after filing (docs/after-filing.md): a filing lapses when nothing started within
    # LAPSE_MONTHS; the enterprise is reminded at each of START_REMINDER_MONTHS; a deferred
    # paper is reminded DEFERRAL_REMINDER_WORKING_DAYS before it is due; a return waiting
    # for the applicant turns yellow, then red, on the watch list after these working days.
    LAPSE_MONTHS = 24
    START_REMINDER_MONTHS = (18, 22)
    DEFERRAL_REMINDER_WORKING_DAYS = 3
    RETURN_WATCH_WORKING_DAYS = (10, 20)
    LIFECYCLE_SWEEP_CRON = "30 1 * * *"  # RQ's cron scheduler, UTC: 09:30 in the district

    # The level this site decides at; cases above it are escalated.
    SITE_LEVEL = "district"

    # SMS (see docs/sms.md)
    SMS_BACKEND = "console"
    SMS_BACKENDS = None  # an ordered list to fall back through, e.g. ["aliyun", "tencent", "twilio"]
    SMS_TEMPLATES_FILE = None  # default: app/sms/sms_templates.yaml (no provider codes)
    SMS_SIGNATURE = "【最多跑一次】"
    SMS_RETRY_DELAYS = [60, 300, 1800]  # seconds; after the last one, failed
    SMS_SEND_TIMEOUT = 10
    BACKGROUND_JOBS = True  # with REDIS_URL: SMS and packets are made in `flask worker`, not in the request
    TWILIO_ACCOUNT_SID = None
    TWILIO_AUTH_TOKEN = None
    TWILIO_FROM = None
    TWILIO_MESSAGING_SERVICE_SID = None
    TWILIO_API_BASE_URL = None  # only to point the SDK at a proxy or test stub
    ALIYUN_SMS_ACCESS_KEY_ID = None
    ALIYUN_SMS_ACCESS_KEY_SECRET = None
    ALIYUN_SMS_SIGN_NAME = None  # default: SMS_SIGNATURE without its brackets
    ALIYUN_SMS_ENDPOINT = None  # default https://dysmsapi.aliyuncs.com; a test stub's address
    TENCENT_SMS_SECRET_ID = None
    TENCENT_SMS_SECRET_KEY = None
    TENCENT_SMS_SDK_APP_ID = None
    TENCENT_SMS_SIGN_NAME = None  # default: SMS_SIGNATURE without its brackets
    TENCENT_SMS_REGION = "ap-guangzhou"
    TENCENT_SMS_ENDPOINT = None  # default https://sms.tencentcloudapi.com; a test stub's address
    # Delivery receipts pushed by Alibaba Cloud and Tencent Cloud are accepted only on
    # /sms/receipts/<provider>/<SMS_RECEIPT_SECRET> and from these addresses (CIDR).
    SMS_RECEIPT_SECRET = None
    SMS_RECEIPT_ALLOWED_IPS = ()
    DEV_SMS_PAGE = True

    # Sign-in codes
    SIGNIN_CODE_TTL = 300
    SIGNIN_CODE_MAX_ATTEMPTS = 5
    SIGNIN_CODE_COOLDOWN = 60
    SIGNIN_CODES_PER_DAY = 10
    SIGNIN_IP_LIMIT = "20 per hour;5 per minute"
    # Mobile numbers that may sign in: mainland China, Hong Kong, Macao, Taiwan.
    # Every other country invites SMS pumping once a paid provider is live.
    SIGNIN_COUNTRY_CODES = (86, 852, 853, 886)
    SIGNIN_VERIFY_IP_LIMIT = "60 per hour;20 per minute"
    # The public page that checks issued documents: enough for a bank clerk, too few to enumerate codes.
    VERIFY_IP_LIMIT = "300 per hour;30 per minute"
    GUIDE_IP_LIMIT = "600 per hour;60 per minute"  # the service guide, its sample forms and the self-check

    # The office's seal on issued documents (see README "Sealed documents"); in development and
    # testing a self-signed development seal is made in instance/seal/ when none is set.
    SEAL_PKCS12_PATH = None
    SEAL_PKCS12_PASSWORD = None
    SEAL_KEY_PATH = None
    SEAL_CERT_PATH = None
    SEAL_KEY_PASSWORD = None
    SEAL_CHAIN_PATHS = None  # comma-separated PEM files of the issuing chain
    SEAL_TRUST_ROOTS = None  # comma-separated PEM roots the verification page trusts (default: the chain)
    TSA_URL = None  # an RFC 3161 timestamp server, optional
    TSA_TRUST_ROOTS = None  # comma-separated PEM roots of the timestamp server (default: the seal's roots)

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "onetrip"

    # Demo accounts granted on `flask demo` (the run command).
    DEMO_OFFICER_PHONE = "+8613900000001"
    DEMO_ADMIN_PHONE = "+8613900000002"


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    DEV_SMS_PAGE = False
    PUBLIC_BASE_URL = None  # must be set


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    PUBLIC_BASE_URL = "http://localhost"
    BACKGROUND_JOBS = False  # tests read results at once; the RQ paths have their own tests
    RATELIMIT_KEY_PREFIX = "onetrip-test"
    QUEUE_COUNTS_SECONDS = 0  # tests read the counts right after the change


CONFIGS = {
    "development": Config,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def from_environment(app):
    """Overlay environment variables onto the chosen config class."""
    env = os.environ
    cfg = app.config
    if "SMS_BACKEND" in env:
        cfg["SMS_BACKEND"] = env["SMS_BACKEND"].strip().lower()
    for name in (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_FROM",
        "TWILIO_MESSAGING_SERVICE_SID",
        "TWILIO_API_BASE_URL",
        "SMS_TEMPLATES_FILE",
        "ALIYUN_SMS_ACCESS_KEY_ID",
        "ALIYUN_SMS_ACCESS_KEY_SECRET",
        "ALIYUN_SMS_SIGN_NAME",
        "ALIYUN_SMS_ENDPOINT",
        "TENCENT_SMS_SECRET_ID",
        "TENCENT_SMS_SECRET_KEY",
        "TENCENT_SMS_SDK_APP_ID",
        "TENCENT_SMS_SIGN_NAME",
        "TENCENT_SMS_REGION",
        "TENCENT_SMS_ENDPOINT",
        "SMS_RECEIPT_SECRET",
        "SMS_SIGNATURE",
        "SITE_LEVEL",
        "UPLOAD_DIR",
        "PUBLIC_BASE_URL",
        "SIGNIN_IP_LIMIT",
        "SIGNIN_VERIFY_IP_LIMIT",
        "VERIFY_IP_LIMIT",
        "GUIDE_IP_LIMIT",
        "SEAL_PKCS12_PATH",
        "SEAL_PKCS12_PASSWORD",
        "SEAL_KEY_PATH",
        "SEAL_CERT_PATH",
        "SEAL_KEY_PASSWORD",
        "SEAL_CHAIN_PATHS",
        "SEAL_TRUST_ROOTS",
        "TSA_URL",
        "TSA_TRUST_ROOTS",
        "DEMO_OFFICER_PHONE",
        "DEMO_ADMIN_PHONE",
        "LIFECYCLE_SWEEP_CRON",
        "CLAMD_SOCKET",
        "ARCHIVE_DIR",
        "ARCHIVE_RETENTION",
        "CLAMD_HOST",
        "CLAMD_PORT",
    ):
        if env.get(name):
            cfg[name] = env[name]
    if env.get("DATABASE_URL"):
        cfg["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    if env.get("REDIS_URL"):
        cfg["REDIS_URL"] = env["REDIS_URL"]
        cfg["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
    if env.get("RATELIMIT_STORAGE_URI"):
        cfg["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
    if env.get("SMS_BACKENDS"):
        cfg["SMS_BACKENDS"] = [n.strip().lower() for n in env["SMS_BACKENDS"].split(",") if n.strip()]
    if env.get("SMS_RECEIPT_ALLOWED_IPS"):
        cfg["SMS_RECEIPT_ALLOWED_IPS"] = tuple(a.strip() for a in env["SMS_RECEIPT_ALLOWED_IPS"].split(",")
                                               if a.strip())
    if env.get("TRUSTED_HOSTS"):
        cfg["TRUSTED_HOSTS"] = [h.strip() for h in env["TRUSTED_HOSTS"].split(",") if h.strip()]
    if env.get("SIGNIN_COUNTRY_CODES"):
        cfg["SIGNIN_COUNTRY_CODES"] = tuple(_env_list_int("SIGNIN_COUNTRY_CODES", []))
    cfg["SMS_RETRY_DELAYS"] = _env_list_int("SMS_RETRY_DELAYS", cfg["SMS_RETRY_DELAYS"])
    cfg["MAX_CONTENT_LENGTH"] = _env_int("MAX_CONTENT_LENGTH", cfg["MAX_CONTENT_LENGTH"])
    cfg["MAX_UPLOAD_BYTES"] = _env_int("MAX_UPLOAD_BYTES", cfg["MAX_UPLOAD_BYTES"])
    cfg["CLAMD_TIMEOUT"] = _env_int("CLAMD_TIMEOUT", cfg["CLAMD_TIMEOUT"])
    cfg["QUEUE_COUNTS_SECONDS"] = _env_int("QUEUE_COUNTS_SECONDS", cfg["QUEUE_COUNTS_SECONDS"])
    cfg["MAX_FILES_PER_MATERIAL"] = _env_int("MAX_FILES_PER_MATERIAL", cfg["MAX_FILES_PER_MATERIAL"])
    cfg["LAPSE_MONTHS"] = _env_int("LAPSE_MONTHS", cfg["LAPSE_MONTHS"])
    cfg["START_REMINDER_MONTHS"] = tuple(_env_list_int("START_REMINDER_MONTHS", cfg["START_REMINDER_MONTHS"]))
    cfg["DEFERRAL_REMINDER_WORKING_DAYS"] = _env_int("DEFERRAL_REMINDER_WORKING_DAYS",
                                                     cfg["DEFERRAL_REMINDER_WORKING_DAYS"])
    if "REUSABLE_MATERIALS" in env:  # material ids, comma-separated; empty: none
        cfg["REUSABLE_MATERIALS"] = frozenset(m.strip() for m in env["REUSABLE_MATERIALS"].split(",") if m.strip())
    if env.get("CASE_TIME_LIMITS"):  # e.g. "filing=3,approval=20,examination=20"
        cfg["CASE_TIME_LIMITS"] = {k.strip(): int(v) for k, v in
                                   (part.split("=", 1) for part in env["CASE_TIME_LIMITS"].split(",") if "=" in part)}
    cfg["PROXY_FIX_HOPS"] = _env_int("PROXY_FIX_HOPS", cfg["PROXY_FIX_HOPS"])
    cfg["SESSION_COOKIE_SECURE"] = _env_bool("SESSION_COOKIE_SECURE", cfg["SESSION_COOKIE_SECURE"])
    cfg["BACKGROUND_JOBS"] = _env_bool("BACKGROUND_JOBS", cfg["BACKGROUND_JOBS"])
    cfg["REMEMBER_COOKIE_SECURE"] = cfg["SESSION_COOKIE_SECURE"]


def resolve_database_uri(app):
    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "onetrip.sqlite3")
    # Heroku-style URLs name the old driver; SQLAlchemy 2 with psycopg 3 wants this.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url


class InsecureSecretKey(RuntimeError):
    pass


class UnsafeProductionConfig(RuntimeError):
    """Production settings that would quietly weaken a protection."""


def check_production(app):
    """Refuse to start production with settings that defeat a protection:
    rate limits kept in each worker's memory (4 workers, 4 × the limit; a
    recycled worker forgets), or links built from whatever Host a request names."""
    cfg = app.config
    if cfg["APP_ENV"] != "production":
        return
    if cfg["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        raise UnsafeProductionConfig(
            "Rate limits would be kept in each worker's memory, so every worker (and every restart) "
            "would allow the full limit again. Set REDIS_URL (or RATELIMIT_STORAGE_URI) in production.")
    base = cfg.get("PUBLIC_BASE_URL") or ""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeProductionConfig(
            "PUBLIC_BASE_URL must be the site's public address (e.g. https://touzi.example.gov.cn) in production: "
            "documents, QR codes and SMS links are built from it, never from the request's Host header.")
    trusted = list(cfg.get("TRUSTED_HOSTS") or [])
    if parts.hostname not in trusted:
        trusted.insert(0, parts.hostname)
    cfg["TRUSTED_HOSTS"] = trusted


def load_secret_key(app):
    """Use SECRET_KEY from the environment; in development generate one once.

    Production refuses to start without a real key: sessions signed with a
    guessable key are forged sessions.
    """
    key = os.environ.get("SECRET_KEY") or app.config.get("SECRET_KEY")
    weak = not key or key.strip().lower() in KNOWN_BAD_SECRETS or len(key) < 16
    if app.config["APP_ENV"] == "production" and weak:
        raise InsecureSecretKey(
                "SECRET_KEY must be set to a random value of at least 16 characters "
                "in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )
    if not key:
        path = Path(app.instance_path) / "secret_key"
        if path.exists():
            key = path.read_text().strip()
        else:
            key = secrets.token_hex(32)
            path.write_text(key)
            path.chmod(0o600)
    app.config["SECRET_KEY"] = key
