"""Settings, read from the environment (12-factor). Every knob is listed in the README.

Safe by default: DEBUG is off unless asked for, and a SECRET_KEY is required
unless TENSORDOJO_ENV is "development" or "test".

A local checkout also reads the git-ignored `.env` that `make up` writes (a generated
key and TENSORDOJO_ENV=development), so `python manage.py ...`, the Celery worker and
gunicorn work without exporting anything. Real environment variables always win, and
with TENSORDOJO_ENV=production the file is not read at all, so a deployment stays strict.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root


def read_env_file(path: Path) -> None:
    """Add KEY=VALUE lines of ``path`` to the environment, never overriding a variable already set.

    A few lines rather than django-environ: the file is ours (written by scripts/env-file.sh),
    so it needs no quoting rules, interpolation or type casting.
    """
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


if os.environ.get("TENSORDOJO_ENV") != "production":  # a deployment that says production reads no file
    read_env_file(BASE_DIR / ".env")
VAR_DIR = Path(os.environ.get("TENSORDOJO_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env("TENSORDOJO_ENV", "production")
DEVELOPMENT = ENVIRONMENT in ("development", "test")
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set outside development (TENSORDOJO_ENV).")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

HTTPS = env_bool("DJANGO_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "accounts",
    "catalog",
    "submissions",
    "cohorts",
    "leaderboards",
    "api",
    "ops",
    "similarity",
    "lti_tool",  # django-lti: LTI registrations, deployments, keys
    "lti",
    "trials",
    "courses",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ops.body_limit.BodyTooLargeMiddleware",  # before any view or the CSRF check reads a body too large
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The throttled password check first (accounts/backends.py); ModelBackend for sessions that name it.
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalog:track_list"
LOGOUT_REDIRECT_URL = "catalog:track_list"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "platform" / "static"]
# Front-end libraries from Debian's packages (libjs-katex, libjs-codemirror), no npm.
# Without them the pages still work: maths stays as TeX and the editor is a plain textarea.
JS_LIBRARY_DIR = Path(env("TENSORDOJO_JS_DIR", "/usr/share/javascript"))
for _library in ("katex", "codemirror"):
    if (JS_LIBRARY_DIR / _library).is_dir():
        STATICFILES_DIRS.append((f"vendor/{_library}", JS_LIBRARY_DIR / _library))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "tensordojo <noreply@localhost>")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    if env("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ContractAutoSchema",  # documents every error status too
    "DEFAULT_PAGINATION_CLASS": "api.pagination.BoundedLimitOffsetPagination",  # bad ?limit= is a 400
    # JSON nested deeper than JSON_MAX_DEPTH is a 400, never a RecursionError (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
}
JSON_MAX_DEPTH = int(env("JSON_MAX_DEPTH", "32"))  # lists/objects in a request body; deeper is a 400
SPECTACULAR_SETTINGS = {
    "TITLE": "tensordojo API",
    "DESCRIPTION": "Exercises, submissions and leaderboards for the terminal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Grading: the task's limits and retry budgets (seconds and counts).
GRADING_SOFT_TIME_LIMIT = int(env("GRADING_SOFT_TIME_LIMIT", "240"))
GRADING_HARD_TIME_LIMIT = int(env("GRADING_HARD_TIME_LIMIT", "300"))
GRADING_MAX_RETRIES = int(env("GRADING_MAX_RETRIES", "4"))  # infrastructure failures before `error`
GRADING_BUSY_RETRIES = int(env("GRADING_BUSY_RETRIES", "20"))  # "another live worker has it" answers
GRADING_DATABASE_RETRIES = int(env("GRADING_DATABASE_RETRIES", "30"))  # database unavailable
GRADING_STUCK_AFTER = int(env("GRADING_STUCK_AFTER", "600"))  # seconds queued before the sweep re-sends
GRADING_HEARTBEAT = float(env("GRADING_HEARTBEAT", "5"))  # a grading worker's sign of life, seconds
GRADING_HEARTBEAT_STALE = float(env("GRADING_HEARTBEAT_STALE", "30"))  # silence after which it is presumed dead

# Celery (Redis broker): the whole configuration, read by config/celery.py (namespace CELERY_).
# Grading tasks are acknowledged late and rejected on worker loss, so a worker that dies
# mid-run leaves its message to be delivered again; prefetch is 1 so a busy worker does not
# hoard jobs. The soft time limit sits below the hard one, and the broker's visibility
# timeout above the hard one, so a slow but alive task is never handed to a second worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", env("REDIS_URL", "redis://127.0.0.1:6379/0"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Live CPU, live GPU, trials (the Run button) of CPU and GPU exercises, re-grades (low priority), sweeps,
# exercise checks (instructors' pushes). A worker drains the queues of its -Q list in that order
# (queue_order_strategy below): live work first, then trials, then re-grades (scripts/up.sh,
# docker-compose.yml, docker/app/entrypoint.sh).
WORK_QUEUES = ("cpu", "gpu", "trial", "gpu-trial", "regrade", "maintenance", "authoring")
CELERY_TASK_QUEUES = [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in WORK_QUEUES]
CELERY_TASK_DEFAULT_QUEUE = "cpu"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_TASK_TRACK_STARTED = False
CELERY_TASK_SOFT_TIME_LIMIT = GRADING_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = GRADING_HARD_TIME_LIMIT
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": GRADING_HARD_TIME_LIMIT * 2,
    "queue_order_strategy": "priority",
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-submissions": {"task": "submissions.sweep", "schedule": 60.0, "options": {"queue": "maintenance"}},
    # Tops up every published timed exercise's stock of prepared timed draws (submissions/timed_stock.py).
    "timed-stock-refill": {
        "task": "submissions.timed_stock_refill_published",
        "schedule": 300.0,
        "options": {"queue": "maintenance"},
    },
}

# The platform's own rules.
EXERCISES_DIR = Path(env("TENSORDOJO_EXERCISES_DIR", BASE_DIR / "exercises"))
MEDIA_ROOT = Path(env("TENSORDOJO_MEDIA_DIR", str(VAR_DIR / "media")))  # stored exercise versions (default storage)
COURSE_ARCHIVE_MAX_BYTES = int(env("COURSE_ARCHIVE_MAX_BYTES", str(20 << 20)))  # a pushed course, compressed
COURSE_REPOSITORY_SCHEMES = env("COURSE_REPOSITORY_SCHEMES", "https")  # what a course may follow (git sync)
SUBMISSION_MAX_BYTES = int(env("SUBMISSION_MAX_BYTES", str(64 * 1024)))
SUBMISSION_RATE_LIMIT = env("SUBMISSION_RATE_LIMIT", "20/60")  # submissions / seconds, per learner
# Failed log-ins, every way in (page, /api/token, /admin/login/): accounts/throttling.py, docs/security.md.
LOGIN_BACKOFF = env("LOGIN_BACKOFF", "3/2/900")  # per (account, client): free failures / first wait / longest wait (s)
LOGIN_FAILURES_PER_IP = env("LOGIN_FAILURES_PER_IP", "20/300")  # failures / seconds per client address
JOIN_CODE_BACKOFF = env("JOIN_CODE_BACKOFF", "5/2/900")  # wrong cohort join codes per account, as LOGIN_BACKOFF
JOIN_CODE_FAILURES_PER_IP = env("JOIN_CODE_FAILURES_PER_IP", "30/300")  # wrong join codes / seconds per address
# Reverse proxies in front of the web server that append to X-Forwarded-For (0: none, the peer is the client).
TRUSTED_PROXY_HOPS = int(env("TRUSTED_PROXY_HOPS", "0"))
# Bearer token for /metrics (always required; empty: /metrics answers no one) and /healthz detail.
# `make up` generates it in .env (scripts/env-file.sh); docker-compose.yml requires it.
METRICS_TOKEN = env("METRICS_TOKEN", "")
TRIAL_RATE_LIMIT = env("TRIAL_RATE_LIMIT", "60/60")  # Run-button trials / seconds, per learner (lighter)
# Trials queued or running at once, all learners together (each learner: one). Keep it below the
# worker processes draining `cpu`, so a live submission always finds one not held by a trial.
TRIAL_MAX_IN_FLIGHT = int(env("TRIAL_MAX_IN_FLIGHT", "1"))  # Run-button trials at once, all learners (< cpu workers)
# Per client address (TRUSTED_PROXY_HOPS): every account has its own submission limit, so new
# accounts would multiply it; reset mails go to any address typed in.
SIGNUP_RATE_LIMIT = env("SIGNUP_RATE_LIMIT", "10/3600")  # accounts created / seconds, per address
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", "10/3600")  # reset requests / seconds, per address
# The grader's configuration: read here only, handed to grader/ as explicit arguments (config/grader.py).
GRADER_BACKEND = env("GRADER_BACKEND", "docker")  # process: the unsafe local backend, for authoring
SANDBOX_IMAGE = env("SANDBOX_IMAGE", "tensordojo/sandbox:latest")
SANDBOX_STDLIB_IMAGE = env("SANDBOX_STDLIB_IMAGE", "tensordojo/sandbox-stdlib:latest")  # no NumPy inside
SANDBOX_RUNTIME = env("SANDBOX_RUNTIME", "")  # the engine's OCI runtime; "runsc" for gVisor, "" for its default
# GPU exercises: the Triton interpreter image on CPU workers; on GPU workers (SANDBOX_GPU) the CUDA image.
SANDBOX_TRITON_IMAGE = env("SANDBOX_TRITON_IMAGE", "tensordojo/sandbox-triton:latest")
SANDBOX_GPU = env_bool("SANDBOX_GPU", False)
if SANDBOX_GPU and "runsc" in SANDBOX_RUNTIME:
    # A GPU runner limits the programs it may start with Landlock, which gVisor does not implement: its
    # runners would refuse every job (fail closed). Say so once, at start-up (docs/gpu.md).
    raise ImproperlyConfigured(
        "SANDBOX_GPU needs a runtime with Landlock (runc): gVisor (SANDBOX_RUNTIME="
        f"{SANDBOX_RUNTIME!r}) cannot enforce the GPU runner's exec allow-list, so GPU workers refuse to start."
    )
GRADER_CACHE_DIR = Path(env("TENSORDOJO_CACHE_DIR", str(VAR_DIR / "cache")))  # cached reference outputs
GRADER_CASE_POOL_SIZE = int(env("GRADER_CASE_POOL_SIZE", "8"))  # seeds per exercise version for hidden/timed cases
GRADER_CASE_POOL_SECRET = env("GRADER_CASE_POOL_SECRET", "")  # mixes the pool's seeds: required in production
if ENVIRONMENT == "production" and not GRADER_CASE_POOL_SECRET:
    raise ImproperlyConfigured(
        "GRADER_CASE_POOL_SECRET must be set in production (TENSORDOJO_ENV=production): without it every "
        "hidden case can be computed from the public cases.py. Generate one: python3 -c "
        "'import secrets; print(secrets.token_hex(32))'"
    )
GRADER_CPU_PEAK_FLOPS = float(env("GRADER_CPU_PEAK_FLOPS", "5e11"))  # per allowed CPU; timing plausibility floor
GRADER_CPU_PEAK_BYTES = float(env("GRADER_CPU_PEAK_BYTES", "2e11"))
GRADER_GPU_PEAK_FLOPS = float(env("GRADER_GPU_PEAK_FLOPS", "2e15"))
GRADER_GPU_PEAK_BYTES = float(env("GRADER_GPU_PEAK_BYTES", "1e13"))
# Warm pool (grader/backends/pool.py): sandboxes pre-started per worker process, per image kind. Off under test
# so tests count containers exactly. Max age stays below the sweep's GRADING_HARD_TIME_LIMIT + 60.
SANDBOX_POOL = env("SANDBOX_POOL", "" if ENVIRONMENT == "test" else "stdlib=1,numpy=1,triton=0")
SANDBOX_POOL_MAX_AGE = float(env("SANDBOX_POOL_MAX_AGE", "300"))
SANDBOX_POOL_IDLE = float(env("SANDBOX_POOL_IDLE", "600"))  # no request of a kind this long: its pool empties
# Timed draws prepared ahead per exercise version (grader/timed_stock.py), so a timed submission's reference
# run is off the learner's path; 0: none (every timed submission runs the reference after the learner's run).
# Off under test so tests count containers exactly, as SANDBOX_POOL.
TIMED_STOCK_SIZE = int(env("TIMED_STOCK_SIZE", "0" if ENVIRONMENT == "test" else "8"))
HEALTH_SANDBOX = env("TENSORDOJO_HEALTH_SANDBOX", "local")  # local: this machine's engine; workers: ask them

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "filters": {"context": {"()": "ops.logging.ContextFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
