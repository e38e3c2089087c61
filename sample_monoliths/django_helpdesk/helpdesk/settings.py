"""
Django settings for the helpdesk project.

Values that differ between environments are read from the environment;
the defaults are for a developer laptop.
"""
import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-7h1s-1s-n0t-a-r3al-s3cr3t-k3y-f0r-pr0d"
)
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "channels",
    # project apps
    "accounts.apps.AccountsConfig",
    "tickets.apps.TicketsConfig",
    "knowledge",
    "notifications.apps.NotificationsConfig",
    "reporting",
    "escalations.apps.EscalationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

# One SQLite file next to manage.py. Good enough for the single box we run on.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HELPDESK_DB_PATH", BASE_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 20},
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "tickets:list"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions are kept on the local disk of the app server.
SESSION_ENGINE = "django.contrib.sessions.backends.file"
SESSION_FILE_PATH = os.environ.get("HELPDESK_SESSION_DIR") or None
SESSION_COOKIE_AGE = 60 * 60 * 12

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded attachments and generated CSV exports live under MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("HELPDESK_MEDIA_ROOT", BASE_DIR / "media"))
ATTACHMENT_MAX_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("HELPDESK_UPLOAD_TMP") or None
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = "Helpdesk <support@example.com>"
SERVER_EMAIL = "helpdesk-errors@example.com"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardResultsSetPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_RATES": {"anon": "30/min", "user": "600/min"},
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels.layers.InMemoryChannelLayer",
    },
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "cache+memory://")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ROUTES = {
    "reporting.tasks.*": {"queue": "reports"},
    "helpdesk.reports.*": {"queue": "reports"},
    "notifications.tasks.*": {"queue": "notifications"},
    "escalations.tasks.*": {"queue": "escalations"},
}
CELERY_BEAT_SCHEDULE = {
    "check-sla-breaches": {
        "task": "tickets.tasks.check_sla_breaches",
        "schedule": timedelta(minutes=5),
    },
    "auto-close-resolved-tickets": {
        "task": "tickets.tasks.auto_close_resolved_tickets",
        "schedule": crontab(hour=2, minute=30),
    },
    "expire-pending-escalation-approvals": {
        "task": "escalations.tasks.expire_pending_approvals",
        "schedule": timedelta(hours=1),
    },
    "generate-daily-report": {
        "task": "helpdesk.reports.daily",
        "schedule": crontab(hour=1, minute=0),
    },
    "generate-weekly-report": {
        "task": "reporting.tasks.generate_weekly_report",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
        "options": {"queue": "reports"},
    },
    "purge-old-notifications": {
        "task": "notifications.tasks.purge_old_notifications",
        "schedule": crontab(hour=3, minute=15, day_of_week="sun"),
        "kwargs": {"days": 90},
    },
}

# --- Helpdesk specific --------------------------------------------------------
HELPDESK = {
    "DEFAULT_FIRST_RESPONSE_MINUTES": 240,
    "DEFAULT_RESOLUTION_MINUTES": 2880,
    "STALE_TICKET_DAYS": 14,
    "AUTO_CLOSE_RESOLVED_AFTER_DAYS": 5,
    "TIER2_TEAM_SLUG": "tier-2",
    "APPROVAL_TIMEOUT_HOURS": 24,
    "SITE_URL": os.environ.get("HELPDESK_SITE_URL", "http://localhost:8000"),
}

HELPDESK_IMAP = {
    "HOST": os.environ.get("HELPDESK_IMAP_HOST", "imap.example.com"),
    "PORT": int(os.environ.get("HELPDESK_IMAP_PORT", "993")),
    "USER": os.environ.get("HELPDESK_IMAP_USER", "support@example.com"),
    "PASSWORD": os.environ.get("HELPDESK_IMAP_PASSWORD", ""),
    "MAILBOX": "INBOX",
    "POLL_INTERVAL": 60,
}

SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SLACK_WEBHOOK_URL = os.environ.get("SLACK_WEBHOOK_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "simple": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "simple"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
