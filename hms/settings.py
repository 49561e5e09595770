"""HMS settings: one module, configured from the environment (django-environ).

Every variable has a safe development default, so ``make run`` needs nothing
set. Production mode is ``DJANGO_DEBUG=false``: it then requires
``DJANGO_SECRET_KEY`` and turns on the secure cookie and HTTPS settings that
``manage.py check --deploy`` asks for. README.md has the table of variables.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY",
        default="django-insecure-development-only-key-never-use-in-production",
    )
else:
    # No default: production must never run on a key from the repository.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

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
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "auditlog",
    "phonenumber_field",
    "ninja",  # the API docs' own static files (Swagger UI), no CDN
    "accounts",
    "notifications",
    "clinic",
    "scheduling",
    "reports",
    "api",
]
# Developer tooling (devtools/: the benchmark, screenshots, browser helpers):
# installed in development and tests, and by `make bench`; never needed in
# production.
HMS_DEVTOOLS = env.bool("HMS_DEVTOOLS", default=DEBUG)
if HMS_DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the one chosen (cookie), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The role from the session, not a query on the groups per request.
    "accounts.middleware.SessionRoleMiddleware",
    # A signed-in person's own language (their account's), on any device.
    "accounts.middleware.PreferredLanguageMiddleware",
    # Nothing shown to a signed-in person is kept by a browser or proxy cache.
    "hms.middleware.NoStoreForSignedInMiddleware",
    # request.user.is_verified(): signed in with a second factor this session.
    "django_otp.middleware.OTPMiddleware",
    # Who and from which address, on every audit-log entry of the request.
    # django-auditlog's, with the client's address read as the lockout reads it.
    "accounts.middleware.ClientAddressAuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "hms.middleware.StaffIdleTimeoutMiddleware",
    # Roles that must use a second factor reach nothing else without it.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hms.urls"

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
                "hms.context_processors.clinic",
            ],
            # hms is not an app (it imports none): its template tags are named here.
            "libraries": {
                "phones": "hms.templatetags.phones",
                "navigation": "hms.templatetags.navigation",
            },
        },
    },
]

WSGI_APPLICATION = "hms.wsgi.application"

# Database: SQLite file by default; PostgreSQL 15+ through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Each web process keeps its connection between requests (DJANGO_CONN_MAX_AGE
# seconds) and checks it with one cheap round trip before the first query of a
# request, so a connection the server dropped is replaced, never an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Connect in the zone Django works in (UTC), so no SET TIME ZONE round
    # trip follows each new connection (a server in "Etc/UTC" would need one).
    options.setdefault("options", "-c timezone=UTC")
    # Server-side parameters, so psycopg prepares a query its connection has
    # run 5 times: PostgreSQL plans each page's joins once per connection, not
    # on every request (planning the appointments list's 7-table join took
    # 2 ms, running it 0.3). Off behind a transaction-mode PgBouncer.
    if env.bool("HMS_DB_PREPARED", default=True):
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
    # Threaded web servers (gunicorn --threads N) share a pool per process
    # instead: HMS_DB_POOL_SIZE connections at most (psycopg_pool). A pool
    # replaces persistent connections; its health check runs at each checkout.
    if pool_size := env.int("HMS_DB_POOL_SIZE", default=0):
        options["pool"] = {
            "min_size": min(2, pool_size),
            "max_size": pool_size,
            "timeout": env.float("HMS_DB_POOL_TIMEOUT", default=10.0),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for the lock instead of failing at once; "immediate" takes
    # the write lock at BEGIN so two bookings are serialised, not deadlocked.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis (django-redis) when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hms",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A cache outage must slow nothing down and break nothing:
                # short timeouts, and errors read as cache misses.
                "SOCKET_CONNECT_TIMEOUT": env.float("HMS_CACHE_TIMEOUT", default=0.5),
                "SOCKET_TIMEOUT": env.float("HMS_CACHE_TIMEOUT", default=0.5),
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hms",
        }
    }

# Accounts
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env.int("HMS_PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn's estimate of how guessable it is (repeats, sequences, keyboard
    # rows, names, dates, dictionary words): aaaaaaaaaaaa is 12 characters and
    # guessed at once. Its message says why and how long a guess would take.
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
# zxcvbn's score from 0 (too guessable) to 4 (very unguessable) a new password needs.
PASSWORD_MINIMAL_STRENGTH = env.int("HMS_PASSWORD_MIN_STRENGTH", default=3)
PASSWORD_EXTRA_DICTIONARY = ["hms", "hospital", "clinic", "patient", "doctor"]

# Two-factor sign-in (django-otp, accounts/two_factor.py): the roles that must
# use it (role values: admin, doctor, patient; others may opt in). Admins in
# production mode; nobody in the embedded default and the tests, unless set.
HMS_2FA_REQUIRED_ROLES = frozenset(
    env.list("HMS_2FA_REQUIRED_ROLES", default=[] if DEBUG else ["admin"])
)
OTP_TOTP_ISSUER = env.str("HMS_CLINIC_NAME", default="HMS Hospital")

# Sessions are written to the database and read from the cache (a miss or a
# cache outage reads the database), so a signed-in page costs no session query.
SESSION_ENGINE = env.str("HMS_SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
# Staff (admin) sessions end after this many seconds without a request.
HMS_STAFF_IDLE_SECONDS = env.int("HMS_STAFF_IDLE_SECONDS", default=30 * 60)

# Login protection (django-axes): one e-mail from one address is locked out
# after AXES_FAILURE_LIMIT failed sign-ins, for AXES_COOLOFF_TIME; admins
# unlock in the Django admin (Axes > Access attempts: delete).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person's patient or doctor row with them.
    "clinic.backends.PersonBackend",
]
AXES_FAILURE_LIMIT = env.int("HMS_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("HMS_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# The lock lasts AXES_COOLOFF_TIME from the locking failure; tries during it
# are refused but do not extend it (so a person can plan when to try again).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a reverse proxy the client's address is the one the proxy (or the
# last of HMS_PROXY_COUNT proxies) appended to X-Forwarded-For.
HMS_BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
HMS_PROXY_COUNT = env.int("HMS_PROXY_COUNT", default=1)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
# The lockout page for people, a JSON (or FHIR) 429 for the API's clients.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# Internationalisation and time: aware datetimes everywhere, shown in the
# clinic's own zone.
LANGUAGE_CODE = "en-gb"
# Each language named in itself, as the switcher shows it. URLs are the same in
# both; the language comes from the person's choice or their browser.
LANGUAGES = [("en-gb", "English"), ("hi", "हिन्दी")]
# locale/hi/LC_MESSAGES/django.po is committed; the .mo is compiled from it
# by `make` (Babel, no system gettext) and never committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("HMS_TIME_ZONE", default="Asia/Kolkata")
USE_I18N = True
USE_TZ = True

# Static files, served by WhiteNoise in every mode.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("HMS_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console by default; SMTP through EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="HMS <no-reply@hms.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: eager in-process without Redis; Redis broker with it.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# The clinic
HMS_CLINIC_NAME = env.str("HMS_CLINIC_NAME", default="HMS Hospital")
# On the printable prescription and wherever a patient is told to call the desk.
HMS_CLINIC_PHONE = env.str("HMS_CLINIC_PHONE", default="+91 80 4000 1234")
HMS_CLINIC_ADDRESS = env.str("HMS_CLINIC_ADDRESS", default="1 Hospital Road, Bengaluru 560001")
HMS_CHAT_WEBHOOK_URL = env.str("HMS_CHAT_WEBHOOK_URL", default="")
# Booking rules: how many days ahead slots are offered, how soon a slot may
# start to still be bookable, and until when a visit can be changed.
HMS_BOOKING_DAYS = env.int("HMS_BOOKING_DAYS", default=14)
HMS_BOOKING_LEAD_MINUTES = env.int("HMS_BOOKING_LEAD_MINUTES", default=60)
HMS_CHANGE_CUTOFF_MINUTES = env.int("HMS_CHANGE_CUTOFF_MINUTES", default=120)
# Phone numbers typed without a country code are read in this region (ISO 3166
# code), then stored as +<country><number> (django-phonenumber-field).
HMS_PHONE_REGION = env.str("HMS_PHONE_REGION", default="IN")
PHONENUMBER_DEFAULT_REGION = HMS_PHONE_REGION
PHONENUMBER_DEFAULT_FORMAT = "E164"
# The waiting-room screen refreshes itself this often (seconds).
HMS_QUEUE_DISPLAY_REFRESH_SECONDS = env.int("HMS_QUEUE_DISPLAY_REFRESH_SECONDS", default=5)
# How far ahead a plan may be set: a doctor's leave or changed hours, a next
# visit. Later dates are refused with a message.
HMS_PLANNING_HORIZON_DAYS = env.int("HMS_PLANNING_HORIZON_DAYS", default=730)
# Reminders go out this long before each appointment (h or m, comma-separated).
HMS_REMINDER_LEAD_TIMES = env.list("HMS_REMINDER_LEAD_TIMES", default=["24h", "2h"])
# How long a freed slot is held for the first patient on the waitlist.
HMS_WAITLIST_HOLD_MINUTES = env.int("HMS_WAITLIST_HOLD_MINUTES", default=30)
# Where the links in e-mails point (the address people open HMS at).
HMS_SITE_URL = env.str("HMS_SITE_URL", default="http://127.0.0.1:8000")
# Clinical records: how long the treating doctor may amend a recorded visit.
HMS_TREATMENT_AMEND_HOURS = env.int("HMS_TREATMENT_AMEND_HOURS", default=24)
# How long the department and doctor lists stay cached (they are also
# invalidated on every change).
HMS_DIRECTORY_CACHE_SECONDS = env.int("HMS_DIRECTORY_CACHE_SECONDS", default=600)
# How long a doctor's slot grid (the booking page) is kept at most; every
# booking and availability change replaces it at once anyway.
HMS_SLOT_CACHE_SECONDS = env.int("HMS_SLOT_CACHE_SECONDS", default=600)
# How long a signed-in person's account and patient/doctor row are kept in
# the cache at most (accounts.person_cache); any change to them replaces the
# copy at once. 0: read from the database on every request.
HMS_PERSON_CACHE_SECONDS = env.int("HMS_PERSON_CACHE_SECONDS", default=300)
# How long the admin dashboard's figures are reused before they are counted
# again (the page shows when they were taken).
HMS_DASHBOARD_CACHE_SECONDS = env.int("HMS_DASHBOARD_CACHE_SECONDS", default=300)
# How many days an API bearer token works (POST /api/v1/auth/token).
HMS_API_TOKEN_DAYS = env.int("HMS_API_TOKEN_DAYS", default=30)
# The benchmark's two baseline views (a trivial page, a one-row INSERT) are
# mounted only when this is true (`make bench`), never in production.
HMS_BENCH_VIEWS = env.bool("HMS_BENCH_VIEWS", default=False)

# Production mode: what `manage.py check --deploy` asks for. Each can be
# turned off from the environment (behind a proxy that terminates TLS, say).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HMS_BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Audit log (django-auditlog): every create, change and delete of these
# records, and every time staff open a patient's record, with who, when and
# from which address. Admins read it in the Django admin.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "accounts.User", "exclude_fields": ["password", "last_login"]},
    "clinic.Department",
    "clinic.Doctor",
    "clinic.Patient",
    "scheduling.Appointment",
    "scheduling.WeeklyAvailability",
    "scheduling.AvailabilityException",
    "clinic.Treatment",
    "clinic.PrescriptionItem",
)

# Content Security Policy (django-csp): scripts only from our own static
# files, never inline; chart data travels in json_script blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap's progress bars and a few layout widths use style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Ignored cache errors are logged at ERROR by django-redis; one line
        # each is enough to notice an outage without flooding.
        "django_redis": {"level": "WARNING"},
    },
}
